import type { SuppressionStore } from '../consent/suppression';
import { leadIdFor } from '../kernel/email';
import { LeadNotFoundError, ValidationError } from '../kernel/errors';
import { LEAD_ID } from '../kernel/lead-id';
import { type LeadView, toLeadView } from './lead-view';
import type { LeadStore } from './ports';

/**
 * Look a lead up by id or by email (any spelling of the same inbox finds the same lead).
 * Shows whether the address is suppressed.
 * 400 for a malformed id or missing query, 404 when no such lead is stored.
 */
export async function lookUpLead(
  deps: { leads: Pick<LeadStore, 'find'>; suppressions: Pick<SuppressionStore, 'lookup'> },
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
  const suppression = await deps.suppressions.lookup(found.lead.email);
  return toLeadView(found.lead, found.activities, suppression);
}
