import type { KeyRing } from '../core/kernel/signed-token';
import { readJsonSecret } from './aws/secrets-manager';
import { readSecretsConfig, secretsConfig } from './config';

/**
 * The signing key ring: `UNSUBSCRIBE_KEY` signs unsubscribe and confirmation links and claim
 * tokens; it, `UNSUBSCRIBE_KEY_NEXT` (staged for a roll) and `UNSUBSCRIBE_KEY_PREVIOUS` (the key
 * before the last roll) verify them, in that order (docs/operations-key-roll.md). On AWS from the
 * JSON secret named by LEADFLOW_SIGNING_SECRETS_ARN, read again after
 * LEADFLOW_SECRETS_MAX_AGE_SECONDS; locally from LEADFLOW_UNSUBSCRIBE_KEY (+ `_PREVIOUS`,
 * `_NEXT`), read from the environment on each call. Never logged, never returned.
 */
export interface SigningSecrets {
  unsubscribeKeys: KeyRing;
}

const MIN_KEY_LENGTH = 16;

/** The ring from the secret's (or env's) values; throws naming the bad one, never showing a key. */
export function signingKeyRing(values: {
  current: string | undefined;
  next?: string | undefined;
  previous?: string | undefined;
}): KeyRing {
  const { current, next, previous } = values;
  if (!current || current.length < MIN_KEY_LENGTH) {
    throw new Error(`The unsubscribe signing key is missing or shorter than ${MIN_KEY_LENGTH} characters`);
  }
  const ring: [string, ...string[]] = [current];
  for (const [name, key] of [
    ['UNSUBSCRIBE_KEY_NEXT', next],
    ['UNSUBSCRIBE_KEY_PREVIOUS', previous],
  ] as const) {
    if (key === undefined || key === '') continue;
    if (key.length < MIN_KEY_LENGTH) throw new Error(`${name} is shorter than ${MIN_KEY_LENGTH} characters`);
    if (!ring.includes(key)) ring.push(key);
  }
  return ring;
}

export async function signingSecrets(): Promise<SigningSecrets> {
  const { signingSecretsArn, maxAgeSeconds } = secretsConfig();
  if (signingSecretsArn) {
    const secret = await readJsonSecret(signingSecretsArn, maxAgeSeconds);
    return {
      unsubscribeKeys: signingKeyRing({
        current: secret.UNSUBSCRIBE_KEY,
        next: secret.UNSUBSCRIBE_KEY_NEXT,
        previous: secret.UNSUBSCRIBE_KEY_PREVIOUS,
      }),
    };
  }
  const local = readSecretsConfig(process.env);
  return {
    unsubscribeKeys: signingKeyRing({
      current: local.unsubscribeKey,
      next: local.unsubscribeKeyNext,
      previous: local.unsubscribeKeyPrevious,
    }),
  };
}
