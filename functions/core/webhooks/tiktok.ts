import { MalformedBodyError, ValidationError } from '../kernel/errors';
import type { AdLead } from './ad-lead';
import { customFieldName, mapAnswers } from './fields';
import { hmacSha256Hex, sameHex } from './signatures';

/**
 * TikTok lead generation webhooks (developers.tiktok.com/doc/webhooks-overview and
 * /doc/webhooks-verification): a signed envelope `{client_key, event, create_time, user_openid,
 * content}` whose `content` is the event's payload serialized as a JSON string; here, the lead.
 */

/** How far the signed timestamp may be from our clock, either way: older is a replay, newer a skewed sender. */
export const TIKTOK_TOLERANCE_SECONDS = 5 * 60;

export type TiktokSignatureCheck = 'valid' | 'invalid' | 'stale';

/**
 * `TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256(t + "." + raw body, secret)>`. The
 * signature is checked first, in constant time over the raw bytes; a valid one whose timestamp is
 * more than 5 minutes from `nowSeconds` (either way) is `stale`.
 */
export function checkTiktokSignature(
  rawBody: Buffer,
  header: string | undefined,
  secret: string,
  nowSeconds: number,
): TiktokSignatureCheck {
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of (header ?? '').split(',')) {
    const at = part.indexOf('=');
    if (at < 0) continue;
    const key = part.slice(0, at).trim();
    const value = part.slice(at + 1).trim();
    if (key === 't' && timestamp === undefined) timestamp = value;
    else if (key === 's' && signatures.length < 4) signatures.push(value);
  }
  if (!timestamp || !/^[0-9]{1,12}$/.test(timestamp) || signatures.length === 0) return 'invalid';
  const expected = hmacSha256Hex(secret, Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), rawBody]));
  let valid = false;
  for (const given of signatures) valid = sameHex(expected, given) || valid;
  if (!valid) return 'invalid';
  return Math.abs(nowSeconds - Number(timestamp)) > TIKTOK_TOLERANCE_SECONDS ? 'stale' : 'valid';
}

/** Standard TikTok instant-form questions (names snake-cased) that are Leadflow standard fields. */
const TIKTOK_FIELDS: Record<string, string> = {
  email: 'email',
  email_address: 'email',
  work_email: 'email',
  first_name: 'firstName',
  last_name: 'lastName',
  phone: 'phone',
  phone_number: 'phone',
  work_phone_number: 'phone',
  company: 'company',
  company_name: 'company',
  job_title: 'jobTitle',
  country: 'country',
  country_region: 'country',
};

type Json = Record<string, unknown>;
const obj = (value: unknown): Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
const str = (value: unknown): string | undefined => {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined;
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
};

/** The lead's answers: `lead_data` as `{question: answer}` or as a list of `{name | field_name, value | field_value}`. */
function answersOf(data: unknown): { name: string; value: string }[] {
  const entries: [unknown, unknown][] = Array.isArray(data)
    ? data.map((item) => {
        const a = obj(item);
        return [a.name ?? a.field_name ?? a.question, a.value ?? a.field_value ?? a.answer];
      })
    : Object.entries(obj(data));
  return entries.flatMap(([label, raw]) => {
    const value = Array.isArray(raw) ? raw.map(str).filter(Boolean).join(', ') : str(raw);
    const name = typeof label === 'string' ? customFieldName(label) : undefined;
    if (!name || !value) return [];
    // TikTok's standard "Name" question is the full name.
    return [{ name: name === 'name' ? 'full_name' : name, value }];
  });
}

/**
 * The lead in a delivery. The envelope is TikTok's documented one; `content` (a JSON string) holds
 * the lead as TikTok's leads API returns it: `lead_id`, `advertiser_id`, `campaign_id`,
 * `adgroup_id`, `ad_id`, `page_id` (the instant form), `create_time` (epoch seconds) and the answers
 * in `lead_data`, either at the top level or split into `meta_data` (the ids) and `lead_data`.
 * Unknown fields are ignored; a body that carries no lead is a 400.
 */
export function tiktokAdLead(payload: unknown, deliveryId: string): AdLead {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ValidationError([{ path: '(body)', message: 'must be a JSON object' }]);
  }
  const envelope = payload as Json;
  let content: unknown = envelope.content;
  if (typeof content === 'string') {
    try {
      content = JSON.parse(content);
    } catch {
      throw new MalformedBodyError('The content field is not a JSON string.');
    }
  }
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw new ValidationError([{ path: 'content', message: 'must be a JSON object serialized as a string' }]);
  }
  const lead = content as Json;
  const meta = { ...lead, ...obj(lead.meta_data) };
  const leadId = str(meta.lead_id);
  if (!leadId || leadId.length > 128)
    throw new ValidationError([{ path: 'content.lead_id', message: 'is required' }]);
  const attribution: Record<string, string> = {};
  for (const [from, to] of [
    ['page_id', 'form_id'],
    ['form_id', 'form_id'],
    ['campaign_id', 'campaign_id'],
    ['adgroup_id', 'adgroup_id'],
    ['ad_id', 'ad_id'],
    ['advertiser_id', 'advertiser_id'],
  ] as const) {
    const value = str(meta[from]);
    if (value) attribution[to] = value.slice(0, 128);
  }
  // Only numbers or numeric strings: Number() of an object runs its toString/valueOf (or throws).
  const rawCreated = meta.create_time ?? envelope.create_time;
  const created =
    typeof rawCreated === 'number' || typeof rawCreated === 'string' ? Number(rawCreated) : Number.NaN;
  const createdMs = created > 1e12 ? created : created * 1000;
  return {
    provider: 'tiktok',
    providerLeadId: leadId,
    fields: mapAnswers(answersOf(lead.lead_data ?? lead.fields ?? lead.answers), TIKTOK_FIELDS),
    attribution,
    submittedAt:
      Number.isFinite(createdMs) && createdMs > 0 && createdMs < 8.64e15
        ? new Date(createdMs).toISOString()
        : new Date().toISOString(),
    deliveryId,
  };
}
