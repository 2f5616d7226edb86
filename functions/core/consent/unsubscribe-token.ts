import { LEAD_ID } from '../kernel/lead-id';
import { openText, signText } from '../kernel/signed-token';

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
  return signText(`${VERSION}.${leadId}.${Math.floor(now.getTime() / 1000)}`, key);
}

/** The lead a token was issued for, or undefined for anything not signed with `key` (constant-time check). */
export function verifyUnsubscribeToken(token: string, key: string): UnsubscribeClaim | undefined {
  const text = openText(token, key, 200);
  if (text === undefined) return undefined;
  const [version, leadId, issued] = text.split('.');
  if (version !== VERSION || !leadId || !LEAD_ID.test(leadId) || !/^\d{1,12}$/.test(issued ?? '')) {
    return undefined;
  }
  return { leadId, issuedAt: new Date(Number(issued) * 1000) };
}
