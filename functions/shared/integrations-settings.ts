import * as z from 'zod/mini';
import { type IntegrationsConfig, parseIntegrationsConfig } from '../core/integrations/integrations-config';
import { readJsonSecret } from './aws/secrets-manager';
import { secretsConfig } from './config';
import * as env from './env-names';

type Vars = Record<string, string | undefined>;
const url = z.optional(z.string().check(z.regex(/^https?:\/\/\S+$/, 'must be an http(s) URL')));
const schema = z.object({
  [env.INTEGRATIONS_SECRET_ARN_ENV]: z.optional(z.string()),
  [env.INTEGRATIONS_CONFIG_ENV]: z.optional(z.string()),
  [env.SLACK_API_URL_ENV]: url,
  [env.HUBSPOT_API_URL_ENV]: url,
});

/**
 * Slack and HubSpot settings from the environment (kept beside config.ts, which it follows: a bad
 * variable fails the cold start with its name): the integrations config (JSON of
 * config/integrations.yaml, problems named by path), the secret's ARN, the vendors' base URLs.
 */
export function readIntegrationSettings(vars: Vars): {
  config: IntegrationsConfig;
  secretArn?: string;
  slackApiUrl: string;
  hubspotApiUrl: string;
} {
  const picked = Object.fromEntries(Object.keys(schema.shape).map((k) => [k, vars[k]?.trim() || undefined]));
  const parsed = schema.safeParse(picked);
  if (!parsed.success)
    throw new Error(
      `Invalid environment: ${parsed.error.issues.map((i) => `${String(i.path[0])} ${i.message}`).join('; ')}`,
    );
  const raw = parsed.data[env.INTEGRATIONS_CONFIG_ENV];
  let json: unknown = {};
  try {
    json = raw ? JSON.parse(raw) : {};
  } catch {
    throw new Error(`Invalid environment: ${env.INTEGRATIONS_CONFIG_ENV} must be JSON`);
  }
  return {
    config: parseIntegrationsConfig(json),
    secretArn: parsed.data[env.INTEGRATIONS_SECRET_ARN_ENV],
    slackApiUrl: parsed.data[env.SLACK_API_URL_ENV] ?? env.CONFIG_DEFAULTS.slackApiUrl,
    hubspotApiUrl: parsed.data[env.HUBSPOT_API_URL_ENV] ?? env.CONFIG_DEFAULTS.hubspotApiUrl,
  };
}

let settings: ReturnType<typeof readIntegrationSettings> | undefined;
export const integrationSettings = () => {
  settings ??= readIntegrationSettings(process.env);
  return settings;
};

/** The connectors' secret keys. */
export interface IntegrationSecrets {
  slackBotToken?: string;
  slackWebhookUrl?: string;
  slackManagersWebhookUrl?: string;
  hubspotAccessToken?: string;
}

/**
 * On AWS from the JSON secret `leadflow-<stage>/integrations`, read again after
 * LEADFLOW_SECRETS_MAX_AGE_SECONDS (a token an operator rotates is used without a deploy);
 * locally from env. Never logged.
 */
export async function integrationSecrets(): Promise<IntegrationSecrets> {
  const { secretArn } = integrationSettings();
  const source = secretArn ? await readJsonSecret(secretArn, secretsConfig().maxAgeSeconds) : process.env;
  return {
    slackBotToken: source.SLACK_BOT_TOKEN || undefined,
    slackWebhookUrl: source.SLACK_WEBHOOK_URL || undefined,
    slackManagersWebhookUrl: source.SLACK_MANAGERS_WEBHOOK_URL || undefined,
    hubspotAccessToken: source.HUBSPOT_ACCESS_TOKEN || undefined,
  };
}
