import { createHash } from 'node:crypto';
import { keyedIdentityHash } from './identity-key';

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com']);

/** The address as we will write to it: trimmed and lower-cased. */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/**
 * The identity of a person: Gmail ignores dots and +tags in the local part, so
 * "Ada.Lovelace+news@gmail.com" and "adalovelace@googlemail.com" are one inbox, one lead.
 * Other providers are left alone: their dots and plus signs can be significant.
 */
export function emailIdentity(raw: string): string {
  const email = normalizeEmail(raw);
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (!GMAIL_DOMAINS.has(domain)) return email;
  const folded = local.split('+')[0]?.replaceAll('.', '') ?? '';
  return `${folded}@gmail.com`;
}

/**
 * A lead's id is derived from its identity, so dedupe needs no lookup and no transaction; keyed
 * with the install's identity key, so an id cannot be tested against a guessed address.
 */
export function leadIdFor(rawEmail: string): string {
  return `ld_${keyedIdentityHash('lead', emailIdentity(rawEmail)).slice(0, 24)}`;
}

export function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
