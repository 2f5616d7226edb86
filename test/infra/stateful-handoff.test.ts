import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { buildStatefulTemplates } from './stateful-fixture';
import { logicalIdOf, PROD, resourceOf, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

describe('stateful stack: hand-off to sales', SYNTH_TIMEOUT, () => {
  let devApp: LeadflowApp;
  let dev: Template;

  beforeAll(() => {
    ({ devApp, dev } = buildStatefulTemplates());
  }, SYNTH_TIMEOUT.timeout);

  describe('hot-leads.fifo queue', () => {
    const queueId = () => logicalIdOf(devApp.stateful.hotLeadQueue.queue);
    const dlqId = () => logicalIdOf(devApp.stateful.hotLeadQueue.deadLetterQueue);
    const topicRef = () => ({ Ref: logicalIdOf(devApp.stateful.salesManagersTopic.topic) });
    const operatorsRef = () => ({ Ref: logicalIdOf(devApp.stateful.operatorsTopic.topic) });

    it('is a FIFO queue named leadflow-<stage>-hot-leads.fifo with a FIFO dead-letter queue', () => {
      expect(resourceOf(dev, queueId()).Properties).toMatchObject({
        FifoQueue: true,
        QueueName: 'leadflow-dev-hot-leads.fifo',
      });
      expect(resourceOf(dev, dlqId()).Properties).toMatchObject({
        FifoQueue: true,
        QueueName: 'leadflow-dev-hot-leads-dlq.fifo',
      });
    });

    it('moves a hot lead to its dead-letter queue after 5 claims ran out unresolved', () => {
      expect(resourceOf(dev, queueId()).Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
        maxReceiveCount: 5,
      });
    });

    it('takes the number of returns before the dead-letter queue from the app props', () => {
      const { stateful } = buildApp({
        stage: 'dev',
        context: SKIP_BUNDLING,
        stateful: { hotLeadMaxReceiveCount: 3 },
      });
      const template = Template.fromStack(stateful);
      expect(
        resourceOf(template, logicalIdOf(stateful.hotLeadQueue.queue)).Properties.RedrivePolicy,
      ).toMatchObject({ maxReceiveCount: 3 });
    });

    it('refuses a number of returns SQS would reject', () => {
      for (const hotLeadMaxReceiveCount of [0, 1.5, 1001]) {
        expect(() =>
          buildApp({ stage: 'dev', context: SKIP_BUNDLING, stateful: { hotLeadMaxReceiveCount } }),
        ).toThrow(/maxReceiveCount must be an integer from 1 to 1000/);
      }
    });

    it('leaves deduplication to the sender and runs high-throughput FIFO, per message group', () => {
      expect(resourceOf(dev, queueId()).Properties).toMatchObject({
        ContentBasedDeduplication: false,
        DeduplicationScope: 'messageGroup',
        FifoThroughputLimit: 'perMessageGroupId',
      });
      expect(resourceOf(dev, dlqId()).Properties).toMatchObject({ ContentBasedDeduplication: false });
    });

    it('keeps messages 14 days on both queues and hides a received one 30 s unless the claim says otherwise', () => {
      expect(resourceOf(dev, queueId()).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(resourceOf(dev, dlqId()).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
      expect(resourceOf(dev, queueId()).Properties.VisibilityTimeout).toBe(30);
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
            Statement: [
              {
                Effect: 'Deny',
                Principal: { AWS: '*' },
                Action: 'sqs:*',
                Resource: { 'Fn::GetAtt': [id, 'Arn'] },
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              },
            ],
          },
        });
      }
    });

    it('tells the sales managers and the operators within a minute when a hot lead lands on the dead-letter queue, and when it clears', () => {
      expect(
        resourceOf(dev, logicalIdOf(devApp.stateful.hotLeadQueue.deadLetterAlarm)).Properties,
      ).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 0,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef(), operatorsRef()],
        OKActions: [topicRef(), operatorsRef()],
      });
    });

    it('tells the sales managers (only them) when the oldest hot lead on the queue is older than 15 minutes', () => {
      expect(
        resourceOf(dev, logicalIdOf(devApp.stateful.hotLeadQueue.oldestMessageAlarm)).Properties,
      ).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId(), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: 900,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [topicRef()],
        OKActions: [topicRef()],
      });
    });

    it('keeps both queues, and the hand-offs on them, when a protected (non-dev) stack lets go of them', () => {
      const { stateful } = buildApp(PROD);
      const template = Template.fromStack(stateful);
      for (const queue of [stateful.hotLeadQueue.queue, stateful.hotLeadQueue.deadLetterQueue]) {
        expect(template.toJSON().Resources[logicalIdOf(queue)]).toMatchObject({
          DeletionPolicy: 'Retain',
          UpdateReplacePolicy: 'Retain',
        });
      }
      for (const id of [queueId(), dlqId()]) {
        expect(dev.toJSON().Resources[id]).toMatchObject({ DeletionPolicy: 'Delete' });
      }
    });

    it('outputs the queue URL for a CRM that consumes hot leads directly', () => {
      dev.hasOutput('HotLeadsQueueUrl', { Value: { Ref: queueId() } });
    });
  });

  describe('sales-managers topic', () => {
    const topicId = () => logicalIdOf(devApp.stateful.salesManagersTopic.topic);

    it('is named leadflow-<stage>-sales-managers', () => {
      expect(resourceOf(dev, topicId()).Properties).toMatchObject({
        TopicName: 'leadflow-dev-sales-managers',
        DisplayName: 'Leadflow sales managers',
      });
    });

    it("denies publishing without TLS and lets only this account's CloudWatch alarms publish besides IAM", () => {
      // ses-events, sales-managers, operators.
      dev.resourceCountIs('AWS::SNS::TopicPolicy', 3);
      dev.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId() }],
        PolicyDocument: {
          Statement: [
            {
              Sid: 'AllowPublishThroughSSLOnly',
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Resource: { Ref: topicId() },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Sid: 'CloudWatchAlarmsPublish',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: topicId() },
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':cloudwatch:',
                        { Ref: 'AWS::Region' },
                        ':',
                        { Ref: 'AWS::AccountId' },
                        ':alarm:*',
                      ],
                    ],
                  },
                },
              },
            },
          ],
        },
      });
    });

    it('is the action of the hot-lead alarms only: the rescore, ad-leads, email-jobs and ses-events alarms notify the operators topic alone', () => {
      const notifying = Object.keys(
        dev.findResources('AWS::CloudWatch::Alarm', {
          Properties: { AlarmActions: Match.arrayWith([{ Ref: topicId() }]) },
        }),
      ).sort();
      expect(notifying).toEqual(
        [
          logicalIdOf(devApp.stateful.hotLeadQueue.deadLetterAlarm),
          logicalIdOf(devApp.stateful.hotLeadQueue.oldestMessageAlarm),
        ].sort(),
      );
      const operators = { Ref: logicalIdOf(devApp.stateful.operatorsTopic.topic) };
      for (const alarm of [
        devApp.stateful.rescoreQueue.deadLetterAlarm,
        devApp.stateful.adLeadQueue.deadLetterAlarm,
        devApp.stateful.emailJobQueue.deadLetterAlarm,
        devApp.stateful.sesEvents.deadLetterAlarm,
      ]) {
        expect(resourceOf(dev, logicalIdOf(alarm)).Properties, alarm.node.path).toMatchObject({
          AlarmActions: [operators],
          OKActions: [operators],
        });
      }
    });

    it('outputs the topic ARN, for operators to subscribe the sales managers', () => {
      dev.hasOutput('SalesManagersTopicArn', { Value: { Ref: topicId() } });
    });
  });
});
