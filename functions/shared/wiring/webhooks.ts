import { HttpLinkedinApi } from '../../adapters/http/linkedin-api';
import { HttpMetaGraph } from '../../adapters/http/meta-graph';
import { SqsAdLeadQueue } from '../../adapters/sqs/ad-lead-queue';
import type { WebhookDeps } from '../../core/webhooks/receive';
import { sqs } from '../aws/sqs';
import { platformConfig, queueUrl } from '../config';
import { webhookSecrets } from '../webhook-secrets';
import { recordingWithImmediateHandoff } from './handoff';
import { suppressionStore } from './kernel';
import { deliveryStore } from './leads';

/** Everything webhook receivers and the ad-leads consumer share. */
export function webhookDeps(): WebhookDeps {
  const platforms = platformConfig();
  return {
    ...recordingWithImmediateHandoff(),
    deliveries: deliveryStore(),
    suppressions: suppressionStore(),
    queue: new SqsAdLeadQueue(sqs, queueUrl('ad-leads')),
    graph: new HttpMetaGraph(
      platforms.metaGraphUrl,
      platforms.metaGraphVersion,
      async () => (await webhookSecrets()).metaAccessToken,
    ),
    // The Lead Sync token (r_marketing_leadgen_automation): LINKEDIN_ACCESS_TOKEN in the webhook secrets.
    linkedin: new HttpLinkedinApi(
      platforms.linkedinApiUrl,
      platforms.linkedinApiVersion,
      async () => (await webhookSecrets()).linkedinAccessToken,
    ),
  };
}
