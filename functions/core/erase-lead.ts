import { LeadNotFoundError, ValidationError } from './errors';
import type { Clock, LeadStore } from './ports';
import type { SuppressionStore } from './suppression';

/** Deletes everything stored in a lead's partition; returns how many items went. */
export interface LeadEraser {
  erase(leadId: string): Promise<number>;
}

export interface EraseDeps {
  leads: Pick<LeadStore, 'load'> & LeadEraser;
  suppressions: Pick<SuppressionStore, 'suppress'>;
  clock: Clock;
}

const LEAD_ID = /^ld_[0-9a-f]{24}$/;

/**
 * GDPR erasure of a whole lead: profile, consent history, timeline and everything else in its
 * partition go. A hashed suppression (reason `erased`, no clear address) is written first and
 * stays, so the address is never mailed again even if it is captured anew by a later import.
 * 404 when unknown (also after an erase: a repeat finds nothing).
 */
export async function eraseLead(
  deps: EraseDeps,
  leadId: string,
  by: string,
): Promise<{ leadId: string; erased: true; items: number }> {
  if (!LEAD_ID.test(leadId)) throw new ValidationError([{ path: 'leadId', message: 'is not a lead id' }]);
  const lead = await deps.leads.load(leadId);
  if (!lead) throw new LeadNotFoundError();
  await deps.suppressions.suppress(lead.email, 'erased', `admin:${by}`, deps.clock.now().toISOString());
  const items = await deps.leads.erase(leadId);
  return { leadId, erased: true, items };
}
