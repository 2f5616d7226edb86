import type { FieldValue, LeadState } from '../leads/lead';
import { TEMPLATE_FIELDS, type TemplateVars } from './render';

const STANDARD = new Set<string>(TEMPLATE_FIELDS);

/** Template variables of a stored lead, as the send path builds them. */
export function leadVars(lead: LeadState, unsubscribeUrl: string): TemplateVars {
  const vars = profileVars(
    Object.fromEntries(Object.entries(lead.profile).map(([name, field]) => [name, field.value])),
    unsubscribeUrl,
  );
  vars.fields.email = lead.email;
  return { ...vars, stage: lead.stage, score: lead.score?.total };
}

/** Template variables of a sketched profile: standard fields by name, anything else under `custom`. */
export function profileVars(profile: Record<string, FieldValue>, unsubscribeUrl: string): TemplateVars {
  const fields: Record<string, FieldValue> = {};
  const custom: Record<string, FieldValue> = {};
  for (const [name, value] of Object.entries(profile)) {
    if (STANDARD.has(name)) fields[name] = value;
    else custom[name] = value;
  }
  return { fields, custom, unsubscribeUrl };
}
