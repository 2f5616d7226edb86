import { createHmac, timingSafeEqual } from 'node:crypto';

const LEAD_ID = /^ld_[0-9a-f]{24}$/;
const VERSION = '1';

export interface UnsubscribeClaim {
  leadId: string;
  issuedAt: Date;
}

/**
 * The opaque token in every marketing email's unsubscribe link and List-Unsubscribe header:
 * base64url(`1.<leadId>.<issued, epoch seconds>`) + "." + base64url(HMAC-SHA256 of that payload).
 * Tokens never expire on purpose: CAN-SPAM requires an opt-out link to keep working for at
 * least 30 days after sending, and people unsubscribe from old mail; the issue time is kept
 * for auditing only. Rotating the key invalidates every link sent before: keep the old key.
 */
export function signUnsubscribeToken(leadId: string, key: string, now: Date): string {
  if (!LEAD_ID.test(leadId)) throw new Error('not a lead id');
  const payload = Buffer.from(`${VERSION}.${leadId}.${Math.floor(now.getTime() / 1000)}`).toString(
    'base64url',
  );
  return `${payload}.${mac(payload, key).toString('base64url')}`;
}

/** The lead a token was issued for, or undefined for anything not signed with `key` (constant-time check). */
export function verifyUnsubscribeToken(token: string, key: string): UnsubscribeClaim | undefined {
  if (token.length > 200) return undefined;
  const [payload, signature, extra] = token.split('.');
  if (!payload || !signature || extra !== undefined) return undefined;
  // Compare the encoded text, not decoded bytes: base64url decoding forgives stray characters.
  const given = Buffer.from(signature);
  const expected = Buffer.from(mac(payload, key).toString('base64url'));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  const [version, leadId, issued] = Buffer.from(payload, 'base64url').toString('utf8').split('.');
  if (version !== VERSION || !leadId || !LEAD_ID.test(leadId) || !/^\d{1,12}$/.test(issued ?? '')) {
    return undefined;
  }
  return { leadId, issuedAt: new Date(Number(issued) * 1000) };
}

function mac(payload: string, key: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}
