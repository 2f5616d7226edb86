import type { LeadState } from '../../leads/lead';
import type { IntegrationEvent } from '../events';
import { whyHot } from '../why-hot';
import type { HubspotSettings } from './ports';

/** The contact's properties from the lead, by the configured mapping (empty values left out). */
export function contactProperties(lead: LeadState, fields: Record<string, string>): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [field, property] of Object.entries(fields)) {
    const value = field === 'email' ? lead.email : lead.profile[field]?.value;
    if (value !== undefined && value !== '') properties[property] = String(value);
  }
  properties.email = lead.email;
  return properties;
}

/** The owner's follow-up task: due `taskDueHours` after the lead turned hot, with why it is hot and the console link. */
export function taskProperties(
  lead: LeadState,
  event: IntegrationEvent,
  settings: HubspotSettings,
  rep: string | undefined,
): Record<string, string> {
  const due = new Date(Date.parse(event.occurredAt) + settings.taskDueHours * 3_600_000).toISOString();
  const reasons = whyHot(lead).map((r) => `${r.rule} +${r.points}: ${r.reason}`);
  const score = lead.score ? `Score ${lead.score.total} (grade ${lead.score.grade}). ` : '';
  const owner = rep ? settings.owners[rep] : undefined;
  return {
    hs_timestamp: due,
    hs_task_subject: 'Follow up a hot lead from Leadflow',
    hs_task_body:
      `${score}Why hot: ${reasons.join('; ') || 'no rule recorded'}. Claim it: ${settings.publicUrl}/console/leads/${lead.leadId}`.slice(
        0,
        65_000,
      ),
    hs_task_status: 'NOT_STARTED',
    hs_task_priority: 'HIGH',
    hs_task_type: 'TODO',
    ...(owner ? { hubspot_owner_id: owner } : {}),
  };
}
