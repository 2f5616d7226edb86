import type { Form } from '../capture/form';
import { normalizeSubmission } from '../capture/submission';
import { sha256Hex } from '../kernel/email';
import { ValidationError } from '../kernel/errors';
import type { Activity, LeadInput } from '../leads/lead';

export const PROVIDERS = ['meta', 'google', 'linkedin', 'tiktok'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A lead from an ad platform, with its answers already mapped to Leadflow's field names. */
export interface AdLead {
  provider: Provider;
  /** The platform's own id of this lead (leadgen_id, lead_id, ...): the dedupe key. */
  providerLeadId: string;
  fields: Record<string, string>;
  /** Campaign, ad group, ad/creative and form ids: the lead's attribution. */
  attribution: Record<string, string>;
  submittedAt: string;
  /** A platform test lead: stored, never nurtured or handed off. */
  test?: boolean;
  deliveryId: string;
}

const TYPED: Record<string, 'email' | 'phone' | 'country'> = {
  email: 'email',
  phone: 'phone',
  country: 'country',
};

/** The implicit form of an ad lead: the fields it carries, lenient lengths, email required. */
function implicitForm(lead: AdLead): Form {
  return {
    id: `${lead.provider}`,
    name: lead.provider,
    stage: 'lead',
    thankYouUrl: 'https://leadflow.invalid/',
    allowedOrigins: ['https://leadflow.invalid'],
    honeypotField: '_gotcha',
    fields: Object.keys(lead.fields).map((name) => {
      // Own entries only: a custom field named `constructor` is text, not Object's constructor.
      const type = Object.hasOwn(TYPED, name) ? TYPED[name] : undefined;
      return type === 'email'
        ? { name, type: 'email', required: true }
        : type
          ? { name, type, required: false }
          : { name, type: 'text', required: false, maxLength: 1000 };
    }) as Form['fields'],
  };
}

/**
 * Maps an ad lead into the same lead input and activity as a form submission (source = the
 * platform; campaign, ad and form ids as attribution). A field the platform sent that does not
 * validate (an impossible phone number, say) is dropped rather than losing the lead; only a
 * missing or invalid email refuses it.
 */
export async function adLeadToCapture(
  lead: AdLead,
  at: string,
): Promise<{ input: LeadInput; activity: Activity }> {
  if (!lead.fields.email)
    throw new ValidationError([{ path: 'email', message: 'the lead carries no email address' }]);
  const form = implicitForm(lead);
  let body: Record<string, string> = { ...lead.fields };
  let input: LeadInput | undefined;
  for (let attempt = 0; attempt < 2 && !input; attempt += 1) {
    try {
      input = await normalizeSubmission(form, body, { at });
    } catch (error) {
      if (!(error instanceof ValidationError) || attempt > 0) throw error;
      const bad = new Set(error.details.map((d) => d.path));
      if (bad.has('email')) throw error;
      body = Object.fromEntries(Object.entries(body).filter(([name]) => !bad.has(name)));
    }
  }
  if (!input) throw new ValidationError([{ path: 'email', message: 'is required' }]);
  const source = lead.provider;
  input.attribution = { ...input.attribution, utm_source: lead.provider, ...lead.attribution };
  const formId = lead.attribution.form_id ? `${lead.provider}:${lead.attribution.form_id}` : lead.provider;
  const activity: Activity = {
    activityId: `act_${lead.provider}_${sha256Hex(lead.providerLeadId).slice(0, 24)}`,
    leadId: input.leadId,
    type: 'form_submitted',
    at: lead.submittedAt,
    source,
    formId,
    attribution: input.attribution,
    fields: Object.keys(input.fields).sort(),
    properties: {
      provider: lead.provider,
      providerLeadId: lead.providerLeadId,
      deliveryId: lead.deliveryId,
      ...(lead.test ? { test: true } : {}),
    },
  };
  return { input, activity };
}
