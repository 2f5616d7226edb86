import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseIntegrationsConfig } from '../core/integrations/integrations-config';
import * as env from '../shared/env-names';
import { startFakeHubspot } from './fakes/hubspot-api';
import { startFakeSlack } from './fakes/slack-api';

/**
 * The local stack's Slack and HubSpot: reads config/integrations.yaml into the env the functions
 * read (LEADFLOW_INTEGRATIONS_CONFIG) and, for each connector it enables with no real token in
 * env, starts its fake on 127.0.0.1 and points the functions at it. Call before the handlers load.
 */
export async function startConnectorFakes(configDir: string, vars: NodeJS.ProcessEnv = process.env) {
  const text = await readFile(join(configDir, 'integrations.yaml'), 'utf8').catch(() => '');
  const config = parseIntegrationsConfig(text ? parse(text) : {});
  vars[env.INTEGRATIONS_CONFIG_ENV] = JSON.stringify(config);
  const lines: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  if (config.slack.enabled && !vars.SLACK_BOT_TOKEN && !vars.SLACK_WEBHOOK_URL) {
    const botToken = `xoxb-local-${randomBytes(8).toString('hex')}`;
    const { channels, users } = config.slack;
    const ids = [channels.sales, channels.managers, ...Object.values(users)].filter(
      (id): id is string => !!id,
    );
    const slack = await startFakeSlack({
      botToken,
      channels: ids,
      webhooks: ['local-sales', 'local-managers'],
    });
    Object.assign(vars, {
      SLACK_BOT_TOKEN: botToken,
      SLACK_WEBHOOK_URL: `${slack.url}/services/local-sales`,
      SLACK_MANAGERS_WEBHOOK_URL: `${slack.url}/services/local-managers`,
      [env.SLACK_API_URL_ENV]: `${slack.url}/api`,
    });
    lines.push(`  Slack (fake)  ${slack.url}/api  (messages: GET ${slack.url}/_fake/messages)`);
    stops.push(slack.close);
  }
  if (config.hubspot.enabled && !vars.HUBSPOT_ACCESS_TOKEN) {
    const token = `pat-local-${randomBytes(8).toString('hex')}`;
    const hubspot = await startFakeHubspot({ token });
    Object.assign(vars, { HUBSPOT_ACCESS_TOKEN: token, [env.HUBSPOT_API_URL_ENV]: hubspot.url });
    lines.push(`  HubSpot (fake) ${hubspot.url}  (contacts and tasks: GET ${hubspot.url}/_fake/state)`);
    stops.push(hubspot.close);
  }
  return { config, lines, stop: async () => void (await Promise.all(stops.map((stop) => stop()))) };
}
