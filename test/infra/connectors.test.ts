import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  bindConnectors,
  bindConnectorsConfig,
  INTEGRATION_SECRET_KEYS,
  IntegrationSecrets,
  integrationsConfigJson,
} from '../../infra/constructs/connectors';
import { SYNTH_TIMEOUT } from './support';

/** A stage's stack with the integrations secret and one worker bound to it, and a publisher given the config only. */
function build(removalPolicy = RemovalPolicy.DESTROY) {
  const app = new App();
  const stack = new Stack(app, 'leadflow-dev-stateful');
  const secret = new IntegrationSecrets(stack, 'IntegrationSecrets', { removalPolicy }).secret;
  const code = lambda.Code.fromInline('exports.handler = async () => {}');
  const worker = new lambda.Function(stack, 'Worker', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code,
  });
  const publisher = new lambda.Function(stack, 'Publisher', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code,
  });
  bindConnectors(worker, secret, integrationsConfigJson('config'));
  bindConnectorsConfig(publisher, integrationsConfigJson('config'));
  return { template: Template.fromStack(stack), stack, secret };
}

/** A resource's Properties, failing the test when the resource is missing. */
function propertiesOf<T>(resource: { Properties?: unknown } | undefined): T {
  if (resource === undefined) throw new Error('resource not in the template');
  return resource.Properties as T;
}

describe('Slack and HubSpot: the integrations secret and its one reader', SYNTH_TIMEOUT, () => {
  it('is one secret named leadflow-<stage>/integrations holding every key the functions read, empty', () => {
    const { template } = build();
    const secrets = template.findResources('AWS::SecretsManager::Secret');
    expect(Object.values(secrets)).toHaveLength(1);
    const { Name, GenerateSecretString } = propertiesOf<{
      Name: string;
      GenerateSecretString: { SecretStringTemplate: string; GenerateStringKey: string };
    }>(Object.values(secrets)[0]);
    expect(Name).toMatch(/\/integrations$/);
    const keys = JSON.parse(GenerateSecretString.SecretStringTemplate) as Record<string, string>;
    expect(Object.keys(keys).sort()).toEqual([...INTEGRATION_SECRET_KEYS].sort());
    expect(Object.values(keys).every((value) => value === '')).toBe(true);
    // The value is generated once, at creation: a later deploy never replaces what an operator put.
    expect(GenerateSecretString.GenerateStringKey).toBe('CREATED_AT_DEPLOY');
  });

  it('is kept when a protected stage lets go of it', () => {
    const { template } = build(RemovalPolicy.RETAIN);
    expect(Object.values(template.findResources('AWS::SecretsManager::Secret'))[0]).toMatchObject({
      DeletionPolicy: 'Retain',
    });
  });

  it('only the bound worker may read it: GetSecretValue on that secret alone, with the config in its env; a publisher gets the config only', () => {
    const { template } = build();
    const policies = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policies).toHaveLength(1);
    const statements = propertiesOf<{
      PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] };
    }>(policies[0]).PolicyDocument.Statement;
    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: expect.stringMatching(/^IntegrationSecrets/) },
      }),
    ]);
    const functions = Object.entries(template.findResources('AWS::Lambda::Function'));
    const worker = functions.find(([id]) => id.startsWith('Worker'))?.[1];
    const publisher = functions.find(([id]) => id.startsWith('Publisher'))?.[1];
    // The publisher knows which connectors are on (to fan out to them) but cannot read the tokens.
    const publisherEnv = propertiesOf<{ Environment: { Variables: Record<string, unknown> } }>(publisher)
      .Environment.Variables;
    expect(Object.keys(publisherEnv)).toEqual(['LEADFLOW_INTEGRATIONS_CONFIG']);
    const variables = propertiesOf<{ Environment: { Variables: Record<string, unknown> } }>(worker)
      .Environment.Variables;
    expect(variables.LEADFLOW_INTEGRATIONS_SECRET_ARN).toEqual({
      Ref: expect.stringMatching(/^IntegrationSecrets/),
    });
    expect(JSON.parse(String(variables.LEADFLOW_INTEGRATIONS_CONFIG))).toMatchObject({
      slack: { enabled: false },
      hubspot: { lifecycle: { won: 'customer' } },
    });
  });

  it('a bad config/integrations.yaml fails synth with the path of the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadflow-integrations-'));
    writeFileSync(join(dir, 'integrations.yaml'), 'slack:\n  users:\n    ravi: nope\n');
    expect(() => integrationsConfigJson(dir)).toThrow(/slack\.users\.ravi: must be a Slack id/);
    // No file: both connectors off.
    expect(JSON.parse(integrationsConfigJson(join(dir, 'missing')))).toMatchObject({
      slack: { enabled: false },
      hubspot: { enabled: false },
    });
  });
});
