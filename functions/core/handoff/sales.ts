import type { Clock } from '../kernel/clock';
import { ConflictError, LeadNotFoundError, ValidationError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import type { SigningKeys } from '../kernel/signed-token';
import type { LeadState, SalesOutcome, Stage } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { ActiveNurture } from '../nurture/enroll';
import { nurtureOnStageChange } from '../nurture/stage-change';
import {
  type ClaimRef,
  InvalidClaimTokenError,
  newClaimId,
  signClaimToken,
  verifyClaimToken,
} from './claim-token';
import { hotLeadMessage } from './hot-lead-message';
import type { HandoffStore, HotLeadQueue } from './ports';
import type { ClaimExtended, LeadCard, OutcomeRecorded } from './responses';

export interface SalesDeps {
  leads: Pick<LeadStore, 'load' | 'find' | 'putActivity' | 'replace'>;
  /** Nurture follows the stage an outcome sets (recycled leads go back to nurture). */
  nurture?: { active(): Promise<ActiveNurture | undefined> };
  handoffs: HandoffStore;
  queue: HotLeadQueue;
  clock: Clock;
  claimWindowSeconds: number;
}

/** What each outcome does: the stage it moves to (none: unchanged) and whether the claim ends. */
export const OUTCOME_EFFECT: Record<SalesOutcome, { stage?: Stage; close: boolean }> = {
  contacted: { close: false },
  meeting_booked: { stage: 'opportunity', close: true },
  qualified: { stage: 'sql', close: true },
  disqualified: { stage: 'disqualified', close: true },
  recycled: { stage: 'recycled', close: true },
  won: { stage: 'customer', close: true },
  // A lost deal goes back to nurture, like a recycled lead: it may turn hot again later.
  lost: { stage: 'recycled', close: true },
};

/**
 * The sales routes also sign and check claim tokens: the signing key ring (the key is derived per
 * purpose inside the codec). The current key signs; every key of the ring verifies, so a claim in
 * hand survives a key roll.
 */
export interface ClaimDeps extends SalesDeps {
  claimKeys(): Promise<SigningKeys>;
}

/** The claim a token names; 400 (invalid_claim_token) for anything we did not sign, before anything is read or written. */
async function claimOf(deps: ClaimDeps, claimToken: string): Promise<ClaimRef> {
  const ref = verifyClaimToken(claimToken, await deps.claimKeys());
  if (!ref) throw new InvalidClaimTokenError();
  return ref;
}

/**
 * Send a lead's pending hand-off to the queue, then mark it sent. Safe to repeat: the FIFO
 * deduplication id (lead id + hand-off number) drops a second send of the same hand-off, and
 * the mark is conditional on that hand-off still pending. A crash between the two leaves it
 * pending, so tick sends it again (and SQS drops the copy within its 5-minute window).
 */
export async function sendHandoff(
  deps: Pick<SalesDeps, 'handoffs' | 'queue' | 'clock'>,
  lead: LeadState,
): Promise<boolean> {
  if (lead.handoff?.status !== 'pending') return false;
  await deps.queue.send(hotLeadMessage(lead));
  return deps.handoffs.markSent(lead.leadId, lead.handoff.number, deps.clock.now().toISOString());
}

/** tick: every pending hand-off older than `olderThanSeconds` goes (again) to the queue. */
export async function sendPendingHandoffs(
  deps: Pick<SalesDeps, 'handoffs' | 'queue' | 'clock'>,
  olderThanSeconds: number,
): Promise<{ sent: number; failed: number }> {
  const before = new Date(deps.clock.now().getTime() - olderThanSeconds * 1000).toISOString();
  let sent = 0;
  let failed = 0;
  for (const lead of await deps.handoffs.pending(before, 100)) {
    try {
      if (await sendHandoff(deps, lead)) sent += 1;
    } catch {
      failed += 1;
    }
  }
  return { sent, failed };
}

export type { LeadCard } from './responses';

/**
 * Claim the next hot lead for a rep: the SQS receive is the claim, its visibility timeout the
 * claim window. The claim (claim id, rep, expiry, SQS receipt) is kept on the hand-off; the rep
 * gets a short signed token naming it. Taken off the queue on the way: erase events (the API has
 * nothing to forget: the lead is gone from the table) and messages for a hand-off that is no
 * longer open (closed, superseded) or of a lead that is gone or being erased, which are never
 * shown. A message in a schema this version does not read is left alone. Undefined when nothing waits.
 */
export async function claimNext(deps: ClaimDeps, rep: string): Promise<LeadCard | undefined> {
  const keys = await deps.claimKeys();
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const received = await deps.queue.receive(deps.claimWindowSeconds);
    if (!received) return undefined;
    if (received.kind === 'lead-erased') {
      await deps.queue.remove(received.receipt);
      continue;
    }
    if (received.kind !== 'hot-lead') continue;
    const { message, receipt } = received;
    const found = await deps.leads.find(message.leadId);
    const handoff = found?.lead.handoff;
    if (
      !found ||
      found.lead.erasing ||
      !handoff ||
      handoff.number !== message.handoff ||
      handoff.status === 'closed'
    ) {
      await deps.queue.remove(receipt);
      continue;
    }
    const now = deps.clock.now();
    const claim = {
      nonce: newClaimId(),
      rep,
      claimedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + deps.claimWindowSeconds * 1000).toISOString(),
      receipt,
    };
    // Another rep's unexpired claim on this lead (a redelivery race): leave the message alone.
    if (!(await deps.handoffs.claim(message.leadId, message.handoff, claim, claim.claimedAt))) continue;
    const lead = found.lead;
    const card = hotLeadMessage({ ...lead, handoff });
    const recent = [...found.activities].sort((a, b) => b.at.localeCompare(a.at)).slice(0, 10);
    return {
      leadId: lead.leadId,
      email: lead.email,
      stage: lead.stage,
      profile: card.profile,
      // HotLeadMessage types the grade as a string; it is lead.score.grade, a Grade.
      score: card.score as LeadCard['score'],
      whyHot: card.whyHot,
      source: card.source,
      handoff: handoff.number,
      becameHotAt: handoff.becameHotAt,
      recentActivity: recent.map(({ type, at, source, formId }) => ({
        type,
        at,
        source,
        ...(formId ? { formId } : {}),
      })),
      claimToken: signClaimToken(
        { leadId: lead.leadId, handoff: handoff.number, claimId: claim.nonce },
        keys,
      ),
      claimExpiresAt: claim.expiresAt,
    };
  }
  return undefined;
}

