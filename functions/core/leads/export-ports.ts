/** Ports of the background lead export (lead-export-job.ts); adapters: DynamoDB, S3 or a local folder, SQS. */

export type ExportStatus = 'running' | 'ready' | 'failed';

/** A background export as stored: who asked, for which filter, how far it got. */
export interface ExportJob {
  exportId: string;
  status: ExportStatus;
  rows: number;
  /** The list's query parameters (filters and sort) as the person gave them; parsed again by the worker. */
  params: Record<string, string>;
  requestedBy: { name: string; username?: string };
  createdAt: string;
  finishedAt?: string;
  /** Why it failed, in words for people (never an internal error's message). */
  error?: string;
  /** The job and its file are gone after this (TTL on AWS; readers check it themselves). */
  expiresAt: string;
}

export interface ExportStore {
  /** Stores a new job; its id is fresh, so there is nothing to overwrite. */
  create(job: ExportJob): Promise<void>;
  get(exportId: string): Promise<ExportJob | undefined>;
  /** Rows written so far, while the job is running. */
  progress(exportId: string, rows: number): Promise<void>;
  /** Jobs started at or after `since` (ISO time), oldest first: at most 7 days of exports, started by people. */
  startedSince(since: string): Promise<ExportJob[]>;
  /** Fails a job whatever its state, with the reason (its file is removed apart). */
  withdraw(exportId: string, at: string, error: string): Promise<void>;
  /** Ends a running job (ready or failed); false when it was not running any more. */
  finish(
    exportId: string,
    end: { status: 'ready' | 'failed'; rows: number; finishedAt: string; error?: string },
  ): Promise<boolean>;
}

/** Where the CSV goes: an S3 bucket on AWS, a folder locally. */
export interface ExportFiles {
  write(exportId: string, csv: string): Promise<void>;
  /** A link the caller downloads the file from, and until when it works. */
  link(exportId: string, fileName: string): Promise<{ url: string; expiresAt: string }>;
  /** The file itself, where the API serves it (locally); undefined where the link goes elsewhere (S3). */
  read(exportId: string): Promise<string | undefined>;
  /** Deletes the file; no file is no error. */
  remove(exportId: string): Promise<void>;
}

/** Hands a job to the worker, off the request (SQS lead-exports). */
export interface ExportQueue {
  request(exportId: string): Promise<void>;
}
