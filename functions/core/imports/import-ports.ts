/** Ports of the CSV lead import (import-job.ts, import-page.ts); adapters: DynamoDB, S3 or a local folder, SQS. */

/**
 * awaiting_upload: created, the file may be PUT; running: started, the worker reads it a page at a
 * time; done: every row read; failed: the file could not be read (the reason is on the job).
 */
export type ImportStatus = 'awaiting_upload' | 'running' | 'done' | 'failed';

/** What happened to the rows so far (a dry run counts what would happen). */
export interface ImportCounts {
  /** Data rows read (the header row not counted). */
  read: number;
  created: number;
  updated: number;
  /** The lead already holds every mapped value and consent: nothing written. */
  unchanged: number;
  /** On the suppression list (unsubscribed, bounced, complained, erased): not imported. */
  suppressed: number;
  /** Blank rows, and rows for a lead being erased. */
  skipped: number;
  /** Rows with an invalid value (each listed in the error report). */
  failed: number;
}

export const NO_COUNTS: ImportCounts = {
  read: 0,
  created: 0,
  updated: 0,
  unchanged: 0,
  suppressed: 0,
  skipped: 0,
  failed: 0,
};

/** Where a CSV column goes: a standard field, a custom field, or nowhere. */
export type ColumnTarget =
  | { kind: 'standard'; field: string }
  | { kind: 'custom'; field: string }
  | { kind: 'ignore' };

export const CONSENT_BASES = ['consent_given', 'legitimate_interest', 'none'] as const;
export type ConsentBasis = (typeof CONSENT_BASES)[number];

/** The lawful basis the importer states for the whole file, with its proof where consent was given. */
export interface ImportConsent {
  basis: ConsentBasis;
  /** consent_given: the text the people agreed to. */
  text?: string;
  /** consent_given: where they agreed (e.g. "HubSpot form Newsletter", "trade show sign-up sheet"). */
  proofSource?: string;
  /** consent_given: when they agreed (ISO date or time); the start of the import when not given. */
  givenAt?: string;
}

/** The plan the start call fixed: how each column is read. */
export interface ImportPlan {
  /** The header row as read from the file, in order. */
  header: string[];
  delimiter: string;
  /** One target per header column (same order). */
  targets: ColumnTarget[];
  consent: ImportConsent;
  /** The column (a header name) whose yes/no overrides the consent basis per row. */
  consentColumn?: string;
  dryRun: boolean;
}

export interface ImportJob {
  importId: string;
  status: ImportStatus;
  requestedBy: { name: string; username?: string };
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  /** Each start (a dry run, then the real run) is a new run: its own counts and error report. */
  run: number;
  /** Size of the uploaded file in bytes (known once started). */
  bytes?: number;
  plan?: ImportPlan;
  /** Where the next page starts: the byte offset in the file and the row number (header = row 1). */
  nextByte: number;
  nextRow: number;
  counts: ImportCounts;
  /** Why it failed, in words for people. */
  error?: string;
  /** The job, its file and error report are gone after this (TTL; readers check it themselves). */
  expiresAt: string;
}

/** One line of the error report: no row data beyond the row number and the column's name. */
export interface RowError {
  row: number;
  column: string;
  reason: string;
}

export interface ImportStore {
  create(job: ImportJob): Promise<void>;
  get(importId: string): Promise<ImportJob | undefined>;
  /**
   * Starts run `run` (counts zero, resume point `dataStart`, row 2) if the job is still as the
   * caller read it (`previousRun`: awaiting its upload, or done after a dry run); false otherwise.
   */
  start(
    importId: string,
    start: {
      run: number;
      previousRun: number;
      plan: ImportPlan;
      bytes: number;
      startedAt: string;
      dataStart: number;
    },
  ): Promise<boolean>;
  /**
   * Records a finished page: adds its counts and moves the resume point, only if the job is still
   * running at `fromRow` (a redelivered page counts nothing twice). False when it was not.
   */
  pageDone(
    importId: string,
    fromRow: number,
    next: { byte: number; row: number },
    counts: ImportCounts,
  ): Promise<boolean>;
  /** Ends a running job. */
  finish(
    importId: string,
    end: { status: 'done' | 'failed'; finishedAt: string; error?: string },
  ): Promise<void>;
  /** Stores one page's error lines under the page's first row (a redone page overwrites its own). */
  putErrors(
    importId: string,
    run: number,
    fromRow: number,
    errors: RowError[],
    expiresAt: string,
  ): Promise<void>;
  /** Every error line of a run, in row order. */
  errors(importId: string, run: number): Promise<RowError[]>;
}

/** The uploaded CSV: an S3 object on AWS (presigned PUT), a file of the local stack's folder. */
export interface ImportFiles {
  /** Where the client PUTs the file, and until when that link works. */
  uploadLink(importId: string): Promise<{ url: string; expiresAt: string }>;
  /** The file's size in bytes, or undefined when nothing was uploaded. */
  size(importId: string): Promise<number | undefined>;
  /** The file's bytes from `fromByte` to the end (or to `toByte`, exclusive). */
  read(importId: string, fromByte: number, toByte?: number): AsyncIterable<Uint8Array>;
  /** Deletes the file (done with it); no file is no error. */
  remove(importId: string): Promise<void>;
}

/** Hands the next page to the worker, off the request (SQS lead-imports). */
export interface ImportQueue {
  page(importId: string, fromRow: number): Promise<void>;
}
