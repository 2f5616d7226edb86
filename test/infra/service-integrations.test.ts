import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadflowApp } from '../../infra/build-app';
import { buildServiceTemplates, exportOf, serviceHelpers } from './service-fixture';
import { SYNTH_TIMEOUT } from './support';

/** Outbound webhooks: the worker's event source, and the operators' alarm when an endpoint stops. */
const ROOT = join(import.meta.dirname, '../..');

describe('service stack: integrations', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  beforeAll(() => {
    ({ built, template } = buildServiceTemplates({ bundle: false }));
  }, SYNTH_TIMEOUT.timeout);
  const { id } = serviceHelpers(() => ({ built, template }));

  it('feeds the integration-deliveries worker five messages a batch, ten batches at once, with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: id('integrationDeliveries') },
      EventSourceArn: {
        'Fn::ImportValue': exportOf(built.stateful, built.stateful.integrationDeliveries.queue.queue, 'Arn'),
      },
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 10 },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('tells the operators when an endpoint is paused or disabled (the WebhookEndpointStopped metric)', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Leadflow',
      MetricName: 'WebhookEndpointStopped',
      Dimensions: [{ Name: 'service', Value: 'leadflow' }],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [Match.objectLike({ 'Fn::ImportValue': Match.anyValue() })],
      // The person paged is pointed at the page, the command and the runbook that exists.
      AlarmDescription: Match.stringLikeRegexp(
        'Integrations page.*webhooks redeliver.*webhook-endpoint-stopped\\.md',
      ),
    });
    expect(existsSync(join(ROOT, 'docs/runbooks/webhook-endpoint-stopped.md'))).toBe(true);
  });

  it('never lets the endpoints API or the worker scan or write in batches', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).not.toContain('dynamodb:Scan');
    expect(template.toJSON().Resources[id('adminWebhooks')]).toBeDefined();
  });
});
