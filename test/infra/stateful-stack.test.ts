import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { logicalIdOf, resourceOf, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

describe('stateful stack', SYNTH_TIMEOUT, () => {
  let devApp: LeadflowApp;
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    devApp = buildApp({ stage: 'dev', context: SKIP_BUNDLING });
    dev = Template.fromStack(devApp.stateful);
    prod = Template.fromStack(buildApp({ stage: 'prod', context: SKIP_BUNDLING }).stateful);
  }, SYNTH_TIMEOUT.timeout);

  it('holds exactly one table, keyed pk/sk, billed on demand', () => {
    dev.resourceCountIs('AWS::DynamoDB::Table', 1);
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ]),
    });
  });

  it('keeps 35 days of point-in-time recovery and encrypts with the AWS-managed key', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
    });
  });

  it('expires items through the expiresAt TTL attribute', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it('has the sparse gsi1 index (gsi1pk/gsi1sk, all attributes projected)', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
      ]),
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi1',
          KeySchema: [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('protects the table from deletion and retains it outside dev', () => {
    prod.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('lets a dev table be deleted with its stack', () => {
    dev.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
      DeletionPolicy: 'Delete',
    });
  });

  it('outputs the table name for the token CLI', () => {
    dev.hasOutput('TableName', { Value: { Ref: Match.stringLikeRegexp('^Table') } });
  });

  describe('rescore-jobs queue', () => {
    const queueId = () => logicalIdOf(devApp.stateful.rescoreQueue.queue);
    const dlqId = () => logicalIdOf(devApp.stateful.rescoreQueue.deadLetterQueue);

    it('is a standard queue and its dead-letter queue, nothing else', () => {
      dev.resourceCountIs('AWS::SQS::Queue', 2);
      for (const id of [queueId(), dlqId()]) {
        expect(resourceOf(dev, id).Properties.FifoQueue).toBeUndefined();
      }
    });

    it('moves a message to its dead-letter queue after 5 receives', () => {
      expect(resourceOf(dev, queueId()).Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
        maxReceiveCount: 5,
      });
    });

    it('keeps messages 4 days, failed ones 14 days', () => {
      expect(resourceOf(dev, queueId()).Properties.MessageRetentionPeriod).toBe(4 * 24 * 3600);
      expect(resourceOf(dev, dlqId()).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('hides a message for 360 s, six times the rescore function timeout', () => {
      expect(resourceOf(dev, queueId()).Properties.VisibilityTimeout).toBe(360);
    });

    it('encrypts both queues with SQS-managed keys', () => {
      for (const id of [queueId(), dlqId()]) {
        expect(resourceOf(dev, id).Properties).toMatchObject({ SqsManagedSseEnabled: true });
        expect(resourceOf(dev, id).Properties.KmsMasterKeyId).toBeUndefined();
      }
    });

    it('denies every request to either queue that does not use TLS', () => {
      for (const id of [queueId(), dlqId()]) {
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

    it('alarms as soon as one message is visible on the dead-letter queue (5 minutes, 1 datapoint)', () => {
      dev.resourceCountIs('AWS::CloudWatch::Alarm', 1);
      expect(
        resourceOf(dev, logicalIdOf(devApp.stateful.rescoreQueue.deadLetterAlarm)).Properties,
      ).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
    });

    it('notifies nobody yet: the operators topic comes with a later issue', () => {
      const alarm = resourceOf(dev, logicalIdOf(devApp.stateful.rescoreQueue.deadLetterAlarm));
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    });
  });

  it('refuses a stage name that is not a short lower-case word', () => {
    expect(() => buildApp({ stage: 'Prod!', context: SKIP_BUNDLING })).toThrow(/stage must be/);
  });
});
