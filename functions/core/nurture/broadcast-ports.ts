import type { SuppressionStore } from '../consent/suppression';
import type { Clock } from '../kernel/clock';
import type { LeadStore } from '../leads/ports';
import type { LeadPages } from '../scoring/rescore-job';
import type { Segment } from './broadcast-bodies';

/** Ports and records of broadcasts; adapters implement them (DynamoDB, SQS), fakes in unit tests. */

export interface ExcludedCounts {
  suppressed: number;
  noConsent: number;
  ownedBySales: number;
  test: number;
}

export interface Broadcast {
  broadcastId: string;
  template: string;
  segment: Segment;
  sendAt: string;
  ignoreSendWindow: boolean;
  createdAt: string;
  createdBy: string;
  status: 'running' | 'done';
  finishedAt?: string;
  /** Where the next page starts; null before the first page and after the last. */
  cursor: string | null;
  /** The cursor the last counted page started from: a redelivery of it re-requests the next page. */
  previous?: string | null;
  pages: number;
  scanned: number;
  enrolled: number;
  excluded: ExcludedCounts;
}

export interface BroadcastPageCount {
  cursor: string | null;
  scanned: number;
  enrolled: number;
  excluded: ExcludedCounts;
}

export interface BroadcastStore {
  /** Stores a new broadcast; false (nothing written) when one with this id exists already. */
  create(broadcast: Broadcast): Promise<boolean>;
  get(broadcastId: string): Promise<Broadcast | undefined>;
  /** Counts a page once: only while the broadcast still stands at `from` (a redelivered page counts nothing). */
  completePage(
    broadcastId: string,
    from: string | null,
    page: BroadcastPageCount,
    at: string,
  ): Promise<boolean>;
}

/** Waits this long (a timer on AWS, a fake in tests). */
export type Sleep = (ms: number) => Promise<void>;

export interface BroadcastDeps {
  leads: Pick<LeadStore, 'load' | 'replace'> & LeadPages;
  suppressions: Pick<SuppressionStore, 'lookup'>;
  broadcasts: BroadcastStore;
  /** Queues one page of a broadcast on email-jobs (the message format is the SQS adapter's). */
  requestPage(broadcastId: string, cursor: string | null): Promise<void>;
  clock: Clock;
  /** The backoff before a busy lead is read again. */
  sleep: Sleep;
}
