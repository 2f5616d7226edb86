import type { Activity } from '../leads/lead';
import type { Increment, LeadContext, ReportId, RollupRow } from './report';

/** A timeline entry by its keys. */
export interface EntryRef {
  leadId: string;
  activityId: string;
}

/** One rollup row's part of a batch: the summed increments of its entries (before once-keys). */
export interface BatchIncrement extends Increment {
  /** The entry it came from: the owner of its once-key marker, when it has one. */
  owner?: string;
}

/**
 * A batch: the durable intent written into the shard's cursor before anything is applied, so a
 * crash anywhere after it resumes with the very same batch.
 */
export interface ReportBatch {
  seq: number;
  entries: EntryRef[];
  /** Increments without a once-key, summed per row; increments with one, each on its own. */
  increments: BatchIncrement[];
  createdAt: string;
}

export interface ReportCursor {
  seq: number;
  pending?: ReportBatch;
  /** The last run that completed a batch or found nothing to count (the reports' freshness). */
  checkedAt?: string;
}

/** Timeline entries not yet counted, per shard, with the context their increments need. */
export interface UnreportedEntries {
  /** Entries by their keys (consistent read; an entry gone is left out). */
  read(refs: EntryRef[]): Promise<Activity[]>;
  /** Up to `limit` uncounted entries of a shard, oldest first, each read consistently (an entry already counted is left out). */
  next(shard: number, limit: number): Promise<Activity[]>;
  /** The immutable context of each lead (none for a lead gone, e.g. erased). */
  leads(leadIds: string[]): Promise<Map<string, LeadContext>>;
  /**
   * What a batch needs of its leads, in one consistent read: each lead's context, and its archive
   * key (a lead found without one gets one; none for a lead gone or being erased).
   */
  batchLeads(leadIds: string[]): Promise<BatchLeads>;
  /** Take the entries off the uncounted index (idempotent; an entry gone is skipped). */
  markCounted(entries: EntryRef[]): Promise<void>;
}

export interface BatchLeads {
  contexts: Map<string, LeadContext>;
  /** Lead id → its random archive key (base64url): erasing the lead deletes it (crypto-shredding). */
  archiveKeys: Map<string, string>;
}

export interface ReportCursors {
  read(shard: number): Promise<ReportCursor>;
  /** Write the batch as pending: only when the cursor is at `batch.seq - 1` with nothing pending. */
  propose(shard: number, batch: ReportBatch): Promise<boolean>;
  /** Clear the pending batch and move the cursor to its seq (only while that batch is pending). */
  complete(shard: number, seq: number, at: string): Promise<boolean>;
  /** The shard had nothing uncounted at `at` (the reports' freshness). */
  checked(shard: number, at: string): Promise<void>;
}

export interface RollupStore {
  /**
   * Add one row's counts under the shard's high-water mark: nothing when the row already holds
   * this shard's batch `seq` or a later one (a re-applied batch adds nothing twice).
   */
  add(shard: number, seq: number, increment: Increment): Promise<void>;
  /** Claim a once-key for an entry: true when unclaimed or already this entry's. */
  claimOnce(key: string, owner: string): Promise<boolean>;
  /** Every row of a report with a day in [from, to] (inclusive). */
  read(report: ReportId, from: string, to: string): Promise<RollupRow[]>;
  /** The latest completed batch over all shards (null: none yet). */
  freshAsOf(): Promise<string | null>;
}

/** A counted batch's raw entries, with the archive keys of their leads. */
export interface ArchiveBatch {
  shard: number;
  seq: number;
  entries: Activity[];
  /** Lead id → archive key: a line of a lead without one carries no lead reference. */
  keys: ReadonlyMap<string, string>;
}

/** Raw events to the archive (S3 / a folder): the same shard+seq is the same object (idempotent). */
export interface EventArchive {
  put(batch: ArchiveBatch): Promise<void>;
}

export const noArchive: EventArchive = { put: async () => undefined };
