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

/**
 * The signing keys, current first: the first key signs; every key verifies, in order. A planned
 * key roll keeps the previous key (and may stage the next one) in the ring, so links and tokens
 * signed before the roll keep working. One key alone is a ring of one.
 */
export type KeyRing = readonly [string, ...string[]];
export type SigningKeys = string | KeyRing;

/** The keys as a ring (a single key is a ring of one). */
export function ringOf(keys: SigningKeys): KeyRing {
  return typeof keys === 'string' ? [keys] : keys;
}

/** The key that signs: the ring's first. */
export const currentKey = (keys: SigningKeys): string => ringOf(keys)[0];

/** True when `given` is the MAC of some key in the ring (each compared in constant time). */
export function macMatchesAny(given: string, keys: SigningKeys, macFor: (key: string) => string): boolean {
  return ringOf(keys).some((key) => sameMac(given, macFor(key)));
}

/** `base64url(text).base64url(MAC)`: the shape of the unsubscribe and confirmation links' tokens. */
export function signText(text: string, keys: SigningKeys, label?: string): string {
  const payload = Buffer.from(text).toString('base64url');
  return `${payload}.${macOf(payload, currentKey(keys), label)}`;
}

/** The text a `signText` token carries, or undefined for anything not signed with a key of the ring and this label. */
export function openText(
  token: string,
  keys: SigningKeys,
  maxLength: number,
  label?: string,
): string | undefined {
  if (token.length > maxLength) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  if (!macMatchesAny(signature, keys, (key) => macOf(payload, key, label))) return undefined;
  return Buffer.from(payload, 'base64url').toString('utf8');
}
