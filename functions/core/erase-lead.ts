import { ConflictError, LeadNotFoundError, ValidationError } from './errors';
import { sendInFlight } from './nurture/enrollment';
import type { Clock, LeadStore } from './ports';
import type { SuppressionStore } from './suppression';

/** Deletes everything stored in a lead's partition; returns how many items went. */
export interface LeadEraser {
  erase(leadId: string): Promise<number>;
}

export interface EraseDeps {
  leads: Pick<LeadStore, 'load' | 'replace'> & LeadEraser;
  suppressions: Pick<SuppressionStore, 'suppress'>;
  clock: Clock;
}

const LEAD_ID = /^ld_[0-9a-f]{24}$/;

/**
 * GDPR erasure of a whole lead: profile, consent history, timeline and everything else in its
 * partition go. A hashed suppression (reason `erased`, no clear address) is written first and
 * stays, so the address is never mailed again even if it is captured anew by a later import.
 * 404 when unknown (also after an erase: a repeat finds nothing); 409 `send_in_progress` while
 * an email to the lead is being sent.
 */
export async function eraseLead(
  deps: EraseDeps,
  leadId: string,
  by: string,
): Promise<{ leadId: string; erased: true; items: number }> {
  if (!LEAD_ID.test(leadId)) throw new ValidationError([{ path: 'leadId', message: 'is not a lead id' }]);
  const email = await markErasing(deps, leadId);
  await deps.suppressions.suppress(email, 'erased', `admin:${by}`, deps.clock.now().toISOString());
  const items = await deps.leads.erase(leadId);
  return { leadId, erased: true, items };
}

/**
 * Marks the lead as being erased (a conditional write on its version), so no send-email run can
 * claim a step for it any more: a run that decided on the old version loses its claim write. A
 * step already claimed and being sent is waited for (409, erase again in a minute): otherwise its
 * timeline entry would land in the partition after it was deleted.
 */
async function markErasing(deps: EraseDeps, leadId: string): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const lead = await deps.leads.load(leadId);
    if (!lead) throw new LeadNotFoundError();
    const now = deps.clock.now();
    if (sendInFlight(lead.nurture, now))
      throw new ConflictError(
        'send_in_progress',
        'An email to this lead is being sent right now; erase again in a minute.',
      );
    if (lead.erasing) return lead.email;
    const marked = { ...lead, erasing: now.toISOString(), version: lead.version + 1 };
    if (await deps.leads.replace(marked, lead.version)) return lead.email;
  }
  throw new Error(`lead ${leadId} kept changing while being erased`);
}
