import { emailIdentity, sha256Hex } from './email';

/**
 * The suppression list (DESIGN invariant 4): an address on it is never emailed again by any
 * sequence or broadcast. Entries are keyed by the SHA-256 of the email identity, so every
 * spelling of one inbox (Gmail dots, +tags) is one entry, and the list holds no clear address.
 */
export const SUPPRESSION_REASONS = ['unsubscribed', 'bounced', 'complained', 'erased'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface Suppression {
  reason: SuppressionReason;
  at: string;
  /** What suppressed it: `unsubscribe`, `ses:bounce`, `ses:complaint`, `admin:<token name>`... */
  source: string;
}

export interface SuppressionStore {
  /** Adds the address once: the first reason is kept, a later call changes nothing and returns it. */
  suppress(email: string, reason: SuppressionReason, source: string, at?: string): Promise<Suppression>;
  isSuppressed(email: string): Promise<boolean>;
  /** The entry for the address, or undefined when it may be emailed. */
  lookup(email: string): Promise<Suppression | undefined>;
}

/** The hashed identity an entry is keyed by: one per inbox, no clear address. */
export function suppressionHash(email: string): string {
  return sha256Hex(emailIdentity(email));
}

/** The first reason wins: a bounce after an unsubscribe stays an unsubscribe (and vice versa). */
export function keepFirst(existing: Suppression | undefined, incoming: Suppression): Suppression {
  return existing ?? incoming;
}
