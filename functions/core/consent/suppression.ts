import { emailIdentity } from '../kernel/email';
import { keyedIdentityHash } from '../kernel/identity-key';

/**
 * The suppression list (DESIGN invariant 4): an address on it is never emailed again by any
 * sequence or broadcast. Entries are keyed by an HMAC of the email identity under the install's
 * identity key, so every spelling of one inbox (Gmail dots, +tags) is one entry, the list holds no
 * clear address, and a guessed address cannot be tested against it without the key.
 */
export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'erased'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface Suppression {
  reason: SuppressionReason;
  at: string;
  /** What suppressed it: `unsubscribe`, `ses:bounce`, `ses:complaint`, `admin:<name>` (an API token) or `admin:<name> (<username>)` (a person)... */
  source: string;
  /**
   * When the person was last erased (GDPR), whatever the first reason: nothing received before
   * this time (a queued ad lead, a replayed delivery, a platform's retry) may bring them back.
   */
  erasedAt?: string;
}

export interface SuppressionStore {
  /**
   * Adds the address once: the first reason is kept, a later call changes nothing and returns it —
   * except that an `erased` call always records its time as `erasedAt`.
   */
  suppress(email: string, reason: SuppressionReason, source: string, at?: string): Promise<Suppression>;
  isSuppressed(email: string): Promise<boolean>;
  /** The entry for the address, or undefined when it may be emailed. */
  lookup(email: string): Promise<Suppression | undefined>;
}

/** The keyed hash of the identity an entry is keyed by: one per inbox, no clear address. */
export function suppressionHash(email: string): string {
  return keyedIdentityHash('suppression', emailIdentity(email));
}

/** Whether something that happened at `at` belongs to a person erased since. */
export function erasedSince(entry: Suppression | undefined, at: string): boolean {
  return entry?.erasedAt !== undefined && at <= entry.erasedAt;
}

/** The first reason wins: a bounce after an unsubscribe stays an unsubscribe (and vice versa). */
export function keepFirst(existing: Suppression | undefined, incoming: Suppression): Suppression {
  return existing ?? incoming;
}
