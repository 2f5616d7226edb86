import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/**
 * Signing keys, read once per cold start: from Secrets Manager on AWS (a JSON secret named by
 * LEADFLOW_SIGNING_SECRETS_ARN with the key UNSUBSCRIBE_KEY), from LEADFLOW_UNSUBSCRIBE_KEY
 * locally. Never logged, never returned.
 */
let loaded: Promise<{ unsubscribeKey: string }> | undefined;

const MIN_KEY_LENGTH = 16;

export function signingSecrets() {
  loaded ??= (async () => {
    const arn = process.env.LEADFLOW_SIGNING_SECRETS_ARN;
    const key = arn
      ? (
          JSON.parse(
            (await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn })))
              .SecretString ?? '{}',
          ) as Record<string, string | undefined>
        ).UNSUBSCRIBE_KEY
      : process.env.LEADFLOW_UNSUBSCRIBE_KEY;
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
