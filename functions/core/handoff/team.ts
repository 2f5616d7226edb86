import { ConflictError, LeadNotFoundError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import type { Activity, LeadState } from '../leads/lead';
import { newClaimId } from './claim-token';
import { hasNews, nameOf, ownerOf } from './lead-names';
import { OWNED_PAGE } from './my-claims';
import type { By, HeldClaim, KnownRep, Owner } from './ports';
import type { LeadReleased, Reassigned, TeamView } from './responses';
import type { SalesDeps } from './sales';

const seconds = (from: string, now: Date) =>
  Math.max(0, Math.floor((now.getTime() - Date.parse(from)) / 1000));
const liveClaim = (lead: LeadState, now: string) =>
  lead.handoff?.status === 'claimed' && lead.handoff.claim && lead.handoff.claim.expiresAt > now
    ? (lead.handoff.claim as HeldClaim)
    : undefined;

/**
 * GET /v1/sales/team: hot leads waiting for a rep (pending, sent, or back from an expired claim)
 * with their age since they turned hot; live claims with how long they are held; per rep the
 * claims, owned leads and SLA breaches; owned leads with activity since their owner's last
 * outcome. SLA: waiting longer than `slaMinutes`, or held longer with no outcome recorded.
 */
export async function teamView(deps: SalesDeps, slaMinutes: number): Promise<TeamView> {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  const sla = slaMinutes * 60;
  const open = await deps.handoffs.open();
  const waiting: TeamView['waiting'] = [];
  const claims: TeamView['claims'] = [];
  for (const lead of open) {
    const handoff = lead.handoff;
    if (!handoff || lead.erasing) continue;
    const claim = liveClaim(lead, nowIso);
    if (claim) {
      const heldSeconds = seconds(claim.claimedAt, now);
      claims.push({
        leadId: lead.leadId,
        email: lead.email,
        name: nameOf(lead),
        rep: claim.rep,
        repName: claim.repName ?? claim.rep,
        handoff: handoff.number,
        claimedAt: claim.claimedAt,
        expiresAt: claim.expiresAt,
        heldSeconds,
        lastOutcome: handoff.outcome ?? null,
        slaBreached: !handoff.outcome && heldSeconds > sla,
      });
    } else {
      const waitingSeconds = seconds(handoff.becameHotAt, now);
      waiting.push({
        leadId: lead.leadId,
        email: lead.email,
        name: nameOf(lead),
        handoff: handoff.number,
        becameHotAt: handoff.becameHotAt,
        waitingSeconds,
        slaBreached: waitingSeconds > sla,
      });
    }
  }
  waiting.sort((a, b) => a.becameHotAt.localeCompare(b.becameHotAt));
  claims.sort((a, b) => a.claimedAt.localeCompare(b.claimedAt));

  const known = new Map<string, KnownRep>();
  for (const rep of await deps.handoffs.reps()) known.set(rep.rep, rep);
  for (const claim of claims) if (!known.has(claim.rep)) known.set(claim.rep, claim);
  const reps: TeamView['reps'] = [];
  const ownedActivity: TeamView['ownedActivity'] = [];
  for (const rep of known.values()) {
    const owned = await deps.handoffs.ownedBy(rep.rep, OWNED_PAGE);
    const held = claims.filter((claim) => claim.rep === rep.rep);
    reps.push({
      rep: rep.rep,
      repName: rep.repName,
      claims: held.length,
      owned: owned.total,
      slaBreaches: held.filter((claim) => claim.slaBreached).length,
    });
    for (const lead of owned.leads) {
      const owner = ownerOf(lead);
      if (!owner || !lead.lastActivity || !hasNews(lead, owner)) continue;
      ownedActivity.push({
        leadId: lead.leadId,
        email: lead.email,
        name: nameOf(lead),
        rep: owner.rep,
        repName: owner.repName,
        lastActivity: { type: lead.lastActivity.type, at: lead.lastActivity.at },
        lastOutcome: owner.lastOutcome ?? null,
      });
    }
  }
  reps.sort((a, b) => a.repName.localeCompare(b.repName));
  ownedActivity.sort((a, b) => b.lastActivity.at.localeCompare(a.lastActivity.at));
  return { waiting, claims, reps, ownedActivity, slaMinutes };
}

const nothingToMove = () =>
  new ConflictError(
    'claim_not_held',
    'This lead has no live claim and no owner: it waits on the shared queue for the next rep.',
  );

/** A timeline entry for what a manager did, with who did it. */
async function managerEntry(
  deps: SalesDeps,
  lead: LeadState,
  type: string,
  by: By,
  properties: Record<string, unknown>,
): Promise<void> {
  const entry: Activity & { by: By } = {
    activityId: newId('act', deps.clock.now()),
    leadId: lead.leadId,
    type,
    at: deps.clock.now().toISOString(),
    source: `sales:${by.username ?? by.name}`,
    by,
    properties,
  };
  await deps.leads.putActivity(entry);
}

/**
 * A manager moves a lead to another rep: its live claim (under a fresh claim id and a fresh claim
 * window: the old rep's token is refused from now on, the new rep finds the claim in
 * GET /v1/sales/claims) and its ownership. 409 claim_not_held when it has neither.
 */
export async function reassignLead(
  deps: SalesDeps,
  leadId: string,
  to: KnownRep,
  by: By,
): Promise<Reassigned> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const lead = await deps.leads.load(leadId);
    if (!lead) throw new LeadNotFoundError();
    const now = deps.clock.now();
    const at = now.toISOString();
    const held = liveClaim(lead, at);
    const owner = ownerOf(lead);
    if (!held && !owner) throw nothingToMove();
    const claim: HeldClaim | undefined = held && {
      nonce: newClaimId(),
      rep: to.rep,
      repName: to.repName,
      claimedAt: at,
      expiresAt: new Date(now.getTime() + deps.claimWindowSeconds * 1000).toISOString(),
      receipt: held.receipt,
    };
    const nextOwner: Owner | undefined = owner && { ...owner, rep: to.rep, repName: to.repName, since: at };
    if (!(await deps.handoffs.reassign(lead, { claim, owner: nextOwner, at }))) continue;
    // The message stays hidden for the new claim window (it comes back by itself should this fail).
    if (claim?.receipt) await deps.queue.changeVisibility(claim.receipt, deps.claimWindowSeconds);
    await deps.handoffs.noteRep(to, at);
    await managerEntry(deps, lead, 'sales_reassigned', by, {
      handoff: lead.handoff?.number,
      from: held?.rep ?? owner?.rep,
      to: to.rep,
      toName: to.repName,
      ...(claim ? { claim: true } : {}),
      ...(nextOwner ? { owner: true } : {}),
    });
    return { leadId, rep: to.rep, repName: to.repName };
  }
  throw new ConflictError('lead_changed', 'The lead kept changing while it was reassigned; try again.');
}

