import { DynamoContactLinks } from '../../adapters/dynamodb/hubspot-contact-links';
import { DynamoSlackPosted } from '../../adapters/dynamodb/slack-posted';
import { HttpHubspotApi } from '../../adapters/http/hubspot-client';
import { HttpSlackApi } from '../../adapters/http/slack-client';
import type { Destination } from '../../core/integrations/destination';
import { HubspotDestination } from '../../core/integrations/hubspot/hubspot-destination';
import { SlackDestination } from '../../core/integrations/slack/slack-destination';
import { dynamo } from '../aws/dynamodb';
import { publicUrlIfSet } from '../config';
import { integrationSecrets, integrationSettings } from '../integrations-settings';
import { tableName } from './kernel';

/**
 * The Slack and HubSpot destinations config/integrations.yaml enables (none by default), for the
 * integrations directory beside the webhook endpoints. Console links need LEADFLOW_PUBLIC_URL.
 */
export function connectorDestinations(): Destination[] {
  const { config, slackApiUrl, hubspotApiUrl } = integrationSettings();
  const out: Destination[] = [];
  const publicUrl = () => publicUrlIfSet() ?? 'http://127.0.0.1:3000';
  if (config.slack.enabled) {
    const { mode, channels, users } = config.slack;
    const api = new HttpSlackApi(
      mode,
      async () => {
        const s = await integrationSecrets();
        return {
          botToken: s.slackBotToken,
          webhookUrl: s.slackWebhookUrl,
          managersWebhookUrl: s.slackManagersWebhookUrl,
        };
      },
      slackApiUrl,
    );
    out.push(
      new SlackDestination(
        api,
        {
          channels: { sales: channels.sales ?? '', managers: channels.managers },
          users,
          publicUrl: publicUrl(),
        },
        new DynamoSlackPosted(dynamo, tableName()),
      ),
    );
  }
  if (config.hubspot.enabled) {
    const { fields, owners, lifecycle, taskDueHours } = config.hubspot;
    const api = new HttpHubspotApi(
      async () => (await integrationSecrets()).hubspotAccessToken,
      hubspotApiUrl,
    );
    out.push(
      new HubspotDestination(api, new DynamoContactLinks(dynamo, tableName()), {
        fields,
        owners,
        lifecycle,
        taskDueHours,
        publicUrl: publicUrl(),
      }),
    );
  }
  return out;
}
