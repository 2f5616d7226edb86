import type { Handoff, LeadState, SalesOutcome, Stage } from '../lead';
import type { HotLeadMessage } from './hot-lead-message';

/** The hot-lead queue (SQS FIFO): a claim is a receive, the claim window its visibility timeout. */
export interface HotLeadQueue {
  send(message: HotLeadMessage): Promise<void>;
  receive(visibilitySeconds: number): Promise<{ message: HotLeadMessage; receipt: string } | undefined>;
  changeVisibility(receipt: string, seconds: number): Promise<void>;
  remove(receipt: string): Promise<void>;
}

/** Targeted, conditional writes of a lead's hand-off (each bumps the lead's version). */
export interface HandoffStore {
  /** Pending hand-offs that became hot before `before` (the outbox), oldest first. */
  pending(before: string, limit: number): Promise<LeadState[]>;
  markSent(leadId: string, number: number, at: string): Promise<boolean>;
  /** Takes the hand-off for a rep unless another rep holds an unexpired claim. */
  claim(leadId: string, number: number, claim: NonNullable<Handoff['claim']>, now: string): Promise<boolean>;
  /** Changes the claim `rep` holds under `nonce`; false when that claim is gone, expired or another rep's. */
  extend(
    leadId: string,
    number: number,
    nonce: string,
    rep: string,
    expiresAt: string,
    now: string,
  ): Promise<boolean>;
  release(leadId: string, number: number, nonce: string, rep: string, now: string): Promise<boolean>;
  /** Records an outcome under the claim; `close` ends the hand-off, `stage` moves the lead. */
  outcome(
    leadId: string,
    number: number,
    nonce: string,
    rep: string,
    change: { outcome: SalesOutcome; stage: Stage | undefined; close: boolean; at: string },
  ): Promise<boolean>;
  /** Open hand-offs: waiting on the queue, claimed, and when the oldest waiting one became hot. */
  counts(
    now: string,
  ): Promise<{ pending: number; waiting: number; claimed: number; oldestWaitingSince: string | null }>;
}
