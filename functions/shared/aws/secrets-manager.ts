import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

/** The Secrets Manager client, one per container. */
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
export const secretsManager = /* @__PURE__ */ new SecretsManagerClient({});

/** The keys of a JSON secret (`leadflow/signing`, `leadflow/webhooks`), by its ARN. Never logged. */
export async function readJsonSecret(arn: string): Promise<Record<string, string | undefined>> {
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
  return JSON.parse(SecretString ?? '{}') as Record<string, string | undefined>;
}
