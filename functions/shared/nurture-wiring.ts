import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { CachedNurtureConfigs } from '../adapters/dynamodb/nurture-configs';
import { DynamoSuppressionStore } from '../adapters/dynamodb/suppression-store';
import { SesMailer } from '../adapters/ses/ses-mailer';
import { signConfirmationToken } from '../core/consent/confirmation-token';
import { signUnsubscribeToken } from '../core/consent/unsubscribe-token';
import type { SendDeps } from '../core/nurture/send-step';
import { dynamo } from './clients';
import { intEnv, requireEnv } from './env';
import { signingSecrets } from './signing-secrets';

/** The SES client: one per container, no SDK retries (a retried send could go out twice). */
export const ses = new SESv2Client({ maxAttempts: 1 });

/** The public unsubscribe link for a lead: LEADFLOW_PUBLIC_URL (or `publicUrl`) + /v1/unsubscribe?t=<signed token>. */
export function unsubscribeLinks(publicUrl = requireEnv('LEADFLOW_PUBLIC_URL')) {
  const base = publicUrl.replace(/\/+$/, '');
  return async (leadId: string, now: Date) => {
    const { unsubscribeKey } = await signingSecrets();
    return `${base}/v1/unsubscribe?t=${encodeURIComponent(signUnsubscribeToken(leadId, unsubscribeKey, now))}`;
  };
}

/**
 * The double opt-in link for a lead and form: LEADFLOW_PUBLIC_URL + /v1/confirm?t=<signed token>,
 * signed with the same key as unsubscribe links under a key derived for this purpose only.
 */
export function confirmLinks() {
  const base = requireEnv('LEADFLOW_PUBLIC_URL').replace(/\/+$/, '');
  return async (leadId: string, formId: string, now: Date, expiresInDays: number) => {
    const { unsubscribeKey } = await signingSecrets();
    const token = signConfirmationToken({ leadId, formId }, unsubscribeKey, now, expiresInDays);
    return `${base}/v1/confirm?t=${encodeURIComponent(token)}`;
  };
}

/** What send-email needs: leads, the active nurture config, suppressions, SES, signed links. */
export function sendDeps(): SendDeps {
  const tableName = requireEnv('LEADFLOW_TABLE_NAME');
  return {
    leads: new DynamoLeadStore(dynamo, tableName),
    nurture: new CachedNurtureConfigs(
      new DynamoConfigStore(dynamo, tableName),
      intEnv('LEADFLOW_CONFIG_CACHE_SECONDS', 30) * 1000,
    ),
    suppressions: new DynamoSuppressionStore(dynamo, tableName),
    mailer: new SesMailer(ses, process.env.LEADFLOW_SES_CONFIGURATION_SET),
    unsubscribeUrl: unsubscribeLinks(),
    confirmUrl: confirmLinks(),
    clock: { now: () => new Date() },
  };
}
