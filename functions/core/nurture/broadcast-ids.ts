import { createHash } from 'node:crypto';

export const BROADCAST_ID = /^bc_[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * The broadcast id for a request: from the caller and its Idempotency-Key when given (a retried
 * POST, a double click, finds the broadcast it started instead of mailing everyone twice), else
 * `fresh` (a time-ordered `newId('bc')`). The keyed id cannot come from `newId`: it must be the
 * same for every retry, before and after a deploy, so it stays this hash (130 bits, in the
 * ULID's Crockford alphabet so both kinds match BROADCAST_ID).
 */
export function broadcastIdFor(caller: string, idempotencyKey: string | undefined, fresh: string): string {
  if (!idempotencyKey) return fresh;
  const digest = createHash('sha256').update(`${caller}\n${idempotencyKey}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 17)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i += 1) id = CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)] + id;
  return `bc_${id}`;
}
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
