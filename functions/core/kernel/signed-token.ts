import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * HMAC-SHA256 of `text`, base64url. With a `label`, under a key derived for that purpose from
 * `key`, so a token signed for one purpose never verifies as another; `bytes` truncates the MAC.
 */
export function macOf(text: string, key: string, label?: string, bytes = 32): string {
  const purposeKey = label === undefined ? key : createHmac('sha256', key).update(label).digest();
  return createHmac('sha256', purposeKey).update(text).digest().subarray(0, bytes).toString('base64url');
}

/**
 * Constant-time comparison of a given MAC with the expected one, as encoded text (base64url
 * decoding forgives stray characters, so decoded bytes could match for different texts).
 */
export function sameMac(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `base64url(text).base64url(MAC)`: the shape of the unsubscribe and confirmation links' tokens. */
export function signText(text: string, key: string, label?: string): string {
  const payload = Buffer.from(text).toString('base64url');
  return `${payload}.${macOf(payload, key, label)}`;
}

/** The text a `signText` token carries, or undefined for anything not signed with this key and label. */
export function openText(token: string, key: string, maxLength: number, label?: string): string | undefined {
  if (token.length > maxLength) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!sameMac(signature, macOf(payload, key, label))) return undefined;
  return Buffer.from(payload, 'base64url').toString('utf8');
}
