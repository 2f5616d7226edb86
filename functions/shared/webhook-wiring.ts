import { DynamoDeliveryStore } from '../adapters/dynamodb/delivery-store';
import { DynamoSuppressionStore } from '../adapters/dynamodb/suppression-store';
import { HttpLinkedinApi } from '../adapters/http/linkedin-api';
import { HttpMetaGraph } from '../adapters/http/meta-graph';
import { SqsAdLeadQueue } from '../adapters/sqs/ad-lead-queue';
import type { WebhookDeps } from '../core/webhooks/receive';
import { dynamo } from './clients';
import { requireEnv } from './env';
import { recordDeps } from './record-wiring';
import { queueUrlEnv } from './routes';
import { sqs } from './sqs';
import { webhookSecrets } from './webhook-secrets';

/** Everything webhook receivers and the ad-leads consumer share. */
export function webhookDeps(): WebhookDeps {
  const tableName = requireEnv('LEADFLOW_TABLE_NAME');
  return {
    ...recordDeps(),
    deliveries: new DynamoDeliveryStore(dynamo, tableName),
    suppressions: new DynamoSuppressionStore(dynamo, tableName),
    queue: new SqsAdLeadQueue(sqs, requireEnv(queueUrlEnv('ad-leads'))),
    graph: new HttpMetaGraph(
      process.env.META_GRAPH_URL ?? 'https://graph.facebook.com',
      process.env.META_GRAPH_VERSION ?? 'v21.0',
      async () => (await webhookSecrets()).metaAccessToken,
    ),
    // The Lead Sync token (r_marketing_leadgen_automation): LINKEDIN_ACCESS_TOKEN in the webhook secrets.
    linkedin: new HttpLinkedinApi(
      process.env.LINKEDIN_API_URL ?? 'https://api.linkedin.com',
      process.env.LINKEDIN_API_VERSION ?? '202610',
      async () => (await webhookSecrets()).linkedinAccessToken,
    ),
  };
}
