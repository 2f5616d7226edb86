import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { PROD, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

interface Resource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

const resourcesOf = (template: Template) =>
  Object.values(template.toJSON().Resources as Record<string, Resource>);

/** Every name a resource of the stateful stack is given (queues, topics, secrets, the configuration set). */
function namesIn(template: Template): string[] {
  return resourcesOf(template)
    .map(({ Type, Properties }) => {
      const key = { 'AWS::SQS::Queue': 'QueueName', 'AWS::SNS::Topic': 'TopicName' }[Type] ?? 'Name';
      return Properties?.[key];
    })
    .filter((name): name is string => typeof name === 'string');
}

/** The stateful resource types: whatever holds data, messages, subscriptions, secrets or logs. */
const STATEFUL_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SecretsManager::Secret',
  'AWS::Logs::LogGroup',
];

describe('stages', SYNTH_TIMEOUT, () => {
  let dev: LeadflowApp;
  let prod: LeadflowApp;
  beforeAll(() => {
    dev = buildApp({ stage: 'dev', context: SKIP_BUNDLING });
    prod = buildApp(PROD);
  }, SYNTH_TIMEOUT.timeout);

  it('refuses to build without a stage, saying how to give one', () => {
    const before = process.env.LEADFLOW_STAGE;
    delete process.env.LEADFLOW_STAGE;
    try {
      expect(() => buildApp({ context: SKIP_BUNDLING })).toThrow(
        /No stage given: pass one, e\.g\. `cdk deploy --all -c stage=prod`/,
      );
    } finally {
      if (before !== undefined) process.env.LEADFLOW_STAGE = before;
    }
  });

  it('takes the stage from the `stage` context (`cdk synth -c stage=test`)', () => {
    const { stage, stateful } = buildApp({ context: { ...SKIP_BUNDLING, stage: 'test' } });
    expect(stage).toBe('test');
    expect(stateful.stackName).toBe('LeadflowStateful-test');
  });

  it('names both stacks after the stage', () => {
    expect([dev.stateful.stackName, dev.service.stackName]).toEqual([
      'LeadflowStateful-dev',
      'LeadflowService-dev',
    ]);
    expect([prod.stateful.stackName, prod.service.stackName]).toEqual([
      'LeadflowStateful-prod',
      'LeadflowService-prod',
    ]);
  });

  it('puts the stage in the name of every secret, queue, topic and both configuration sets, so dev and prod share nothing', () => {
    const prodNames = namesIn(Template.fromStack(prod.stateful));
    expect(prodNames.sort()).toEqual(
      [
        'leadflow-prod/webhooks',
        'leadflow-prod/signing',
        'leadflow-prod/identity',
        'leadflow-prod/integrations',
        'leadflow-prod',
        'leadflow-prod-rescore-jobs',
        'leadflow-prod-rescore-jobs-dlq',
        'leadflow-prod-ad-leads',
        'leadflow-prod-ad-leads-dlq',
        'leadflow-prod-email-jobs',
        'leadflow-prod-email-jobs-dlq',
        'leadflow-prod-hot-leads.fifo',
        'leadflow-prod-hot-leads-dlq.fifo',
        'leadflow-prod-lead-exports',
        'leadflow-prod-lead-exports-dlq',
        'leadflow-prod-lead-imports',
        'leadflow-prod-lead-imports-dlq',
        'leadflow-prod-integration-deliveries',
        'leadflow-prod-integration-deliveries-dlq',
        'leadflow-prod-ses-events',
        'leadflow-prod-ses-events-dlq',
        'leadflow-prod-sales-managers',
        'leadflow-prod-operators',
        'leadflow-prod-transactional',
      ].sort(),
    );
    const devNames = namesIn(Template.fromStack(dev.stateful));
    expect(devNames).toHaveLength(prodNames.length);
    expect(devNames.filter((name) => prodNames.includes(name))).toEqual([]);
  });

  it('turns on termination protection on both prod stacks, and not on dev', () => {
    expect([prod.stateful.terminationProtection, prod.service.terminationProtection]).toEqual([true, true]);
    expect([dev.stateful.terminationProtection, dev.service.terminationProtection]).toEqual([false, false]);
  });

  it('keeps every stateful resource of prod (table, queues and their DLQs, secrets, topics, log groups) when its stack lets go of it', () => {
    for (const stack of [prod.stateful, prod.service]) {
      const kept = resourcesOf(Template.fromStack(stack)).filter(
        ({ Type }) => STATEFUL_TYPES.includes(Type) || Type === 'AWS::SNS::Topic',
      );
      for (const resource of kept) {
        // The ses-events topic holds no subscription a person made: the service stack subscribes to it.
        if (resource.Properties?.TopicName === 'leadflow-prod-ses-events') continue;
        expect(resource, `${stack.stackName} ${resource.Type}`).toMatchObject({
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        });
      }
    }
    const table = resourcesOf(Template.fromStack(prod.stateful)).find(
      ({ Type }) => Type === 'AWS::DynamoDB::Table',
    );
    expect(table?.Properties?.DeletionProtectionEnabled).toBe(true);
  });

  it('lets a dev stage go entirely, but for the identity key (every stored lead id is derived from it)', () => {
    for (const stack of [dev.stateful, dev.service]) {
      for (const resource of resourcesOf(Template.fromStack(stack)).filter(({ Type }) =>
        STATEFUL_TYPES.includes(Type),
      )) {
        const expected = resource.Properties?.Name === 'leadflow-dev/identity' ? 'Retain' : 'Delete';
        expect(resource.DeletionPolicy, `${stack.stackName} ${resource.Type}`).toBe(expected);
      }
    }
    const table = resourcesOf(Template.fromStack(dev.stateful)).find(
      ({ Type }) => Type === 'AWS::DynamoDB::Table',
    );
    expect(table?.Properties?.DeletionProtectionEnabled).toBe(false);
  });

  it('treats test like dev: throwaway, no termination protection', () => {
    const test = buildApp({ stage: 'test', context: SKIP_BUNDLING });
    expect(test.stateful.terminationProtection).toBe(false);
  });
});
