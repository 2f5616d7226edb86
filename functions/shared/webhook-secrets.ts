import type { WebhookSecrets } from '../core/webhooks/ports';
import { readJsonSecret } from './aws/secrets-manager';
import { secretsConfig } from './config';

/**
 * Webhook secrets, read once per cold start: from Secrets Manager on AWS (a JSON secret named
 * by LEADFLOW_WEBHOOK_SECRETS_ARN with the keys below), from env locally. Never logged.
 */
let loaded: Promise<WebhookSecrets & { metaAccessToken?: string; linkedinAccessToken?: string }> | undefined;

export function webhookSecrets() {
  loaded ??= (async () => {
    const { webhookSecretsArn } = secretsConfig();
    const source = webhookSecretsArn ? await readJsonSecret(webhookSecretsArn) : process.env;
    return {
      metaAppSecret: source.META_APP_SECRET,
      metaVerifyToken: source.META_VERIFY_TOKEN,
      metaAccessToken: source.META_ACCESS_TOKEN,
      googleKey: source.GOOGLE_ADS_WEBHOOK_KEY,
      linkedinClientSecret: source.LINKEDIN_CLIENT_SECRET,
      linkedinAccessToken: source.LINKEDIN_ACCESS_TOKEN,
      tiktokSecret: source.TIKTOK_WEBHOOK_SECRET,
    };
  })().catch((error: unknown) => {
    loaded = undefined; // a failed read is retried by the next invocation, not cached
    throw error;
  });
  return loaded;
}
