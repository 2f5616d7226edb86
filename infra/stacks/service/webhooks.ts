import {
  CONFIG_DEFAULTS,
  LINKEDIN_API_URL_ENV,
  META_GRAPH_URL_ENV,
  META_GRAPH_VERSION_ENV,
  WEBHOOK_SECRETS_ARN_ENV,
} from '../../../functions/shared/env-names';
import { bindQueue, bindSecret, bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import { CONSUMER_TIMEOUT } from '../consumer-timeouts';
import type { ServiceContext } from './context';
import { graphVersion, httpsUrl } from './props';

/** Ad-platform leads: the webhook receivers and the ad-leads consumer that fetches what Meta and LinkedIn only name. */
export function webhookFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const { table, hotLeadQueue, adLeadQueue, webhookSecrets } = props;
  // secrets (one JSON secret, read once per cold start).
  const platformEnv = {
    [META_GRAPH_URL_ENV]: httpsUrl('metaGraphUrl', props.metaGraphUrl ?? CONFIG_DEFAULTS.metaGraphUrl),
    [META_GRAPH_VERSION_ENV]: graphVersion(props.metaGraphVersion ?? CONFIG_DEFAULTS.metaGraphVersion),
    [LINKEDIN_API_URL_ENV]: httpsUrl(
      'linkedinApiUrl',
      props.linkedinApiUrl ?? CONFIG_DEFAULTS.linkedinApiUrl,
    ),
  };

  const webhooks = new LeadflowFunction(stack, 'Webhooks', {
    entry: 'webhooks',
    description: 'Leadflow: ad-platform lead webhooks (Meta, Google Ads, LinkedIn, TikTok)',
    logRemovalPolicy,
    environment: platformEnv,
  });
  // Keeps each delivery (Put, then Get and Update of its status) and links it to its lead (Put),
  // reads the scoring model, the lead and its suppression, writes the lead and its activity, and
  // marks a hand-off sent. A delivery of a person erased since it was sent is deleted (DeleteItem).
  bindTable(webhooks.function, table, {
    actions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  });
  // Meta sends lead ids only: they are fetched later, from ad-leads (SendMessageBatch is authorized
  // as SendMessage), so a slow Graph API never delays the 200 Meta waits for.
  bindQueue(webhooks.function, adLeadQueue, { name: 'ad-leads', actions: ['SendMessage'] });
  // A Google or TikTok lead is captured inline and may turn hot: it is handed off at once.
  bindQueue(webhooks.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
  bindSecret(webhooks.function, webhookSecrets, { variable: WEBHOOK_SECRETS_ARN_ENV });

  const adLeads = new LeadflowFunction(stack, 'AdLeads', {
    entry: 'ad-leads',
    description:
      'Leadflow: fetches queued ad-platform leads (Meta Graph API, LinkedIn Lead Sync) and captures them',
    logRemovalPolicy,
    timeout: CONSUMER_TIMEOUT['ad-leads'],
    environment: platformEnv,
  });
  // Captures the fetched lead as the webhooks function does (DeleteItem: the delivery of a person
  // erased since) and marks its delivery processed.
  bindTable(adLeads.function, table, {
    actions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  });
  bindQueue(adLeads.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
  // The Meta access token the Graph API wants is in the same secret.
  bindSecret(adLeads.function, webhookSecrets, { variable: WEBHOOK_SECRETS_ARN_ENV });
  return { webhooks, adLeads };
}
