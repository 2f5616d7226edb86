import { type RecordDeps, recordActivity } from '../record-activity';
import { type AdLead, adLeadToCapture } from './ad-lead';

/**
 * Capture a lead from an ad platform into the same pipeline as forms: deduplicated by email,
 * scored, handed off when hot. The platform's lead id fixes the activity id, so a redelivery
 * (Meta retries for ~36 hours) stores nothing new.
 */
export async function captureAdLead(
  deps: RecordDeps,
  lead: AdLead,
): Promise<{ leadId: string; duplicate: boolean }> {
  const { input, activity } = await adLeadToCapture(lead, deps.clock.now().toISOString());
  if (lead.test) input.test = true;
  const recorded = await recordActivity(
    deps,
    { leadId: input.leadId, email: input.email, activity, merge: input },
    { createIfMissing: true },
  );
  return { leadId: input.leadId, duplicate: recorded.duplicate };
}
