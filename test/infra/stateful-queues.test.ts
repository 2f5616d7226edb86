import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadflowApp } from '../../infra/build-app';
import { buildStatefulTemplates } from './stateful-fixture';
import { logicalIdOf, resourceOf, SYNTH_TIMEOUT } from './support';

type Stateful = LeadflowApp['stateful'];

/** The standard job queues: same shape, each hidden for six times its consumer's timeout. */
/** [queue, visibility timeout (s), consumer function, the queue construct] */
const JOB_QUEUES = [
  ['rescore-jobs', 360, 'rescore', (s: Stateful) => s.rescoreQueue],
  ['ad-leads', 180, 'ad-leads', (s: Stateful) => s.adLeadQueue],
  ['email-jobs', 360, 'send-email', (s: Stateful) => s.emailJobQueue],
] as const;
type JobQueue = (typeof JOB_QUEUES)[number][3];

describe('stateful stack: job queues', SYNTH_TIMEOUT, () => {
  let devApp: LeadflowApp;
  let dev: Template;

  beforeAll(() => {
    ({ devApp, dev } = buildStatefulTemplates());
  }, SYNTH_TIMEOUT.timeout);

  const queueId = (of: JobQueue) => logicalIdOf(of(devApp.stateful).queue);
  const dlqId = (of: JobQueue) => logicalIdOf(of(devApp.stateful).deadLetterQueue);

  it.each(JOB_QUEUES)(
    '%s is a standard queue, and so is its dead-letter queue',
    (_queue, _visibility, _consumer, of) => {
      for (const id of [queueId(of), dlqId(of)]) {
        expect(resourceOf(dev, id).Properties.FifoQueue).toBeUndefined();
      }
    },
  );

  it.each(JOB_QUEUES)(
    '%s moves a message to its dead-letter queue after 5 receives',
    (_queue, _visibility, _consumer, of) => {
      expect(resourceOf(dev, queueId(of)).Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(of), 'Arn'] },
        maxReceiveCount: 5,
      });
    },
  );

  it.each(JOB_QUEUES)(
    '%s keeps messages 4 days, failed ones 14 days',
    (_queue, _visibility, _consumer, of) => {
      expect(resourceOf(dev, queueId(of)).Properties.MessageRetentionPeriod).toBe(4 * 24 * 3600);
      expect(resourceOf(dev, dlqId(of)).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    },
  );

  it.each(JOB_QUEUES)(
    '%s hides a message for %i s, six times the %s function timeout',
    (_queue, visibility, _consumer, of) => {
      expect(resourceOf(dev, queueId(of)).Properties.VisibilityTimeout).toBe(visibility);
    },
  );

  it.each(JOB_QUEUES)(
    '%s: both queues are encrypted with SQS-managed keys',
    (_queue, _visibility, _consumer, of) => {
      for (const id of [queueId(of), dlqId(of)]) {
        expect(resourceOf(dev, id).Properties).toMatchObject({ SqsManagedSseEnabled: true });
        expect(resourceOf(dev, id).Properties.KmsMasterKeyId).toBeUndefined();
      }
    },
  );

  it.each(JOB_QUEUES)(
    '%s: every request to either queue that does not use TLS is denied',
    (_queue, _visibility, _consumer, of) => {
      for (const id of [queueId(of), dlqId(of)]) {
        dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: id }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              {
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 'sqs:*',
                Resource: { 'Fn::GetAtt': [id, 'Arn'] },
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ]),
          },
        });
      }
    },
  );

  it.each(JOB_QUEUES)(
    '%s alarms as soon as one message is visible on its dead-letter queue (5 minutes, 1 datapoint), and tells the operators topic when it fires and clears',
    (_queue, _visibility, _consumer, of) => {
      const alarm = resourceOf(dev, logicalIdOf(of(devApp.stateful).deadLetterAlarm));
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(of), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
      const operators = { Ref: logicalIdOf(devApp.stateful.operatorsTopic.topic) };
      expect(alarm.Properties.AlarmActions).toEqual([operators]);
      expect(alarm.Properties.OKActions).toEqual([operators]);
    },
  );

  it('holds seven queues (rescore-jobs, ad-leads, email-jobs, hot-leads.fifo, lead-exports, lead-imports, integration-deliveries) with their dead-letter queues, the ses-events DLQ, and nothing else', () => {
    dev.resourceCountIs('AWS::SQS::Queue', 15);
    // ses-events, sales-managers, operators.
    dev.resourceCountIs('AWS::SNS::Topic', 3);
    // One more each: anything on the lead-exports, lead-imports and integration-deliveries DLQs.
    dev.resourceCountIs('AWS::CloudWatch::Alarm', 9);
    // webhooks, signing, the identity key and integrations (Slack, HubSpot).
    dev.resourceCountIs('AWS::SecretsManager::Secret', 4);
  });

  it('integration-deliveries: a minute of consumer timeout (six for visibility) and its DLQ after five receives', () => {
    const queue = Object.values(dev.findResources('AWS::SQS::Queue')).find(
      (q) =>
        (q as { Properties: { QueueName?: string } }).Properties.QueueName ===
        'leadflow-dev-integration-deliveries',
    ) as { Properties: Record<string, unknown> } | undefined;
    expect(queue?.Properties.VisibilityTimeout).toBe(360);
    expect(queue?.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 5 });
  });
});
