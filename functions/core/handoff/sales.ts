import type { Clock } from '../kernel/clock';
import { ConflictError, LeadNotFoundError, ValidationError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import type { SigningKeys } from '../kernel/signed-token';
import type { Activity, Handoff, LeadState, SalesOutcome, Stage } from '../leads/lead';
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
import { ownerOf } from './lead-names';
import type { By, HandoffStore, HeldClaim, HotLeadQueue, Owner } from './ports';
import type { ClaimExtended, LeadCard, OutcomeRecorded } from './responses';

/**
 * The rep calling: `rep` identifies them (a signed-in person's username, else the API token's
 * name), `repName` is shown, `by` goes on what they change.
 */
export interface Rep {
  rep: string;
  repName: string;
  by: By;
}

/** The rep a caller is: people by username, API tokens by name. */
export function repOf(identity: { name: string; username?: string }): Rep {
  return {
    rep: identity.username ?? identity.name,
    repName: identity.name,
    by: { name: identity.name, ...(identity.username ? { username: identity.username } : {}) },
  };
}

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
/**
 * Who owns the lead after an outcome: contacted, meeting booked, qualified and won make the claiming
 * rep its owner (an owner already this rep keeps `since`); recycled, disqualified and lost hand it
 * back (no owner): it may turn hot again and go on the shared queue.
 */
export const OWNING_OUTCOMES: ReadonlySet<SalesOutcome> = new Set([
  'contacted',
  'meeting_booked',
  'qualified',
  'won',
]);

export function ownerAfter(
  current: Owner | undefined,
  outcome: SalesOutcome,
  who: Rep,
  handoff: number,
  at: string,
): Owner | undefined {
  if (!OWNING_OUTCOMES.has(outcome)) return undefined;
  const kept = current?.rep === who.rep ? current : undefined;
  return {
    rep: who.rep,
    repName: who.repName,
    since: kept?.since ?? at,
    handoff: kept?.handoff ?? handoff,
    lastOutcome: outcome,
    lastOutcomeAt: at,
  };
}

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
 * claim window. The claim (claim id, rep, expiry, SQS receipt) is kept on the hand-off by one
 * conditional write that also returns the lead as it was (no read first); the rep gets a short
 * signed token naming it. The timeline read, the claim's timeline entry and noting the rep then
 * run together. Taken off the queue on the way: erase events (the API has nothing to forget: the
 * lead is gone from the table) and messages for a hand-off that is no longer open (closed,
 * superseded) or of a lead that is gone or being erased, which are never shown; a message whose
 * hand-off another rep holds (a redelivery race) is left alone. A message in a schema this
 * version does not read is left alone. Undefined when nothing waits.
 */
export async function claimNext(deps: ClaimDeps, who: Rep): Promise<LeadCard | undefined> {
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
    const now = deps.clock.now();
    const claim: HeldClaim = {
      nonce: newClaimId(),
      rep: who.rep,
      repName: who.repName,
      claimedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + deps.claimWindowSeconds * 1000).toISOString(),
      receipt,
    };
    const lead = await deps.handoffs.claim(message.leadId, message.handoff, claim, claim.claimedAt);
    const handoff = lead?.handoff;
    if (!lead || !handoff) {
      // Not taken: the message names nothing open any more (remove it), or another rep holds it.
      if (closedFor(await deps.leads.load(message.leadId), message.handoff)) await deps.queue.remove(receipt);
      continue;
    }
    const entry = claimEntry(message.leadId, handoff, claim, who);
    const [found] = await Promise.all([
      deps.leads.find(message.leadId),
      deps.handoffs.noteRep({ rep: who.rep, repName: who.repName }, claim.claimedAt),
      deps.leads.putActivity(entry),
    ]);
    // The timeline as it was before the claim, whether or not the read saw the claim's own entry.
    const activities = (found?.activities ?? []).filter((a) => a.activityId !== entry.activityId);
    return leadCard(lead, activities, { ...handoff, claim }, keys);
  }
  return undefined;
}

/** A hot-lead message that names no open hand-off: the lead is gone or being erased, or its hand-off closed or superseded. */
function closedFor(lead: LeadState | undefined, number: number): boolean {
  const handoff = lead?.handoff;
  return (
    !lead || Boolean(lead.erasing) || !handoff || handoff.number !== number || handoff.status === 'closed'
  );
}

/**
 * The claim on the timeline (the sales report counts claims, time to first claim and expired
 * claims from it): the hand-off's age and the claim before it, which lapsed for the lead to come back.
 */
function claimEntry(leadId: string, handoff: Handoff, claim: HeldClaim, who: Rep): Activity & { by: By } {
  const previous = handoff.claim;
  return {
    activityId: `act_claim_${claim.nonce}`,
    leadId,
    type: 'sales_claimed',
    at: claim.claimedAt,
    source: `sales:${who.rep}`,
    by: who.by,
    properties: {
      handoff: handoff.number,
      becameHotAt: handoff.becameHotAt,
      rep: who.rep,
      ...(previous ? { previousClaim: { rep: previous.rep, claimedAt: previous.claimedAt } } : {}),
    },
  };
}