/**
 * A manager ends another rep's live claim: the lead goes back on the shared queue now, unless
 * sales owns it (then the hand-off closes and the lead stays with its owner). 409 claim_not_held
 * when no claim is live.
 */
export async function releaseLead(deps: SalesDeps, leadId: string, by: By): Promise<LeadReleased> {
  const lead = await deps.leads.load(leadId);
  if (!lead) throw new LeadNotFoundError();
  const at = deps.clock.now().toISOString();
  const held = liveClaim(lead, at);
  const handoff = lead.handoff;
  if (!held || !handoff) throw new ConflictError('claim_not_held', 'No rep holds a live claim on this lead.');
  const owner = ownerOf(lead);
  const ended = await deps.handoffs.endClaim(leadId, handoff.number, {
    close: owner !== undefined,
    at,
    ...(owner ? { ownerRep: owner.rep } : {}),
  });
  if (!ended) throw new ConflictError('claim_not_held', 'The claim ended meanwhile.');
  if (ended.receipt) {
    if (owner) await deps.queue.remove(ended.receipt);
    else await deps.queue.changeVisibility(ended.receipt, 0);
  }
  await managerEntry(deps, lead, 'sales_claim_released', by, {
    handoff: handoff.number,
    rep: held.rep,
    ...(owner ? { keptBy: owner.rep } : {}),
  });
  return { leadId, released: true };
}
