import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadflowApp } from '../../infra/build-app';
import { buildStatefulTemplates } from './stateful-fixture';
import { logicalIdOf, resourceOf, SYNTH_TIMEOUT } from './support';

type Stateful = LeadflowApp['stateful'];

/** The standard job queues: same shape, each hidden for six times its consumer's timeout. */
const JOB_QUEUES = [
  { queue: 'rescore-jobs', of: (s: Stateful) => s.rescoreQueue, visibility: 360, consumer: 'rescore' },
  { queue: 'ad-leads', of: (s: Stateful) => s.adLeadQueue, visibility: 180, consumer: 'ad-leads' },
  { queue: 'email-jobs', of: (s: Stateful) => s.emailJobQueue, visibility: 360, consumer: 'send-email' },
] as const;

describe('stateful stack: job queues', SYNTH_TIMEOUT, () => {
  let devApp: LeadflowApp;
  let dev: Template;

  beforeAll(() => {
    ({ devApp, dev } = buildStatefulTemplates());
  }, SYNTH_TIMEOUT.timeout);

  const queueId = (row: (typeof JOB_QUEUES)[number]) => logicalIdOf(row.of(devApp.stateful).queue);
  const dlqId = (row: (typeof JOB_QUEUES)[number]) => logicalIdOf(row.of(devApp.stateful).deadLetterQueue);

  it.each(JOB_QUEUES)('$queue is a standard queue, and so is its dead-letter queue', (row) => {
    for (const id of [queueId(row), dlqId(row)]) {
      expect(resourceOf(dev, id).Properties.FifoQueue).toBeUndefined();
    }
  });

  it.each(JOB_QUEUES)('$queue moves a message to its dead-letter queue after 5 receives', (row) => {
    expect(resourceOf(dev, queueId(row)).Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(row), 'Arn'] },
      maxReceiveCount: 5,
    });
  });

  it.each(JOB_QUEUES)('$queue keeps messages 4 days, failed ones 14 days', (row) => {
    expect(resourceOf(dev, queueId(row)).Properties.MessageRetentionPeriod).toBe(4 * 24 * 3600);
    expect(resourceOf(dev, dlqId(row)).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
  });

  it.each(JOB_QUEUES)(
    '$queue hides a message for $visibility s, six times the $consumer function timeout',
    (row) => {
      expect(resourceOf(dev, queueId(row)).Properties.VisibilityTimeout).toBe(row.visibility);
    },
  );

  it.each(JOB_QUEUES)('$queue: both queues are encrypted with SQS-managed keys', (row) => {
    for (const id of [queueId(row), dlqId(row)]) {
      expect(resourceOf(dev, id).Properties).toMatchObject({ SqsManagedSseEnabled: true });
      expect(resourceOf(dev, id).Properties.KmsMasterKeyId).toBeUndefined();
    }
  });

  it.each(JOB_QUEUES)('$queue: every request to either queue that does not use TLS is denied', (row) => {
    for (const id of [queueId(row), dlqId(row)]) {
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
  });

  it.each(JOB_QUEUES)(
    '$queue alarms as soon as one message is visible on its dead-letter queue (5 minutes, 1 datapoint), notifying nobody yet: the operators topic comes with a later issue',
    (row) => {
      const alarm = resourceOf(dev, logicalIdOf(row.of(devApp.stateful).deadLetterAlarm));
      expect(alarm.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(row), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    },
  );

  it('holds four queues (rescore-jobs, ad-leads, email-jobs, hot-leads.fifo) with their dead-letter queues, the ses-events DLQ, and nothing else', () => {
    dev.resourceCountIs('AWS::SQS::Queue', 9);
    dev.resourceCountIs('AWS::SNS::Topic', 2);
    dev.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    dev.resourceCountIs('AWS::SecretsManager::Secret', 3);
  });
});
