import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseIntegrationsConfig } from '../../functions/core/integrations/integrations-config';
import { readIntegrationSettings } from '../../functions/shared/integrations-settings';

describe('config/integrations.yaml', () => {
  it('the shipped file is valid, both connectors off until set up', () => {
    const config = parseIntegrationsConfig(parse(readFileSync('config/integrations.yaml', 'utf8')));
    expect(config.slack).toMatchObject({ enabled: false, mode: 'bot', channels: { sales: 'C0SALES001' } });
    expect(config.hubspot).toMatchObject({ enabled: false, lifecycle: { won: 'customer' }, taskDueHours: 4 });
  });

  it('an empty file means both off, with the default HubSpot field mapping', () => {
    expect(parseIntegrationsConfig(undefined)).toMatchObject({
      slack: { enabled: false },
      hubspot: { enabled: false, fields: { firstName: 'firstname' } },
    });
  });

  it('names the path of every problem', () => {
    expect(() =>
      parseIntegrationsConfig({
        slack: { enabled: true, users: { ravi: 'not-an-id' } },
        hubspot: { owners: { ravi: 'x1' }, lifecycle: { wonn: 'customer' }, taskDueHours: 0 },
      }),
    ).toThrow(
      /slack\.users\.ravi: must be a Slack id.*hubspot\.owners\.ravi: must be a HubSpot owner id.*hubspot\.lifecycle: unknown wonn.*hubspot\.taskDueHours.*slack\.channels\.sales: is required/,
    );
  });

  it('reads the config, secret ARN and vendor URLs from the environment, with defaults', () => {
    const settings = readIntegrationSettings({
      LEADFLOW_INTEGRATIONS_CONFIG: JSON.stringify({ hubspot: { enabled: true } }),
    });
    expect(settings).toMatchObject({
      slackApiUrl: 'https://slack.com/api',
      hubspotApiUrl: 'https://api.hubapi.com',
      secretArn: undefined,
    });
    expect(settings.config.hubspot.enabled).toBe(true);
    expect(() => readIntegrationSettings({ LEADFLOW_INTEGRATIONS_CONFIG: '{' })).toThrow(
      'LEADFLOW_INTEGRATIONS_CONFIG must be JSON',
    );
    expect(() => readIntegrationSettings({ LEADFLOW_SLACK_API_URL: 'ftp://x' })).toThrow(
      'LEADFLOW_SLACK_API_URL must be an http(s) URL',
    );
  });
});
