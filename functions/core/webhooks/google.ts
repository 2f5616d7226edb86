import { ForbiddenError, ValidationError } from '../kernel/errors';
import type { AdLead } from './ad-lead';
import { COMMON_ANSWER_FIELDS, mapAnswers } from './fields';
import { sameSecret } from './signatures';

/** Google Ads lead form webhooks: the shared key in the body, the lead's answers inline. */

const GOOGLE_COLUMNS: Record<string, string> = {
  ...COMMON_ANSWER_FIELDS,
  work_phone: 'phone',
};

const str = (value: unknown) =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** Checks the key and maps the lead; 403 for a wrong key, 400 for a body that is not a lead. */
export function googleAdLead(payload: unknown, googleKey: string, deliveryId: string): AdLead {
  const body = payload as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError([{ path: '(body)', message: 'must be a JSON object' }]);
  }
  if (!sameSecret(googleKey, typeof body.google_key === 'string' ? body.google_key : undefined)) {
    throw new ForbiddenError('The google_key does not match.');
  }
  const leadId = str(body.lead_id);
  if (!leadId) throw new ValidationError([{ path: 'lead_id', message: 'is required' }]);
  const columns = Array.isArray(body.user_column_data) ? body.user_column_data : [];
  const answers = columns.flatMap((column) => {
    if (typeof column !== 'object' || column === null) return [];
    const c = column as { column_id?: unknown; column_name?: unknown; string_value?: unknown };
    const name =
      typeof c.column_id === 'string'
        ? c.column_id
        : typeof c.column_name === 'string'
          ? c.column_name
          : undefined;
    return name && typeof c.string_value === 'string'
      ? [{ name: name.toLowerCase(), value: c.string_value }]
      : [];
  });
  const attribution: Record<string, string> = {};
  for (const [from, to] of [
    ['form_id', 'form_id'],
    ['campaign_id', 'campaign_id'],
    ['adgroup_id', 'adgroup_id'],
    ['creative_id', 'ad_id'],
    ['gcl_id', 'gclid'],
  ] as const) {
    const value = str(body[from]);
    if (value) attribution[to] = value;
  }
  const submitted =
    typeof body.lead_submit_time === 'string' ? Date.parse(body.lead_submit_time.replace(' ', 'T')) : NaN;
  return {
    provider: 'google',
    providerLeadId: leadId,
    fields: mapAnswers(answers, GOOGLE_COLUMNS),
    attribution,
    submittedAt: Number.isNaN(submitted) ? new Date().toISOString() : new Date(submitted).toISOString(),
    test: body.is_test === true,
    deliveryId,
  };
}
