import { type UnsubscribeDeps, unsubscribe } from '../consent/unsubscribe';
import { LeadNotFoundError, ValidationError } from '../kernel/errors';
import { LEAD_ID } from '../kernel/lead-id';
import type { LeadUnsubscribed } from './responses';

/**
 * POST /v1/admin/leads/{leadId}/unsubscribe: a person withdraws the lead's marketing consent for
 * them (a request by phone or mail), exactly as the lead's own unsubscribe link would.
 * 1. Check the id (400) and that the lead exists (404).
 * 2. `unsubscribe` (consent/unsubscribe.ts): suppression first, consent withdrawn, every active
 *    enrollment ends, an `unsubscribed` timeline entry that names the person.
 * A repeat changes nothing (`changed: false`).
 */
export async function unsubscribeLead(
  deps: UnsubscribeDeps,
  leadId: string,
  by: { name: string; username?: string },
): Promise<LeadUnsubscribed> {
  if (!LEAD_ID.test(leadId)) throw new ValidationError([{ path: 'leadId', message: 'is not a lead id' }]);
  const result = await unsubscribe(deps, leadId, by);
  if (!result.found) throw new LeadNotFoundError();
  return { leadId, unsubscribed: true, changed: result.changed };
}
