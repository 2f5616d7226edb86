import { LEAD_ID } from '../kernel/lead-id';
import { openText, type SigningKeys, signText } from '../kernel/signed-token';

const FORM_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** The payload's first part: never the unsubscribe token's `1`, so neither kind reads as the other. */
const PURPOSE = 'confirm1';
/** The HMAC key is derived per purpose too: a token of one kind never verifies as the other. */
const KEY_LABEL = 'leadflow/confirm-subscription';
const DAY_MS = 86_400_000;

export interface ConfirmationClaim {
  leadId: string;
  formId: string;
  issuedAt: Date;
  expiresAt: Date;
}

export type ConfirmationCheck =
  | { ok: true; claim: ConfirmationClaim }
  /** `expired`: ours and intact, but too old; `invalid`: anything not signed by us for this purpose. */
  | { ok: false; reason: 'invalid' | 'expired' };

/**
 * The opaque token in a double opt-in confirmation link:
 * base64url(`confirm1.<leadId>.<formId>.<issued>.<expires>`, epoch seconds) + "." + base64url(HMAC).
 * Unlike an unsubscribe link, a confirmation link expires (`expiresInDays` from sending): consent
 * must be given close to the request, and an old forwarded email must not subscribe anyone.
 * Signed with the ring's current key.
 */
export function signConfirmationToken(
  subject: { leadId: string; formId: string },
  keys: SigningKeys,
  now: Date,
  expiresInDays: number,
): string {
  if (!LEAD_ID.test(subject.leadId)) throw new Error('not a lead id');
  if (!FORM_ID.test(subject.formId)) throw new Error('not a form id');
  if (!Number.isInteger(expiresInDays) || expiresInDays < 1) throw new Error('expiresInDays must be >= 1');
  const issued = Math.floor(now.getTime() / 1000);
  const expires = issued + (expiresInDays * DAY_MS) / 1000;
  return signText(`${PURPOSE}.${subject.leadId}.${subject.formId}.${issued}.${expires}`, keys, KEY_LABEL);
}

/** Checks the signature against each key of the ring (constant time), then the purpose, the ids and the expiry. */
export function verifyConfirmationToken(token: string, keys: SigningKeys, now: Date): ConfirmationCheck {
  const invalid = { ok: false, reason: 'invalid' } as const;
  const text = openText(token, keys, 300, KEY_LABEL);
  if (text === undefined) return invalid;
  const parts = text.split('.');
  const [purpose, leadId, formId, issued, expires] = parts;
  if (
    parts.length !== 5 ||
    purpose !== PURPOSE ||
    !leadId ||
    !LEAD_ID.test(leadId) ||
    !formId ||
    !FORM_ID.test(formId) ||
    !/^\d{1,12}$/.test(issued ?? '') ||
    !/^\d{1,12}$/.test(expires ?? '')
  ) {
    return invalid;
  }
  const claim: ConfirmationClaim = {
    leadId,
    formId,
    issuedAt: new Date(Number(issued) * 1000),
    expiresAt: new Date(Number(expires) * 1000),
  };
  if (now.getTime() >= claim.expiresAt.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claim };
}
