import type { Suppression, SuppressionStore } from '../consent/suppression';
import type { Clock } from '../kernel/clock';
import type { LeadState } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { BroadcastStore } from './broadcast-ports';
import type { ActiveNurture } from './enroll';
import type { Mailer } from './mailer';

/** What send-email reads and writes leads with. */
export type SendLeads = Pick<LeadStore, 'load' | 'replace' | 'putActivity'> & {
  hasActivity(leadId: string, activityId: string): Promise<boolean>;
};

export interface SendDeps {
  leads: SendLeads;
  nurture: { active(): Promise<ActiveNurture | undefined> };
  suppressions: Pick<SuppressionStore, 'lookup'>;
  /** A broadcast's status, read before each of its sends (a cancelled one sends nothing more). */
  broadcasts: Pick<BroadcastStore, 'get'>;
  mailer: Mailer;
  /** The signed one-click unsubscribe URL for this lead. */
  unsubscribeUrl(leadId: string, now: Date): Promise<string>;
  /** The signed double opt-in confirmation URL (confirmation emails only); it expires. */
  confirmUrl(leadId: string, formId: string, now: Date, expiresInDays: number): Promise<string>;
  clock: Clock;
  /** Batch reads for a batch of jobs (send-read-ahead.ts); without it each job reads for itself. */
  readAhead?: SendReadAheadPort;
}

/**
 * What send-email reads for a whole batch of email jobs at once: the leads in one BatchGetItem,
 * then the suppression entries of those with a step due in another (strongly consistent both).
 */
export interface SendReadAheadPort {
  leads(leadIds: readonly string[]): Promise<LeadState[]>;
  /** The entry of each suppressed address among `emails`, keyed by the address as given. */
  suppressions(emails: readonly string[]): Promise<ReadonlyMap<string, Suppression>>;
}

/** What one send-email run did to a lead's steps (logged by the handler, summed by the bench). */
export interface SendTally {
  sent: number;
  skipped: number;
  failed: number;
  rescheduled: number;
  throttled: number;
  ended: number;
}

/** A part of a tally: what one decision counts. */
export type Counts = Partial<SendTally>;

export const emptyTally = (): SendTally => ({
  sent: 0,
  skipped: 0,
  failed: 0,
  rescheduled: 0,
  throttled: 0,
  ended: 0,
});

/** Sums counts into a new tally (nothing is changed in place). */
export function addCounts(into: SendTally, ...counts: Counts[]): SendTally {
  const sum = { ...into };
  for (const part of counts)
    for (const [key, value] of Object.entries(part) as [keyof SendTally, number | undefined][])
      sum[key] += value ?? 0;
  return sum;
}