const stale = () =>
  new ConflictError(
    'claim_not_held',
    'This claim is not held: it expired, was released, or belongs to another rep.',
  );

/**
 * Keep the lead for another claim window. 409 when the claim is not (any more) this rep's. Should
 * the message have come back on the queue all the same (clocks apart), the claim on the hand-off
 * still keeps it from every other rep, and it is removed once the hand-off closes.
 */
export async function extendClaim(deps: ClaimDeps, claimToken: string, rep: string): Promise<ClaimExtended> {
  const ref = await claimOf(deps, claimToken);
  const now = deps.clock.now();
  const expiresAt = new Date(now.getTime() + deps.claimWindowSeconds * 1000).toISOString();
  const held = await deps.handoffs.extend(
    ref.leadId,
    ref.handoff,
    ref.claimId,
    rep,
    expiresAt,
    now.toISOString(),
  );
  if (!held) throw stale();
  if (held.receipt) await deps.queue.changeVisibility(held.receipt, deps.claimWindowSeconds);
  return { claimExpiresAt: expiresAt };
}

/** Put the lead back on the queue now, for the next rep (it comes back by itself should this fail). */
export async function releaseClaim(deps: ClaimDeps, claimToken: string, rep: string): Promise<void> {
  const ref = await claimOf(deps, claimToken);
  const held = await deps.handoffs.release(
    ref.leadId,
    ref.handoff,
    ref.claimId,
    rep,
    deps.clock.now().toISOString(),
  );
  if (!held) throw stale();
  if (held.receipt) await deps.queue.changeVisibility(held.receipt, 0);
}

/**
 * Record what sales did with a claimed lead. Every outcome goes on the timeline and moves the
 * stage as OUTCOME_EFFECT says; all but `contacted` finish the claim (the message is deleted).
 * 409 when the token's claim is not held by the lead any more, or is for another lead.
 */
export async function recordOutcome(
  deps: ClaimDeps,
  leadId: string,
  body: { claimToken: string; outcome: SalesOutcome; note?: string; reason?: string },
  rep: string,
): Promise<OutcomeRecorded> {
  const token = await claimOf(deps, body.claimToken);
  if (token.leadId !== leadId)
    throw new ConflictError('claim_not_held', 'This claim token is for another lead.');
  if (body.outcome === 'disqualified' && !body.reason) {
    throw new ValidationError([{ path: 'reason', message: 'say why the lead is disqualified' }]);
  }
  const lead = await deps.leads.load(leadId);
  if (!lead) throw new LeadNotFoundError();
  const effect = OUTCOME_EFFECT[body.outcome];
  const now = deps.clock.now().toISOString();
  const held = await deps.handoffs.outcome(leadId, token.handoff, token.claimId, rep, {
    outcome: body.outcome,
    stage: effect.stage,
    close: effect.close,
    at: now,
  });
  if (!held) throw stale();
  const type = `sales_${body.outcome}`;
  const moved =
    effect.stage && effect.stage !== lead.stage ? { from: lead.stage, to: effect.stage } : undefined;
  const sequences =
    moved && deps.nurture
      ? await nurtureOnStageChange({ ...deps, nurture: deps.nurture }, leadId, moved.from, { type })
      : { enrolled: [], exiting: [] };
  await deps.leads.putActivity({
    activityId: newId('act', deps.clock.now()),
    leadId,
    type,
    at: now,
    source: `sales:${rep}`,
    properties: {
      handoff: token.handoff,
      ...(body.note ? { note: body.note } : {}),
      ...(body.reason ? { reason: body.reason } : {}),
    },
    ...(moved
      ? {
          effect: {
            stage: moved,
            ...(sequences.enrolled.length > 0 ? { enrolled: sequences.enrolled } : {}),
            ...(sequences.exiting.length > 0 ? { exiting: sequences.exiting } : {}),
          },
        }
      : {}),
  });
  // A message that already came back on the queue is removed by the next claim (its hand-off is closed).
  if (effect.close && held.receipt) await deps.queue.remove(held.receipt);
  return { leadId, outcome: body.outcome, stage: effect.stage ?? lead.stage, claimOpen: !effect.close };
}
