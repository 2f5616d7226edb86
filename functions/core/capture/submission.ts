import { type CountryCode, type MetadataJson, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import * as z from 'zod/mini';
import { isCountryCode } from '../kernel/countries';
import { leadIdFor, normalizeEmail } from '../kernel/email';
import { type FieldError, ValidationError } from '../kernel/errors';
import type { Attribution, ConsentRecord, FieldValue, LeadInput } from '../leads/lead';
import { domainOf, emailDomainType } from '../scoring/email-domain';
import { type Form, type FormField, UTM_FIELDS } from './form';
import { PHONE_METADATA_JSON } from './phone-metadata';

/** A submission as it arrives: JSON values or urlencoded strings, before any form rule. */
// zod/mini: the same schema library, tree-shakable, so the capture function's cold start stays small.
export const submissionBodySchema = z.record(
  z.string().check(z.maxLength(100)),
  z.union([z.string(), z.number(), z.boolean(), z.null()]),
);
const emailSchema = z.email();
export type SubmissionBody = z.infer<typeof submissionBodySchema>;

export interface SubmissionMeta {
  at: string;
  ip?: string;
  /** The Referer header: the page the form was on, when the browser tells us. */
  referer?: string;
}

// Control characters and bidi overrides never belong in a lead; multi-line fields keep \n and \t.
const CONTROL = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;
const TRUE = new Set(['true', 'on', 'yes', '1']);
const FALSE = new Set(['false', 'off', 'no', '0', '']);

function clean(value: string, keepLines = false): string {
  return value.replace(CONTROL, (c) => (keepLines && (c === '\n' || c === '\t') ? c : '')).trim();
}

type Parsed = { ok: true; value: FieldValue | undefined } | { ok: false; message: string };

/**
 * Fields that end up in a greeting ("Hi {{ firstName }}"), a subject or a sales view: the standard
 * name-like ones, and any custom text field the form marks `nameLike: true`. Whoever fills a form
 * can type any address into it, so these must not carry a message to that address (a link, an
 * address, markup or template syntax): the form would be a relay for the sender's good name.
 */
export const NAME_LIKE_FIELDS: ReadonlySet<string> = new Set([
  'firstName',
  'lastName',
  'company',
  'jobTitle',
]);

const isNameLike = (field: FormField) =>
  (field.type === 'text' || field.type === 'textarea') &&
  (NAME_LIKE_FIELDS.has(field.name) || (field.type === 'text' && field.nameLike === true));

// Dots as browsers read them in host names (full stop, ideographic, fullwidth, halfwidth).
const DOT = '[.\\u3002\\uFF0E\\uFF61]';
const MARKUP = /[<>]|\{\{|\}\}|\{%|%\}/;
const AT = /[@\uFF20\uFE6B]/;
const WEB_ADDRESS = new RegExp(
  [
    '[a-z][a-z0-9+.-]*:\\/\\/', // any scheme://
    `\\bwww${DOT}`,
    // a bare domain: label.tld (tld of letters, or punycode), e.g. evil.example/login, Shop.com
    `[\\p{L}\\p{N}-]${DOT}(?:\\p{L}{2,}|xn--[a-z0-9-]+)(?![\\p{L}\\p{N}])`,
  ].join('|'),
  'iu',
);

/** Why a name-like value is refused, if it is: read as a mail client or a person would read it. */
export function nameProblem(text: string): string | undefined {
  // Compatibility forms (fullwidth ｈｔｔｐｓ：／／) and invisible format characters would hide a link.
  const seen = text.normalize('NFKC').replace(/\p{Cf}/gu, '');
  if (MARKUP.test(seen)) return 'must not contain markup or template characters (< > {{ }})';
  if (AT.test(seen)) return 'must not contain an email address';
  if (WEB_ADDRESS.test(seen)) return 'must not contain a web address or a domain name';
  return undefined;
}

function parseField(field: FormField, raw: unknown): Parsed {
  if (raw === null || raw === undefined) return { ok: true, value: undefined };
  if (field.type === 'boolean') {
    if (typeof raw === 'boolean') return { ok: true, value: raw };
    const text = clean(String(raw)).toLowerCase();
    if (TRUE.has(text)) return { ok: true, value: true };
    if (FALSE.has(text)) return { ok: true, value: undefined };
    return { ok: false, message: 'must be true or false' };
  }
  const text = clean(String(raw), field.type === 'textarea');
  if (text === '') return { ok: true, value: undefined };
  switch (field.type) {
    case 'text':
    case 'textarea': {
      if (text.length > field.maxLength)
        return { ok: false, message: `must be at most ${field.maxLength} characters` };
      const problem = isNameLike(field) ? nameProblem(text) : undefined;
      return problem ? { ok: false, message: problem } : { ok: true, value: text };
    }
    case 'email': {
      const email = normalizeEmail(text);
      if (email.length > 254 || !emailSchema.safeParse(email).success) {
        return { ok: false, message: 'must be a valid email address' };
      }
      if (emailDomainType(domainOf(email) ?? '') === 'disposable') {
        return {
          ok: false,
          message: 'disposable email addresses are not accepted; please use your own address',
        };
      }
      return { ok: true, value: email };
    }
    case 'country': {
      const code = text.toUpperCase();
      return isCountryCode(code)
        ? { ok: true, value: code }
        : { ok: false, message: 'must be an ISO 3166 alpha-2 country code, such as DE or US' };
    }
    case 'number': {
      const value = Number(text);
      if (!Number.isFinite(value)) return { ok: false, message: 'must be a number' };
      if (field.min !== undefined && value < field.min)
        return { ok: false, message: `must be at least ${field.min}` };
      if (field.max !== undefined && value > field.max)
        return { ok: false, message: `must be at most ${field.max}` };
      return { ok: true, value };
    }
    case 'select':
      return field.options.includes(text)
        ? { ok: true, value: text }
        : { ok: false, message: `must be one of: ${field.options.join(', ')}` };
    case 'phone':
      return text.length > 40 ? { ok: false, message: 'must be a phone number' } : { ok: true, value: text };
  }
}

/** libphonenumber-js/min's metadata, parsed on the first phone (see bin/lookup-data.ts). */
let phoneMetadata: MetadataJson | undefined;

/** E.164 when the number parses (with the country as the default region); else as typed, if plausible. */
function normalizePhone(text: string, country: string | undefined): Parsed {
  phoneMetadata ??= JSON.parse(PHONE_METADATA_JSON) as MetadataJson;
  const phone = parsePhoneNumberFromString(
    text,
    { defaultCountry: country as CountryCode | undefined },
    phoneMetadata,
  );
  if (phone?.isValid()) return { ok: true, value: phone.number };
  if (!text.startsWith('+') && !country && /^[\d\s().-]{5,}$/.test(text)) return { ok: true, value: text };
  return { ok: false, message: 'must be a valid phone number (with country code, or with a country given)' };
}

function httpUrl(raw: unknown): string | undefined {
  if (typeof raw !== 'string' || raw.length > 2000) return undefined;
  try {
    const url = new URL(clean(raw));
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

function attributionOf(body: SubmissionBody, meta: SubmissionMeta): Attribution {
  const page = httpUrl(body._page) ?? httpUrl(meta.referer);
  const query = page ? new URL(page).searchParams : undefined;
  const attribution: Attribution = { page, referrer: httpUrl(body._referrer) };
  for (const name of UTM_FIELDS) {
    const raw = body[name] ?? query?.get(name);
    const value = raw === null || raw === undefined ? '' : clean(String(raw)).slice(0, 200);
    if (value) attribution[name] = value;
  }
  return Object.fromEntries(Object.entries(attribution).filter(([, v]) => v !== undefined)) as Attribution;
}

/**
 * Turns a raw submission into a lead input by the form's rules.
 * 1. Each declared field is cleaned (control characters out), typed, length-checked; required ones present.
 * 2. The phone goes to E.164 when a country is known; undeclared fields are ignored.
 * 3. Consent is recorded with the form's text, time, source and IP (pending confirmation on a
 *    double opt-in form); UTM, page and referrer kept.
 * Throws ValidationError listing every field error at once.
 */
export async function normalizeSubmission(
  form: Form,
  body: SubmissionBody,
  meta: SubmissionMeta,
): Promise<LeadInput> {
  const errors: FieldError[] = [];
  const fields: Record<string, FieldValue> = {};
  for (const field of form.fields) {
    const parsed = parseField(field, body[field.name]);
    if (!parsed.ok) errors.push({ path: field.name, message: parsed.message });
    else if (parsed.value !== undefined) fields[field.name] = parsed.value;
    else if (field.required) errors.push({ path: field.name, message: 'is required' });
  }
  if (typeof fields.phone === 'string') {
    const phone = normalizePhone(fields.phone, fields.country as string | undefined);
    if (phone.ok && phone.value !== undefined) fields.phone = phone.value;
    else if (!phone.ok) errors.push({ path: 'phone', message: phone.message });
  }
  const granted = form.consent ? fields[form.consent.field] === true : false;
  if (form.consent?.required && !granted)
    errors.push({ path: form.consent.field, message: 'consent is required' });
  if (errors.length > 0) throw new ValidationError(errors);

  const email = fields.email as string;
  const source = `form:${form.id}`;
  const consent: ConsentRecord | undefined = form.consent
    ? {
        granted,
        text: form.consent.text,
        at: meta.at,
        source,
        ...(meta.ip ? { ip: meta.ip } : {}),
        // Double opt-in: the ticked box asks for a confirmation email; consent waits for the click.
        ...(granted && form.consent.doubleOptIn === true ? { pendingConfirmation: true } : {}),
      }
    : undefined;
  if (form.consent) delete fields[form.consent.field];
  return {
    leadId: leadIdFor(email),
    email,
    fields,
    consent,
    attribution: attributionOf(body, meta),
    stage: form.stage,
  };
}
