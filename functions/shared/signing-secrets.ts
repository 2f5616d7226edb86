import { readJsonSecret } from './aws/secrets-manager';
import { secretsConfig } from './config';

/**
 * Signing keys, read once per cold start: from Secrets Manager on AWS (a JSON secret named by
 * LEADFLOW_SIGNING_SECRETS_ARN with the key UNSUBSCRIBE_KEY), from LEADFLOW_UNSUBSCRIBE_KEY
 * locally. Never logged, never returned.
 */
let loaded: Promise<{ unsubscribeKey: string }> | undefined;

const MIN_KEY_LENGTH = 16;

export function signingSecrets() {
  loaded ??= (async () => {
    const { signingSecretsArn, unsubscribeKey } = secretsConfig();
    const key = signingSecretsArn
      ? (await readJsonSecret(signingSecretsArn)).UNSUBSCRIBE_KEY
      : unsubscribeKey;
    if (!key || key.length < MIN_KEY_LENGTH) {
      throw new Error(`The unsubscribe signing key is missing or shorter than ${MIN_KEY_LENGTH} characters`);
    }
    return { unsubscribeKey: key };
  })().catch((error: unknown) => {
    loaded = undefined; // a failed read is retried by the next invocation, not cached
    throw error;
  });
  return loaded;
}
