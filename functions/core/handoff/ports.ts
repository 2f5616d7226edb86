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

/**
 * A claim as stored on the hand-off: who holds it until when, under which claim id, and the SQS
 * receipt. `rep` identifies the rep (a person's username, else the API token's name); `repName`
 * is what screens show.
 */
export type HeldClaim = NonNullable<Handoff['claim']> & { receipt: string; repName?: string };

/** Who made a change, as the timeline shows it. */
export interface By {
  name: string;
  username?: string;
}

/**
 * The rep sales gave the lead to, as stored: LeadState.owner plus the owner's last outcome and
 * when it was recorded (activity after it is news for the owner).
 */
export type Owner = NonNullable<LeadState['owner']> & { lastOutcome?: SalesOutcome; lastOutcomeAt?: string };

/** A rep the API has seen (claimed a lead or was given one), for the manager view. */
export interface KnownRep {
  rep: string;
  repName: string;
}

/** An outcome's change to the lead: the stage, whether the hand-off closes, and the owner (undefined: none). */
export interface OutcomeChange {
  outcome: SalesOutcome;
  stage: Stage | undefined;
  /** The stage moves: when (the lead's stage clock restarts). */
  stageSince?: string;
  close: boolean;
  at: string;
  owner: Owner | undefined;
}

/**
 * Targeted, conditional writes of a lead's hand-off (each bumps the lead's version). None applies
 * to a lead being erased. The claim operations answer the SQS receipt of the claim they acted
 * under, or undefined when that claim is not held (gone, expired, another rep's, another claim id).
 */
export interface HandoffStore {
  /** Pending hand-offs that became hot before `before` (the outbox), oldest first. */
  pending(before: string, limit: number): Promise<LeadState[]>;
  markSent(leadId: string, number: number, at: string): Promise<boolean>;
  /**
   * Takes the hand-off for a rep unless another rep holds an unexpired claim (or the hand-off is
   * not open under `number`, or the lead is gone or being erased): the lead as it was just before,
   * or undefined when not taken.
   */
  claim(leadId: string, number: number, claim: HeldClaim, now: string): Promise<LeadState | undefined>;
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
    change: OutcomeChange,
  ): Promise<{ receipt: string } | undefined>;
  /**
   * Records an outcome on a lead `rep` owns with no live claim on it (the owner, without a claim
   * token); false when `rep` does not own it (any more) or a claim is live.
   */
  ownedOutcome(leadId: string, rep: string, change: OutcomeChange): Promise<boolean>;
  /**
   * A manager ends the live claim of hand-off `number`, whoever holds it: back to waiting
   * (`close` false), or closed for a lead sales owns. The receipt of the claim, or undefined when
   * no claim is live.
   */
  endClaim(
    leadId: string,
    number: number,
    change: { close: boolean; at: string; ownerRep?: string },
  ): Promise<{ receipt: string } | undefined>;
  /**
   * A manager moves the lead to another rep, if it is still at `version`: the live claim (a fresh
   * claim id and window) and/or the owner. False when the lead changed meanwhile.
   */
  reassign(lead: LeadState, change: { claim?: HeldClaim; owner?: Owner; at: string }): Promise<boolean>;
  /**
   * The live (unexpired) claims `rep` holds, and the leads `rep` owns: those under an open
   * hand-off, then up to `ownedLimit` more, latest write first; `ownedTotal` counts them all.
   */
  heldBy(
    rep: string,
    now: string,
    ownedLimit: number,
  ): Promise<{ claimed: LeadState[]; owned: LeadState[]; ownedTotal: number }>;
  /** Every open hand-off (pending, sent, claimed), oldest first. */
  open(): Promise<LeadState[]>;
  /** Leads owned by `rep`, latest write first, up to `limit`, and how many there are. */
  ownedBy(rep: string, limit: number): Promise<{ leads: LeadState[]; total: number }>;
  /** Remembers a rep (idempotent). */
  noteRep(rep: KnownRep, at: string): Promise<void>;
  /** The reps remembered so far. */
  reps(): Promise<KnownRep[]>;
  /** Open hand-offs: waiting on the queue, claimed, and when the oldest waiting one became hot. */
  counts(
    now: string,
  ): Promise<{ pending: number; waiting: number; claimed: number; oldestWaitingSince: string | null }>;
}
