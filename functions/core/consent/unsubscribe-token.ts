import { LEAD_ID } from '../kernel/lead-id';
import { openText, type SigningKeys, signText } from '../kernel/signed-token';

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
 * for auditing only. Signed with the ring's current key; a key roll keeps the previous key in the
 * ring, or every link sent before it would stop working (docs/operations-key-roll.md).
 */
export function signUnsubscribeToken(leadId: string, keys: SigningKeys, now: Date): string {
  if (!LEAD_ID.test(leadId)) throw new Error('not a lead id');
  return signText(`${VERSION}.${leadId}.${Math.floor(now.getTime() / 1000)}`, keys);
}

/** The lead a token was issued for, or undefined for anything not signed with a key of the ring (constant-time checks). */
export function verifyUnsubscribeToken(token: string, keys: SigningKeys): UnsubscribeClaim | undefined {
  const text = openText(token, keys, 200);
  if (text === undefined) return undefined;
  const [version, leadId, issued] = text.split('.');
  if (version !== VERSION || !leadId || !LEAD_ID.test(leadId) || !/^\d{1,12}$/.test(issued ?? '')) {
    return undefined;
  }
  return { leadId, issuedAt: new Date(Number(issued) * 1000) };
}
