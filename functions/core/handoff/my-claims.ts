import type { LeadState } from '../leads/lead';
import { activitySince, companyOf, hasNews, lastOutcomeOf, nameOf, ownerOf } from './lead-names';
import type { MyClaim, MyClaims, OwnedLead } from './responses';
import type { Rep } from './sales';
import { type ClaimDeps, leadCard } from './sales';

/** How many owned leads a rep's page lists (latest lead write first); `ownedTotal` counts them all. */
export const OWNED_PAGE = 25;
/** The most new activities listed per owned lead. */
const NEWS_KEPT = 20;

/**
 * GET /v1/sales/claims: the caller's live claims as lead cards with their claim tokens (signed
 * again from the claim id on the hand-off, so a lost token is never a lost lead), and the leads
 * sales owns through the caller with what they did since the caller's last outcome.
 */
export async function myClaims(deps: ClaimDeps, who: Rep): Promise<MyClaims> {
  const now = deps.clock.now().toISOString();
  const keys = await deps.claimKeys();
  const held = await deps.handoffs.heldBy(who.rep, now, OWNED_PAGE);
  const claims: MyClaim[] = [];
  for (const lead of held.claimed) {
    const found = await deps.leads.find(lead.leadId);
    const handoff = found?.lead.handoff;
    const claim = handoff?.claim;
    // Gone or moved on since the index was read (erased, resolved, reassigned).
    if (!found || found.lead.erasing || !handoff || !claim || claim.rep !== who.rep || claim.expiresAt <= now)
      continue;
    claims.push({
      ...leadCard(found.lead, found.activities, { ...handoff, claim }, keys),
      claimedAt: claim.claimedAt,
    });
  }
  claims.sort((a, b) => a.claimedAt.localeCompare(b.claimedAt));
  const owned: OwnedLead[] = [];
  for (const lead of held.owned) {
    const row = await ownedLead(deps, lead, who.rep);
    if (row) owned.push(row);
  }
  return { claims, owned, ownedTotal: held.ownedTotal };
}

async function ownedLead(deps: ClaimDeps, lead: LeadState, rep: string): Promise<OwnedLead | undefined> {
  const owner = ownerOf(lead);
  if (!owner || owner.rep !== rep || lead.erasing) return undefined;
  let newActivity: { type: string; at: string }[] = [];
  let last = owner.lastOutcome ? { outcome: owner.lastOutcome, at: owner.lastOutcomeAt } : undefined;
  if (hasNews(lead, owner)) {
    const found = await deps.leads.find(lead.leadId);
    if (!found) return undefined;
    last = lastOutcomeOf(owner, found.activities);
    newActivity = activitySince(found.activities, last?.at ?? owner.since).slice(0, NEWS_KEPT);
  }
  return {
    leadId: lead.leadId,
    email: lead.email,
    name: nameOf(lead),
    company: companyOf(lead),
    stage: lead.stage,
    score: lead.score?.total ?? null,
    since: owner.since,
    lastOutcome: last?.outcome ?? null,
    newActivity,
  };
}