/** The card of a claimed lead: why it is hot, profile, source, the last 10 activities, and the claim token. */
export function leadCard(
  lead: LeadState,
  activities: Activity[],
  handoff: Handoff & { claim: NonNullable<Handoff['claim']> },
  keys: SigningKeys,
): LeadCard {
  const card = hotLeadMessage({ ...lead, handoff });
  const recent = [...activities].sort((a, b) => b.at.localeCompare(a.at)).slice(0, 10);
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
      { leadId: lead.leadId, handoff: handoff.number, claimId: handoff.claim.nonce },
      keys,
    ),
    claimExpiresAt: handoff.claim.expiresAt,
  };
}

const notOwner = () =>
  new ConflictError(
    'claim_not_held',
    'Give the claim token: without one, only the rep sales owns the lead through records outcomes (and not while a claim on it is live).',
  );

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
export async function extendClaim(deps: ClaimDeps, claimToken: string, who: Rep): Promise<ClaimExtended> {
  const rep = who.rep;
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

/**
 * Put the lead back on the queue now, for the next rep (it comes back by itself should this fail);
 * the timeline says who let it go.
 */
export async function releaseClaim(deps: ClaimDeps, claimToken: string, who: Rep): Promise<void> {
  const rep = who.rep;
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
  const entry: Activity & { by: By } = {
    activityId: newId('act', deps.clock.now()),
    leadId: ref.leadId,
    type: 'sales_claim_released',
    at: deps.clock.now().toISOString(),
    source: `sales:${rep}`,
    by: who.by,
    properties: { handoff: ref.handoff, rep },
  };
  await deps.leads.putActivity(entry);
}

/**
 * Record what sales did with a claimed lead. Every outcome goes on the timeline and moves the
 * stage as OUTCOME_EFFECT says; all but `contacted` finish the claim (the message is deleted).
 * 409 when the token's claim is not held by the lead any more, or is for another lead.
 */
export async function recordOutcome(
  deps: ClaimDeps,
  leadId: string,
  body: { claimToken?: string; outcome: SalesOutcome; note?: string; reason?: string },
  who: Rep,
): Promise<OutcomeRecorded> {
  const rep = who.rep;
  const token = body.claimToken === undefined ? undefined : await claimOf(deps, body.claimToken);
  if (token && token.leadId !== leadId)
    throw new ConflictError('claim_not_held', 'This claim token is for another lead.');
  if (body.outcome === 'disqualified' && !body.reason) {
    throw new ValidationError([{ path: 'reason', message: 'say why the lead is disqualified' }]);
  }
  const lead = await deps.leads.load(leadId);
  if (!lead) throw new LeadNotFoundError();
  const effect = OUTCOME_EFFECT[body.outcome];
  const now = deps.clock.now().toISOString();
  const owner = ownerOf(lead);
  const stageSince = effect.stage && effect.stage !== lead.stage ? now : undefined;
  let handoffNumber: number;
  let receipt: string | undefined;
  if (token) {
    handoffNumber = token.handoff;
    const held = await deps.handoffs.outcome(leadId, token.handoff, token.claimId, rep, {
      outcome: body.outcome,
      stage: effect.stage,
      ...(stageSince ? { stageSince } : {}),
      close: effect.close,
      at: now,
      owner: ownerAfter(owner, body.outcome, who, token.handoff, now),
    });
    if (!held) throw stale();
    receipt = held.receipt;
  } else {
    // No claim token: the owner records an outcome on a lead sales owns through them.
    if (!owner || owner.rep !== rep) throw notOwner();
    handoffNumber = owner.handoff;
    const recorded = await deps.handoffs.ownedOutcome(leadId, rep, {
      outcome: body.outcome,
      stage: effect.stage,
      ...(stageSince ? { stageSince } : {}),
      close: true,
      at: now,
      owner: ownerAfter(owner, body.outcome, who, owner.handoff, now),
    });
    if (!recorded) throw notOwner();
  }
  const type = `sales_${body.outcome}`;
  const moved =
    effect.stage && effect.stage !== lead.stage
      ? { from: lead.stage, to: effect.stage, ...(lead.stageSince ? { since: lead.stageSince } : {}) }
      : undefined;
  const sequences =
    moved && deps.nurture
      ? await nurtureOnStageChange({ ...deps, nurture: deps.nurture }, leadId, moved.from, { type })
      : { enrolled: [], exiting: [] };
  const entry: Activity & { by: By } = {
    activityId: newId('act', deps.clock.now()),
    leadId,
    type,
    at: now,
    source: `sales:${rep}`,
    by: who.by,
    properties: {
      handoff: handoffNumber,
      rep,
      // What the reports need without the lead item: the score that made it hot, the claim's age.
      ...(lead.handoff?.number === handoffNumber && lead.handoff.score
        ? { handoffScore: lead.handoff.score }
        : {}),
      // The claim's first outcome answers it (its age is the SLA the sales report checks).
      ...(lead.handoff?.number === handoffNumber && lead.handoff.claim && !lead.handoff.outcome
        ? { claimedAt: lead.handoff.claim.claimedAt }
        : owner
          ? { ownedSince: owner.since }
          : {}),
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
  };
  await deps.leads.putActivity(entry);
  // A message that already came back on the queue is removed by the next claim (its hand-off is closed).
  if (token && effect.close && receipt) await deps.queue.remove(receipt);
  return {
    leadId,
    outcome: body.outcome,
    stage: effect.stage ?? lead.stage,
    claimOpen: token !== undefined && !effect.close,
  };
}
