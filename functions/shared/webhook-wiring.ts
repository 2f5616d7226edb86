import { DynamoConfigStore } from '../adapters/dynamodb/config-store';
import { DynamoDeliveryStore } from '../adapters/dynamodb/delivery-store';
import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';
import { CachedScoringModels } from '../adapters/dynamodb/scoring-models';
import { HttpLinkedinApi } from '../adapters/http/linkedin-api';
import { HttpMetaGraph } from '../adapters/http/meta-graph';
import { SqsAdLeadQueue } from '../adapters/sqs/ad-lead-queue';
import { sendHandoff } from '../core/handoff/sales';
import type { WebhookDeps } from '../core/webhooks/receive';
import { dynamo } from './clients';
import { intEnv, requireEnv } from './env';
import { queueUrlEnv } from './routes';
import { salesDeps } from './sales-wiring';
import { sqs } from './sqs';
import { webhookSecrets } from './webhook-secrets';

/** Everything webhook receivers and the ad-leads consumer share. */
export function webhookDeps(): WebhookDeps {
  const tableName = requireEnv('LEADFLOW_TABLE_NAME');
  const sales = salesDeps();
  return {
    leads: new DynamoLeadStore(dynamo, tableName),
    models: new CachedScoringModels(
      new DynamoConfigStore(dynamo, tableName),
      intEnv('LEADFLOW_CONFIG_CACHE_SECONDS', 30) * 1000,
    ),
    clock: { now: () => new Date() },
    sendHandoff: (lead) => sendHandoff(sales, lead),
    deliveries: new DynamoDeliveryStore(dynamo, tableName),
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
