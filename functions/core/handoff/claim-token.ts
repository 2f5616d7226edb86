import { randomBytes } from 'node:crypto';
import { LeadflowError } from '../kernel/errors';
import { currentKey, macMatchesAny, macOf, type SigningKeys } from '../kernel/signed-token';

const LEAD_ID = /^ld_([0-9a-f]{24})$/;
/**
 * `c_<lead id, 12 bytes in base64url>.<hand-off number>.<claim id, 6 random bytes>.<MAC, 12 bytes>`:
 * 45 characters plus the digits of the hand-off number (46 for a first hand-off). Anything else,
 * whatever its length, is not a claim token.
 */
const TOKEN = /^c_([A-Za-z0-9_-]{16})\.([1-9][0-9]{0,5})\.([A-Za-z0-9_-]{8})\.([A-Za-z0-9_-]{16})$/;
const MAX_LENGTH = 64;
/** The MAC'd text starts with this purpose; unsubscribe (`1`) and confirmation (`confirm1`) tokens never do. */
const PURPOSE = 'claim1';
/** The HMAC key is derived per purpose from the signing key: no other token of ours verifies as a claim. */
const KEY_LABEL = 'leadflow/sales-claim';
const MAC_BYTES = 12;

/** What a claim token names: the claim `claimId` on hand-off `handoff` of lead `leadId`. */
export interface ClaimRef {
  leadId: string;
  handoff: number;
  claimId: string;
}

/** A claim token we did not issue (malformed, truncated, tampered, another key or purpose). */
export class InvalidClaimTokenError extends LeadflowError {
  readonly code = 'invalid_claim_token';
  constructor() {
    super('This is not a claim token issued by Leadflow. Use the token printed with the lead card.', [
      { path: 'claimToken', message: 'is not a valid claim token' },
    ]);
  }
}

/** A fresh claim id: 6 random bytes (the claim is found by lead + hand-off; this tells claims apart). */
export const newClaimId = () => randomBytes(6).toString('base64url');

/**
 * The token a rep types to extend, release or resolve a claim. It carries no SQS receipt handle
 * (that stays server-side on the hand-off) and is signed (HMAC-SHA256, truncated to 96 bits) with
 * a key derived from the ring's current signing key for this purpose only.
 */
export function signClaimToken(ref: ClaimRef, keys: SigningKeys): string {
  const lead = LEAD_ID.exec(ref.leadId)?.[1];
  if (!lead) throw new Error('not a lead id');
  if (!Number.isSafeInteger(ref.handoff) || ref.handoff < 1 || ref.handoff > 999_999) {
    throw new Error('not a hand-off number');
  }
  if (!/^[A-Za-z0-9_-]{8}$/.test(ref.claimId)) throw new Error('not a claim id');
  const body = `c_${Buffer.from(lead, 'hex').toString('base64url')}.${ref.handoff}.${ref.claimId}`;
  return `${body}.${mac(ref, currentKey(keys))}`;
}

/** The claim a token names, or undefined for anything we did not sign for this purpose with a key of the ring (constant-time checks). */
export function verifyClaimToken(token: string, keys: SigningKeys): ClaimRef | undefined {
  if (typeof token !== 'string' || token.length > MAX_LENGTH) return undefined;
  const parts = TOKEN.exec(token);
  if (!parts) return undefined;
  const [, lead = '', handoff = '', claimId = '', signature = ''] = parts;
  const ref = {
    leadId: `ld_${Buffer.from(lead, 'base64url').toString('hex')}`,
    handoff: Number(handoff),
    claimId,
  };
  // 16 base64url characters are exactly 12 bytes: the text round-trips, so compare the encoded text.
  if (!macMatchesAny(signature, keys, (key) => mac(ref, key))) return undefined;
  if (!LEAD_ID.test(ref.leadId) || Buffer.from(lead, 'base64url').toString('base64url') !== lead)
    return undefined;
  return ref;
}

function mac(ref: ClaimRef, key: string): string {
  return macOf(`${PURPOSE}.${ref.leadId}.${ref.handoff}.${ref.claimId}`, key, KEY_LABEL, MAC_BYTES);
}
