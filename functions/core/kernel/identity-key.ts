import { createHmac } from 'node:crypto';

/**
 * The install's identity key. Lead ids and suppression keys are HMAC-SHA256 of a person's email
 * identity under it (with the purpose mixed in, so a suppression key never reveals a lead id):
 * without the key nobody can test a guessed address against an id. It is set once per process by
 * the composition root (functions/shared/identity.ts) and must never change: every stored lead id
 * and suppression key is derived from it, so a new key would split each person in two and let
 * suppressed addresses be mailed again.
 */
export const IDENTITY_KEY_MIN_LENGTH = 32;
let key: string | undefined;

export function useIdentityKey(value: string): void {
  if (value.length < IDENTITY_KEY_MIN_LENGTH) {
    throw new Error(`The identity key must be at least ${IDENTITY_KEY_MIN_LENGTH} characters long`);
  }
  key = value;
}

export function keyedIdentityHash(purpose: 'lead' | 'suppression', identity: string): string {
  if (key === undefined) throw new Error('The identity key is not set (LEADFLOW_IDENTITY_KEY)');
  return createHmac('sha256', key).update(`${purpose}\n${identity}`).digest('hex');
}
