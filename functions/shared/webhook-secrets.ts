import type { WebhookSecrets } from '../core/webhooks/ports';
import { readJsonSecret } from './aws/secrets-manager';
import { secretsConfig } from './config';

/**
 * Webhook secrets: on AWS from the JSON secret named by LEADFLOW_WEBHOOK_SECRETS_ARN with the
 * keys below, read again after LEADFLOW_SECRETS_MAX_AGE_SECONDS (a secret an operator fills or
 * changes is picked up without a deploy); from env locally. Never logged.
 */
export async function webhookSecrets(): Promise<
  WebhookSecrets & { metaAccessToken?: string; linkedinAccessToken?: string }
> {
  const { webhookSecretsArn, maxAgeSeconds } = secretsConfig();
  const source = webhookSecretsArn ? await readJsonSecret(webhookSecretsArn, maxAgeSeconds) : process.env;
  return {
    metaAppSecret: source.META_APP_SECRET,
    metaVerifyToken: source.META_VERIFY_TOKEN,
    metaAccessToken: source.META_ACCESS_TOKEN,
    googleKey: source.GOOGLE_ADS_WEBHOOK_KEY,
    linkedinClientSecret: source.LINKEDIN_CLIENT_SECRET,
    linkedinAccessToken: source.LINKEDIN_ACCESS_TOKEN,
    tiktokSecret: source.TIKTOK_WEBHOOK_SECRET,
  };
}
