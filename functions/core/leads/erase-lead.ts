import type { SuppressionStore } from '../consent/suppression';
import type { Clock } from '../kernel/clock';
import { ConflictError, LeadNotFoundError, ValidationError } from '../kernel/errors';
import { LEAD_ID } from '../kernel/lead-id';
import { sendInFlight } from '../nurture/enrollment';
import type { DeliveryEraser } from '../webhooks/ports';
import type { LeadState } from './lead';
import type { LeadStore } from './ports';
import type { LeadErased } from './responses';

/** Deletes everything stored in a lead's partition; returns how many items went. */
export interface LeadEraser {
  erase(leadId: string): Promise<number>;
}

export interface EraseDeps {
  leads: Pick<LeadStore, 'load' | 'replace'> & LeadEraser;
  suppressions: Pick<SuppressionStore, 'suppress'>;
  /** Kept webhook deliveries that carried the person's data. */
  deliveries: DeliveryEraser;
  /** Tells consumers of the hot-lead queue to forget the person (they may hold a hand-off). */
  handoffs: { sendErased(leadId: string, erasedAt: string): Promise<void> };
  /** Background exports whose files may hold the person (lead-export-job.ts withdrawExports). */
  exports: { withdrawAll(): Promise<number> };
  /**
   * Tells the team's tools (webhooks, Slack, HubSpot) to forget the person: `lead.erased`, sent
   * straight to the fan-out. `erasingSince` is the same on a retry of a cut-short erase.
   */
  integrations?: { erased(leadId: string, erasingSince: string): Promise<unknown> };
  clock: Clock;
}

/** Who erased: a signed-in person (name and user name) or an API token (its name). */
export interface ErasedBy {
  name: string;
  username?: string;
}

/**
 * What the suppression entry records as its source (it outlives the lead, so it is the erase's
 * only record of who asked): `admin:<name>`, with a person's user name in brackets.
 */
export function erasureSource(by: ErasedBy | string): string {
  if (typeof by === 'string') return `admin:${by}`;
  return by.username ? `admin:${by.name} (${by.username})` : `admin:${by.name}`;
}

/**
 * GDPR erasure of a whole lead.
 * Input: the lead id and who asks. Output: how many items went (deliveries counted apart).
 * 1. Mark the lead as being erased (no email step can be claimed for it any more; 409
 *    `send_in_progress` while one is being sent; 404 when unknown, also on a repeat).
 * 2. Write the hashed suppression (reason `erased`, no clear address) with the erase time: the
 *    address is never mailed again, and nothing received before this time (a queued ad lead, a
 *    platform's retry, a replay) brings the person back.
 * 3. A lead ever handed off: publish the erase event on the hot-lead queue, so a consumer reading
 *    the queue directly forgets the person (the claim API drops both messages).
 * 4. Withdraw the background exports of the last 7 days (their CSV files may list the person):
 *    files deleted, jobs failed with the reason.
 * 5. Tell the integrations (`lead.erased`: no personal data; deliveries still pending for the lead
 *    read it when sent and find nothing).
 * 6. Delete the kept webhook deliveries linked to the lead, then its whole partition (profile,
 *    consent history, timeline, enrollments, delivery links), the lead item last.
 * Each step is idempotent: an erase cut short is finished by a retry (the lead item goes last).
 */
export async function eraseLead(deps: EraseDeps, leadId: string, by: ErasedBy | string): Promise<LeadErased> {
  if (!LEAD_ID.test(leadId)) throw new ValidationError([{ path: 'leadId', message: 'is not a lead id' }]);
  const lead = await markErasing(deps, leadId);
  const erasedAt = deps.clock.now().toISOString();
  await deps.suppressions.suppress(lead.email, 'erased', erasureSource(by), erasedAt);
  if (lead.handoff) await deps.handoffs.sendErased(leadId, erasedAt);
  await deps.exports.withdrawAll();
  await deps.integrations?.erased(leadId, lead.erasing ?? erasedAt);
  const deliveries = await deps.deliveries.eraseForLead(leadId);
  const items = await deps.leads.erase(leadId);
  return { leadId, erased: true, items, deliveries };
}

/**
 * Marks the lead as being erased (a conditional write on its version), so no send-email run can
 * claim a step for it any more: a run that decided on the old version loses its claim write. A
 * step already claimed and being sent is waited for (409, erase again in a minute): otherwise its
 * timeline entry would land in the partition after it was deleted.
 */
async function markErasing(deps: EraseDeps, leadId: string): Promise<LeadState> {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const lead = await deps.leads.load(leadId);
    if (!lead) throw new LeadNotFoundError();
    const now = deps.clock.now();
    if (sendInFlight(lead.nurture, now))
      throw new ConflictError(
        'send_in_progress',
        'An email to this lead is being sent right now; erase again in a minute.',
      );
    if (lead.erasing) return lead;
    const marked = { ...lead, erasing: now.toISOString(), version: lead.version + 1 };
    if (await deps.leads.replace(marked, lead.version)) return marked;
  }
  throw new Error(`lead ${leadId} kept changing while being erased`);
}
