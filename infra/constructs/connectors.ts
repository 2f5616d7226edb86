import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { parse } from 'yaml';
import { parseIntegrationsConfig } from '../../functions/core/integrations/integrations-config';
import { INTEGRATIONS_CONFIG_ENV, INTEGRATIONS_SECRET_ARN_ENV } from '../../functions/shared/env-names';
import { bindSecret } from './bind';
import { resourcePrefix } from './names';

/** The keys of `leadflow-<stage>/integrations` (functions/shared/integrations-settings.ts reads them). */
export const INTEGRATION_SECRET_KEYS = [
  'SLACK_BOT_TOKEN',
  'SLACK_WEBHOOK_URL',
  'SLACK_MANAGERS_WEBHOOK_URL',
  'HUBSPOT_ACCESS_TOKEN',
] as const;
/** CloudFormation sets a secret's value only by generating one: this key holds that value, read by nothing. */
const GENERATED_KEY = 'CREATED_AT_DEPLOY';

/**
 * `leadflow-<stage>/integrations`: the Slack bot token or webhook URLs and the HubSpot private app
 * token, as one JSON object, empty until an operator fills it in. Like the other secrets, its value
 * is set once at creation and never overwritten by a later deploy.
 */
export class IntegrationSecrets extends Construct {
  readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: { removalPolicy: RemovalPolicy }) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Secret', {
      secretName: `${resourcePrefix(this)}/integrations`,
      description:
        'Leadflow Slack and HubSpot tokens (JSON). Empty values are connectors not set up yet: put the Slack ' +
        'bot token (or incoming webhook URLs) and the HubSpot private app token here.',
      // Set once at creation: changing this template later would replace the operators' values; add keys by hand.
      generateSecretString: {
        secretStringTemplate: JSON.stringify(
          Object.fromEntries(INTEGRATION_SECRET_KEYS.map((key) => [key, ''])),
        ),
        generateStringKey: GENERATED_KEY,
        excludePunctuation: true,
        passwordLength: 16,
      },
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The Slack bot token, webhook URLs and HubSpot private app token are issued in Slack and HubSpot and ' +
        'rotated there: a value rotated here alone would no longer be accepted and every delivery would fail.',
    });
  }
}

/** config/integrations.yaml validated at synth (a bad file fails `cdk synth` with the path of each problem). */
export function integrationsConfigJson(configDir: string): string {
  let text = '';
  try {
    text = readFileSync(join(configDir, 'integrations.yaml'), 'utf8');
  } catch {
    // No file: both connectors off.
  }
  return JSON.stringify(parseIntegrationsConfig(text ? parse(text) : {}));
}

/**
 * Binds the function that delivers to Slack and HubSpot (the integration-deliveries worker, and
 * only it): the secret's ARN with GetSecretValue on it alone, and the connectors' config.
 */
export function bindConnectors(
  fn: lambda.Function,
  secret: secretsmanager.ISecret,
  configJson: string,
): void {
  bindSecret(fn, secret, { variable: INTEGRATIONS_SECRET_ARN_ENV });
  fn.addEnvironment(INTEGRATIONS_CONFIG_ENV, configJson);
}

/**
 * The functions that fan events out (tick's publisher and SLA watcher, admin-leads' erase) must
 * know which connectors are on to queue deliveries for them: the config only, no secret, no grant.
 */
export function bindConnectorsConfig(fn: lambda.Function, configJson: string): void {
  fn.addEnvironment(INTEGRATIONS_CONFIG_ENV, configJson);
}
