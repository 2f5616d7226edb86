import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { traced } from '../observability/tracing';

/** The Secrets Manager client, one per container. */
// Pure: a bundle that imports this module but never uses the client leaves it, and its SDK package, out.
// Traced: an X-Ray subsegment per call where tracing is on (observability/tracing.ts).
export const secretsManager = /* @__PURE__ */ traced(/* @__PURE__ */ new SecretsManagerClient({}));

let provider: SecretsProvider | undefined;

/**
 * The keys of a JSON secret (`leadflow/signing`, `leadflow/webhooks`), by its ARN, through
 * Powertools Parameters: kept for `maxAgeSeconds`, then read again, so a value an operator puts
 * reaches every warm container within that time. A failed read is not kept. Never logged.
 */
export async function readJsonSecret(
  arn: string,
  maxAgeSeconds: number,
): Promise<Record<string, string | undefined>> {
  provider ??= new SecretsProvider({ awsSdkV3Client: secretsManager });
  const value = await provider.get(arn, { maxAge: maxAgeSeconds, transform: 'json' });
  return (value ?? {}) as Record<string, string | undefined>;
}
