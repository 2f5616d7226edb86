import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { buildStatefulTemplates } from './stateful-fixture';
import { logicalIdOf, PROD, resourceOf, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

describe('stateful stack: SES', SYNTH_TIMEOUT, () => {
  let devApp: LeadflowApp;
  let dev: Template;

  beforeAll(() => {
    ({ devApp, dev } = buildStatefulTemplates());
  }, SYNTH_TIMEOUT.timeout);

  describe('sender identity', () => {
    it('defaults to the domain of sender.email in config/settings.yaml, output for operators to verify', () => {
      expect(devApp.stateful.senderIdentity).toBe('leadflow.example');
      dev.hasOutput('SenderIdentity', { Value: 'leadflow.example' });
    });

    it('is an identity ARN in the deploying account and region', () => {
      expect(devApp.stateful.resolve(devApp.stateful.senderIdentityArn)).toEqual({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':ses:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':identity/leadflow.example',
          ],
        ],
      });
    });

    it('takes a domain or an address from the leadflow:senderIdentity context, and the app props over it', () => {
      const fromContext = buildApp({
        stage: 'dev',
        context: { ...SKIP_BUNDLING, 'leadflow:senderIdentity': 'news@mail.example.com' },
      });
      expect(fromContext.stateful.senderIdentity).toBe('news@mail.example.com');
      const fromProps = buildApp({
        stage: 'dev',
        context: { ...SKIP_BUNDLING, 'leadflow:senderIdentity': 'mail.example.com' },
        senderIdentity: 'example.org',
      });
      expect(fromProps.stateful.senderIdentity).toBe('example.org');
    });

    it('refuses what is neither a domain nor one address: SES could never authorize a From address with it', () => {
      for (const senderIdentity of [
        '*',
        'localhost',
        'a@b@example.com',
        '@example.com',
        'mail.example.com/x',
      ]) {
        expect(
          () => buildApp({ stage: 'dev', context: SKIP_BUNDLING, senderIdentity }),
          senderIdentity,
        ).toThrow(/senderIdentity must be a domain/);
      }
    });

    it('creates no SES identity: verifying the domain (DNS) is an operator task', () => {
      dev.resourceCountIs('AWS::SES::EmailIdentity', 0);
    });
  });

  describe('ses-events topic and configuration set', () => {
    const topicId = () => logicalIdOf(devApp.stateful.sesEvents.topic);
    const configurationSetId = () => logicalIdOf(devApp.stateful.sesEvents.configurationSet);
    const transactionalId = () => logicalIdOf(devApp.stateful.transactionalConfigurationSet.configurationSet);

    it('is a topic named leadflow-<stage>-ses-events', () => {
      expect(resourceOf(dev, topicId()).Properties).toMatchObject({
        TopicName: 'leadflow-dev-ses-events',
        DisplayName: 'Leadflow SES events',
      });
    });

    it("denies publishing without TLS and lets SES publish for this account's two leadflow configuration sets only", () => {
      const sesPublish = (configurationSet: string) => ({
        Sid: Match.anyValue(),
        Effect: 'Allow',
        Principal: { Service: 'ses.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: topicId() },
        Condition: {
          StringEquals: {
            'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':ses:',
                  { Ref: 'AWS::Region' },
                  ':',
                  { Ref: 'AWS::AccountId' },
                  ':configuration-set/',
                  { Ref: configurationSet },
                ],
              ],
            },
          },
        },
      });
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
              Sid: Match.anyValue(),
              Effect: 'Allow',
              Principal: { Service: 'ses.amazonaws.com' },
              Action: 'sns:Publish',
              Resource: { Ref: topicId() },
              Condition: {
                StringEquals: {
                  'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                  'AWS:SourceArn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':ses:',
                        { Ref: 'AWS::Region' },
                        ':',
                        { Ref: 'AWS::AccountId' },
                        ':configuration-set/',
                        { Ref: configurationSetId() },
                      ],
                    ],
                  },
                },
              },
            },
            sesPublish(transactionalId()),
          ],
        },
      });
    });

    it('is the configuration set named leadflow-<stage>, beside the transactional one leadflow-<stage>-transactional', () => {
      dev.resourceCountIs('AWS::SES::ConfigurationSet', 2);
      expect(resourceOf(dev, configurationSetId()).Properties).toMatchObject({ Name: 'leadflow-dev' });
      expect(resourceOf(dev, transactionalId()).Properties).toMatchObject({
        Name: 'leadflow-dev-transactional',
      });
      dev.hasOutput('TransactionalConfigurationSetName', { Value: { Ref: transactionalId() } });
    });

    it.each([
      ['marketing', () => configurationSetId()],
      ['transactional', () => transactionalId()],
    ])(
      'publishes exactly send, reject, bounce, complaint, delivery, delivery delay, open and click of the %s set to the topic',
      (_set, setId) => {
        dev.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 2);
        const [destination] = Object.values(
          dev.findResources('AWS::SES::ConfigurationSetEventDestination', {
            Properties: { ConfigurationSetName: { Ref: setId() } },
          }),
        ) as { Properties: Record<string, unknown> }[];
        if (!destination) throw new Error(`no event destination for ${setId()}`);
        const { Enabled, MatchingEventTypes, SnsDestination } = destination.Properties.EventDestination as {
          Enabled: boolean;
          MatchingEventTypes: string[];
          SnsDestination: unknown;
        };
        expect(Enabled).toBe(true);
        expect([...MatchingEventTypes].sort()).toEqual(
          ['send', 'reject', 'bounce', 'complaint', 'delivery', 'deliveryDelay', 'open', 'click'].sort(),
        );
        expect(SnsDestination).toEqual({ TopicARN: { Ref: topicId() } });
      },
    );

    it('creates the event destination only once SES may publish to the topic', () => {
      const topicPolicy = Object.keys(
        dev.findResources('AWS::SNS::TopicPolicy', { Properties: { Topics: [{ Ref: topicId() }] } }),
      );
      expect(topicPolicy).toHaveLength(1);
      expect(
        dev.toJSON().Resources[logicalIdOf(devApp.stateful.sesEvents.eventDestination)].DependsOn,
      ).toEqual(topicPolicy);
    });

    it('outputs the configuration set name, for sending and for the SES console', () => {
      dev.hasOutput('ConfigurationSetName', { Value: { Ref: configurationSetId() } });
    });
  });

  describe('ses-events dead-letter queue', () => {
    const dlqId = () => logicalIdOf(devApp.stateful.sesEvents.deadLetterQueue);
    const topicId = () => logicalIdOf(devApp.stateful.sesEvents.topic);

    it('is a standard queue named leadflow-<stage>-ses-events-dlq that keeps events 14 days', () => {
      expect(resourceOf(dev, dlqId()).Properties).toMatchObject({
        QueueName: 'leadflow-dev-ses-events-dlq',
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      expect(resourceOf(dev, dlqId()).Properties.FifoQueue).toBeUndefined();
    });

    it('encrypts with an SQS-managed key, denies every request without TLS and lets only the ses-events topic send to it', () => {
      expect(resourceOf(dev, dlqId()).Properties).toMatchObject({ SqsManagedSseEnabled: true });
      expect(resourceOf(dev, dlqId()).Properties.KmsMasterKeyId).toBeUndefined();
      dev.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: dlqId() }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: 'sqs:*',
              Resource: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
            {
              Effect: 'Allow',
              Principal: { Service: 'sns.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': { Ref: topicId() } } },
            },
          ],
        },
      });
    });

    it('alarms as soon as one event is visible on it (5 minutes, 1 datapoint), notifying the operators topic, like rescore-jobs', () => {
      const alarm = resourceOf(dev, logicalIdOf(devApp.stateful.sesEvents.deadLetterAlarm));
      expect(alarm.Properties).toMatchObject({
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
      const operators = { Ref: logicalIdOf(devApp.stateful.operatorsTopic.topic) };
      expect(alarm.Properties.AlarmActions).toEqual([operators]);
      expect(alarm.Properties.OKActions).toEqual([operators]);
    });

    it('keeps the queue, and the events on it, when a protected (non-dev) stack lets go of it', () => {
      const { stateful } = buildApp(PROD);
      expect(
        Template.fromStack(stateful).toJSON().Resources[logicalIdOf(stateful.sesEvents.deadLetterQueue)],
      ).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(dev.toJSON().Resources[dlqId()]).toMatchObject({ DeletionPolicy: 'Delete' });
    });
  });
});
