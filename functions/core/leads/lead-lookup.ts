import type { SuppressionStore } from '../consent/suppression';
import { ownedBySales } from '../handoff/hot-lead-message';
import type { Clock } from '../kernel/clock';
import { leadIdFor } from '../kernel/email';
import { LeadNotFoundError, ValidationError } from '../kernel/errors';
import { LEAD_ID } from '../kernel/lead-id';
import { pathToHot } from '../scoring/path-to-hot';
import type { ScoringModels } from '../scoring/ports';
import type { LeadState } from './lead';
import { type LeadView, toLeadView } from './lead-view';
import type { LeadStore } from './ports';

export interface LookUpDeps {
  leads: Pick<LeadStore, 'find'>;
  suppressions: Pick<SuppressionStore, 'lookup'>;
  models: ScoringModels;
  clock: Clock;
}

/**
 * Look a lead up by id or by email (any spelling of the same inbox finds the same lead).
 * Shows whether the address is suppressed, its hand-offs, and what it would take to become hot
 * under the active scoring model (measured now: engagement fades).
 * 400 for a malformed id or missing query, 404 when no such lead is stored.
 */
export async function lookUpLead(
  deps: LookUpDeps,
  query: { leadId?: string; email?: string },
): Promise<LeadView> {
  let leadId = query.leadId;
  if (leadId === undefined) {
    const email = query.email?.trim();
    if (!email?.includes('@')) {
      throw new ValidationError(
        [{ path: 'email', message: 'give ?email= with an email address' }],
        'Missing lookup key.',
      );
    }
    leadId = leadIdFor(email);
  }
  if (!LEAD_ID.test(leadId)) throw new ValidationError([{ path: 'leadId', message: 'is not a lead id' }]);
  const found = await deps.leads.find(leadId);
  if (!found) throw new LeadNotFoundError();
  const [suppression, active] = await Promise.all([
    deps.suppressions.lookup(found.lead.email),
    deps.models.active(),
  ]);
  const now = deps.clock.now();
  const path = active ? pathToHot(active.model, active.version, pathInput(found.lead), now) : null;
  return toLeadView(found.lead, found.activities, suppression, { now, pathToHot: path });
}

function pathInput(lead: LeadState) {
  const profile = Object.fromEntries(
    Object.entries(lead.profile).map(([name, field]) => [name, field.value]),
  );
  const withSales = ownedBySales(lead) || lead.owner !== undefined;
  return { email: lead.email, profile, aggregate: lead.aggregate, withSales };
}
