import type { Handoff, LeadState, SalesOutcome, Stage } from '../leads/lead';
import type { HotLeadMessage } from './hot-lead-message';
import type { LeadErasedMessage } from './lead-erased';

/** What a receive from the hot-lead queue gives: a hand-off, an erase event, or something not ours to read. */
export type QueuedMessage =
  | { kind: 'hot-lead'; message: HotLeadMessage; receipt: string }
  | { kind: 'lead-erased'; message: LeadErasedMessage; receipt: string }
  | { kind: 'unknown'; receipt: string };

/** The hot-lead queue (SQS FIFO): a claim is a receive, the claim window its visibility timeout. */
export interface HotLeadQueue {
  send(message: HotLeadMessage): Promise<void>;
  /**
   * Publishes `leadflow.lead-erased.v1` for a lead in its message group (so it follows any
   * hot-lead message of that lead), deduplicated per erase: a CRM reading the queue forgets them.
   */
  sendErased(leadId: string, erasedAt: string): Promise<void>;
  receive(visibilitySeconds: number): Promise<QueuedMessage | undefined>;
  /** False when the receipt no longer names a message in flight (it came back, or was deleted). */
  changeVisibility(receipt: string, seconds: number): Promise<boolean>;
  /** False when the receipt no longer names a message in flight. */
  remove(receipt: string): Promise<boolean>;
}

/** A claim as stored on the hand-off: who holds it until when, under which claim id, and the SQS receipt. */
export type HeldClaim = NonNullable<Handoff['claim']> & { receipt: string };

/**
 * Targeted, conditional writes of a lead's hand-off (each bumps the lead's version). None applies
 * to a lead being erased. The claim operations answer the SQS receipt of the claim they acted
 * under, or undefined when that claim is not held (gone, expired, another rep's, another claim id).
 */
export interface HandoffStore {
  /** Pending hand-offs that became hot before `before` (the outbox), oldest first. */
  pending(before: string, limit: number): Promise<LeadState[]>;
  markSent(leadId: string, number: number, at: string): Promise<boolean>;
  /** Takes the hand-off for a rep unless another rep holds an unexpired claim. */
  claim(leadId: string, number: number, claim: HeldClaim, now: string): Promise<boolean>;
  /** Moves the expiry of the claim `rep` holds under `nonce` (the claim id). */
  extend(
    leadId: string,
    number: number,
    nonce: string,
    rep: string,
    expiresAt: string,
    now: string,
  ): Promise<{ receipt: string } | undefined>;
  release(
    leadId: string,
    number: number,
    nonce: string,
    rep: string,
    now: string,
  ): Promise<{ receipt: string } | undefined>;
  /** Records an outcome under the claim; `close` ends the hand-off, `stage` moves the lead. */
  outcome(
    leadId: string,
    number: number,
    nonce: string,
    rep: string,
    change: { outcome: SalesOutcome; stage: Stage | undefined; close: boolean; at: string },
  ): Promise<{ receipt: string } | undefined>;
  /** Open hand-offs: waiting on the queue, claimed, and when the oldest waiting one became hot. */
  counts(
    now: string,
  ): Promise<{ pending: number; waiting: number; claimed: number; oldestWaitingSince: string | null }>;
}
