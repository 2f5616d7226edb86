import type { SuppressionStore } from '../consent/suppression';
import type { Clock } from '../kernel/clock';
import type { LeadStore } from '../leads/ports';
import type { LeadPages } from '../scoring/rescore-job';
import type { AbTest, Segment } from './broadcast-bodies';

/** Ports and records of broadcasts; adapters implement them (DynamoDB, SQS), fakes in unit tests. */

export interface ExcludedCounts {
  suppressed: number;
  noConsent: number;
  ownedBySales: number;
  test: number;
}

/** Who made a change: a person's name and user name, or an API token's name. */
export interface ChangedBy {
  name: string;
  username?: string;
}

/**
 * As stored: `draft` (editable, nothing queued), `running` (pages being enrolled), `waiting` (an
 * A/B test share enrolled, the winner not chosen yet), `done` (every page enrolled), `cancelled`.
 * The API shows `scheduled` for a broadcast past draft whose sendAt is still ahead (status.ts).
 */
export type StoredBroadcastStatus = 'draft' | 'running' | 'waiting' | 'done' | 'cancelled';

/** An A/B test as stored: the marketer's settings, when it is decided, and the winner once chosen. */
export interface BroadcastAbTest extends AbTest {
  /** sendAt + waitHours: when tick picks the winner. */
  decideAt: string;
  /** The winning variant's id, once chosen (ties go to the first variant). */
  winner?: string;
  decidedAt?: string;
}

export interface Broadcast {
  broadcastId: string;
  /** The marketer's name for it (the template id for broadcasts made before names). */
  name?: string;
  template: string;
  segment: Segment;
  sendAt: string;
  ignoreSendWindow: boolean;
  createdAt: string;
  createdBy: string;
  by?: ChangedBy;
  status: StoredBroadcastStatus;
  finishedAt?: string;
  cancelledAt?: string;
  cancelledBy?: ChangedBy;
  editedAt?: string;
  editedBy?: ChangedBy;
  scheduledAt?: string;
  scheduledBy?: ChangedBy;
  abTest?: BroadcastAbTest;
  /** Set once tick queued the rest phase's first page. */
  restQueued?: boolean;
  /** With an A/B test: `test` while the test share is enrolled, `rest` once the winner goes to the others. */
  phase?: 'test' | 'rest';
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
    /** The phase the page was enrolled in, and the status the last page leaves (`waiting` after an A/B test share). */
    options?: { phase?: Broadcast['phase']; last: 'done' | 'waiting' },
  ): Promise<boolean>;
  /** Newest first, a page at a time, optionally of one status as the API shows it (at `now`). */
  list(query: BroadcastListQuery): Promise<{ broadcasts: Broadcast[]; cursor: string | null }>;
  /** Writes a draft's next state (edited, or started): only while it is still a draft. */
  replaceDraft(next: Broadcast): Promise<boolean>;
  /** Cancels: only while the stored status is still `from`. */
  cancel(broadcastId: string, from: StoredBroadcastStatus, by: ChangedBy, at: string): Promise<boolean>;
  /** A/B tests in their test phase whose wait is over at `now`, and won ones whose rest was never queued. */
  awaitingWinner(now: string): Promise<Broadcast[]>;
  /** Records the winner and starts the rest phase from the first page: only while still in the test phase. */
  chooseWinner(broadcastId: string, winner: string, at: string): Promise<boolean>;
  /** The rest phase's first page was queued (tick stops looking at this broadcast). */
  restQueued(broadcastId: string): Promise<void>;
}

/** The statuses the API shows: `scheduled` is a started broadcast whose sendAt is still ahead. */
export const BROADCAST_STATUSES = ['draft', 'scheduled', 'running', 'done', 'cancelled'] as const;
export type BroadcastStatus = (typeof BROADCAST_STATUSES)[number];

export interface BroadcastListQuery {
  status?: BroadcastStatus;
  now: string;
  limit: number;
  cursor?: string;
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
