import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyAttributes, TABLE_DEFINITION } from '../../functions/shared/table-definition';
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

  it('has exactly two sparse indexes: gsi1 (hand-offs, all attributes) and gsi2 (nurture due steps, keys only)', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
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
        {
          IndexName: 'gsi2',
          KeySchema: [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('is the table of functions/shared/table-definition.ts: its keys, indexes and TTL attribute, nothing else', () => {
    const [table] = Object.values(dev.findResources('AWS::DynamoDB::Table')) as {
      Properties: Record<string, unknown>;
    }[];
    const keySchema = (partitionKey: string, sortKey: string) => [
      { AttributeName: partitionKey, KeyType: 'HASH' },
      { AttributeName: sortKey, KeyType: 'RANGE' },
    ];
    expect(table?.Properties).toMatchObject({
      KeySchema: keySchema(TABLE_DEFINITION.partitionKey, TABLE_DEFINITION.sortKey),
      TimeToLiveSpecification: { AttributeName: TABLE_DEFINITION.timeToLiveAttribute, Enabled: true },
      GlobalSecondaryIndexes: TABLE_DEFINITION.globalSecondaryIndexes.map((index) => ({
        IndexName: index.name,
        KeySchema: keySchema(index.partitionKey, index.sortKey),
        Projection: { ProjectionType: index.projection },
      })),
    });
    expect(table?.Properties.GlobalSecondaryIndexes).toHaveLength(
      TABLE_DEFINITION.globalSecondaryIndexes.length,
    );
    expect(table?.Properties.AttributeDefinitions).toEqual(
      keyAttributes().map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    );
    expect(table?.Properties.StreamSpecification).toBeUndefined();
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

    it('is a standard queue, and so is its dead-letter queue', () => {
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

  describe('ad-leads queue', () => {
    const queueId = () => logicalIdOf(devApp.stateful.adLeadQueue.queue);
    const dlqId = () => logicalIdOf(devApp.stateful.adLeadQueue.deadLetterQueue);

    it('is a standard queue, and so is its dead-letter queue', () => {
      for (const id of [queueId(), dlqId()]) {
        expect(resourceOf(dev, id).Properties.FifoQueue).toBeUndefined();
      }
    });

    it('moves a lead whose fetch failed 5 times to its dead-letter queue, where it is kept 14 days', () => {
      expect(resourceOf(dev, queueId()).Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(resourceOf(dev, queueId()).Properties.MessageRetentionPeriod).toBe(4 * 24 * 3600);
      expect(resourceOf(dev, dlqId()).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('waits 180 s, six times the ad-leads function timeout, before retrying a lead', () => {
      expect(resourceOf(dev, queueId()).Properties.VisibilityTimeout).toBe(180);
    });

    it('encrypts both queues with SQS-managed keys and denies every request without TLS', () => {
      for (const id of [queueId(), dlqId()]) {
        expect(resourceOf(dev, id).Properties).toMatchObject({ SqsManagedSseEnabled: true });
        expect(resourceOf(dev, id).Properties.KmsMasterKeyId).toBeUndefined();
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

    it('alarms as soon as one lead is visible on the dead-letter queue (5 minutes, 1 datapoint), like rescore-jobs', () => {
      expect(
        resourceOf(dev, logicalIdOf(devApp.stateful.adLeadQueue.deadLetterAlarm)).Properties,
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
  });

  describe('email-jobs queue', () => {
    const queueId = () => logicalIdOf(devApp.stateful.emailJobQueue.queue);
    const dlqId = () => logicalIdOf(devApp.stateful.emailJobQueue.deadLetterQueue);

    it('is a standard queue, and so is its dead-letter queue', () => {
      for (const id of [queueId(), dlqId()]) {
        expect(resourceOf(dev, id).Properties.FifoQueue).toBeUndefined();
      }
    });

    it('moves a job that failed 5 times to its dead-letter queue, where it is kept 14 days', () => {
      expect(resourceOf(dev, queueId()).Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
        maxReceiveCount: 5,
      });
      expect(resourceOf(dev, queueId()).Properties.MessageRetentionPeriod).toBe(4 * 24 * 3600);
      expect(resourceOf(dev, dlqId()).Properties.MessageRetentionPeriod).toBe(14 * 24 * 3600);
    });

    it('hides a job for 360 s, six times the send-email function timeout', () => {
      expect(resourceOf(dev, queueId()).Properties.VisibilityTimeout).toBe(360);
    });

    it('encrypts both queues with SQS-managed keys and denies every request without TLS', () => {
      for (const id of [queueId(), dlqId()]) {
        expect(resourceOf(dev, id).Properties).toMatchObject({ SqsManagedSseEnabled: true });
        expect(resourceOf(dev, id).Properties.KmsMasterKeyId).toBeUndefined();
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

    it('alarms as soon as one job is visible on the dead-letter queue (5 minutes, 1 datapoint), like rescore-jobs', () => {
      const alarm = resourceOf(dev, logicalIdOf(devApp.stateful.emailJobQueue.deadLetterAlarm));
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
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    });
  });

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
        context: { ...SKIP_BUNDLING, 'leadflow:senderIdentity': 'news@mail.example.com' },
      });
      expect(fromContext.stateful.senderIdentity).toBe('news@mail.example.com');
      const fromProps = buildApp({
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
        expect(() => buildApp({ context: SKIP_BUNDLING, senderIdentity }), senderIdentity).toThrow(
          /senderIdentity must be a domain/,
        );
      }
    });

    it('creates no SES identity: verifying the domain (DNS) is an operator task', () => {
      dev.resourceCountIs('AWS::SES::EmailIdentity', 0);
    });
  });

  describe('webhook secrets', () => {
    const secretId = () => logicalIdOf(devApp.stateful.webhookSecrets);

    it('is one Secrets Manager secret named leadflow/webhooks', () => {
      expect(
        Object.keys(
          dev.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'leadflow/webhooks' } }),
        ),
      ).toEqual([secretId()]);
    });

    it("starts with every key the functions read: the platforms' values empty, the Meta verify token generated", () => {
      const { GenerateSecretString } = resourceOf(dev, secretId()).Properties as {
        GenerateSecretString: { SecretStringTemplate: string; GenerateStringKey: string };
      };
      const template = JSON.parse(GenerateSecretString.SecretStringTemplate) as Record<string, string>;
      expect([...Object.keys(template), GenerateSecretString.GenerateStringKey].sort()).toEqual(
        [
          'META_APP_SECRET',
          'META_VERIFY_TOKEN',
          'META_ACCESS_TOKEN',
          'GOOGLE_ADS_WEBHOOK_KEY',
          'LINKEDIN_CLIENT_SECRET',
          'LINKEDIN_ACCESS_TOKEN',
          'TIKTOK_WEBHOOK_SECRET',
        ].sort(),
      );
      expect(Object.values(template).every((value) => value === '')).toBe(true);
      // Meta sends it back in a query string: letters and digits only.
      expect(GenerateSecretString).toMatchObject({
        GenerateStringKey: 'META_VERIFY_TOKEN',
        ExcludePunctuation: true,
        IncludeSpace: false,
      });
    });

    it('encrypts with the AWS-managed key, so readers need no KMS grant', () => {
      expect(resourceOf(dev, secretId()).Properties.KmsKeyId).toBeUndefined();
    });

    it("keeps the operators' values when a protected (non-dev) stack lets go of the secret", () => {
      const { stateful } = buildApp({ stage: 'prod', context: SKIP_BUNDLING });
      expect(
        Template.fromStack(stateful).toJSON().Resources[logicalIdOf(stateful.webhookSecrets)],
      ).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      expect(dev.toJSON().Resources[secretId()]).toMatchObject({ DeletionPolicy: 'Delete' });
    });

    it("outputs the secret name, for operators to put the platforms' values in", () => {
      dev.hasOutput('WebhookSecretsName', { Value: 'leadflow/webhooks' });
    });
  });

  it('holds four queues (rescore-jobs, ad-leads, email-jobs, hot-leads.fifo) with their dead-letter queues, the ses-events DLQ, and nothing else', () => {
    dev.resourceCountIs('AWS::SQS::Queue', 9);
    dev.resourceCountIs('AWS::SNS::Topic', 2);
    dev.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    dev.resourceCountIs('AWS::SecretsManager::Secret', 3);
  });

  describe('identity key', () => {
    const secretId = () => logicalIdOf(devApp.stateful.identityKey);

    it('is one Secrets Manager secret named leadflow/identity: 64 letters and digits, generated once', () => {
      expect(
        Object.keys(
          dev.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'leadflow/identity' } }),
        ),
      ).toEqual([secretId()]);
      expect(resourceOf(dev, secretId()).Properties.GenerateSecretString).toEqual({
        ExcludePunctuation: true,
        IncludeSpace: false,
        PasswordLength: 64,
      });
    });

    it('is kept whatever the stage, and never rotated: every lead id and suppression key derives from it', () => {
      expect(resourceOf(dev, secretId())).toMatchObject({
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      dev.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    });
  });

  describe('signing secrets', () => {
    const secretId = () => logicalIdOf(devApp.stateful.signingSecrets);

    it('is one Secrets Manager secret named leadflow/signing', () => {
      expect(
        Object.keys(
          dev.findResources('AWS::SecretsManager::Secret', { Properties: { Name: 'leadflow/signing' } }),
        ),
      ).toEqual([secretId()]);
    });

    it('generates UNSUBSCRIBE_KEY once: 64 letters and digits in a JSON object', () => {
      expect(resourceOf(dev, secretId()).Properties.GenerateSecretString).toEqual({
        SecretStringTemplate: '{}',
        GenerateStringKey: 'UNSUBSCRIBE_KEY',
        ExcludePunctuation: true,
        PasswordLength: 64,
      });
    });

    it('encrypts with the AWS-managed key and has no rotation: a rotated key would break links already sent', () => {
      expect(resourceOf(dev, secretId()).Properties.KmsKeyId).toBeUndefined();
      dev.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    });

    it('keeps the key when a protected (non-dev) stack lets go of the secret, so links already sent keep working', () => {
      const { stateful } = buildApp({ stage: 'prod', context: SKIP_BUNDLING });
      expect(
        Template.fromStack(stateful).toJSON().Resources[logicalIdOf(stateful.signingSecrets)],
      ).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(dev.toJSON().Resources[secretId()]).toMatchObject({ DeletionPolicy: 'Delete' });
    });
  });

  describe('ses-events topic and configuration set', () => {
    const topicId = () => logicalIdOf(devApp.stateful.sesEvents.topic);
    const configurationSetId = () => logicalIdOf(devApp.stateful.sesEvents.configurationSet);

    it('is a topic named <stack>-ses-events', () => {
      expect(resourceOf(dev, topicId()).Properties).toMatchObject({
        TopicName: 'LeadflowStateful-ses-events',
        DisplayName: 'Leadflow SES events',
      });
    });

    it("denies publishing without TLS and lets SES publish for this account's leadflow configuration set only", () => {
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
          ],
        },
      });
    });

    it('is the configuration set named leadflow', () => {
      dev.resourceCountIs('AWS::SES::ConfigurationSet', 1);
      expect(resourceOf(dev, configurationSetId()).Properties).toMatchObject({ Name: 'leadflow' });
    });

    it('publishes exactly send, reject, bounce, complaint, delivery, delivery delay, open and click to the topic', () => {
      dev.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
      const destination = resourceOf(dev, logicalIdOf(devApp.stateful.sesEvents.eventDestination));
      expect(destination.Properties.ConfigurationSetName).toEqual({ Ref: configurationSetId() });
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
    });

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

    it('is a standard queue named <stack>-ses-events-dlq that keeps events 14 days', () => {
      expect(resourceOf(dev, dlqId()).Properties).toMatchObject({
        QueueName: 'LeadflowStateful-ses-events-dlq',
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

    it('alarms as soon as one event is visible on it (5 minutes, 1 datapoint), notifying nobody yet, like rescore-jobs', () => {
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
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    });

    it('keeps the queue, and the events on it, when a protected (non-dev) stack lets go of it', () => {
      const { stateful } = buildApp({ stage: 'prod', context: SKIP_BUNDLING });
      expect(
        Template.fromStack(stateful).toJSON().Resources[logicalIdOf(stateful.sesEvents.deadLetterQueue)],
      ).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      expect(dev.toJSON().Resources[dlqId()]).toMatchObject({ DeletionPolicy: 'Delete' });
    });
  });

  describe('hot-leads.fifo queue', () => {
    const queueId = () => logicalIdOf(devApp.stateful.hotLeadQueue.queue);
    const dlqId = () => logicalIdOf(devApp.stateful.hotLeadQueue.deadLetterQueue);
    const topicRef = () => ({ Ref: logicalIdOf(devApp.stateful.salesManagersTopic.topic) });

    it('is a FIFO queue named <stack>-hot-leads.fifo with a FIFO dead-letter queue', () => {
      expect(resourceOf(dev, queueId()).Properties).toMatchObject({
        FifoQueue: true,
        QueueName: 'LeadflowStateful-hot-leads.fifo',
      });
      expect(resourceOf(dev, dlqId()).Properties).toMatchObject({
        FifoQueue: true,
        QueueName: 'LeadflowStateful-hot-leads-dlq.fifo',
      });
    });

    it('moves a hot lead to its dead-letter queue after 5 claims ran out unresolved', () => {
      expect(resourceOf(dev, queueId()).Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: { 'Fn::GetAtt': [dlqId(), 'Arn'] },
        maxReceiveCount: 5,
      });
    });

    it('takes the number of returns before the dead-letter queue from the app props', () => {
      const { stateful } = buildApp({ context: SKIP_BUNDLING, stateful: { hotLeadMaxReceiveCount: 3 } });
      const template = Template.fromStack(stateful);
      expect(
        resourceOf(template, logicalIdOf(stateful.hotLeadQueue.queue)).Properties.RedrivePolicy,
      ).toMatchObject({ maxReceiveCount: 3 });
    });

    it('refuses a number of returns SQS would reject', () => {
      for (const hotLeadMaxReceiveCount of [0, 1.5, 1001]) {
        expect(() => buildApp({ context: SKIP_BUNDLING, stateful: { hotLeadMaxReceiveCount } })).toThrow(
          /maxReceiveCount must be an integer from 1 to 1000/,
        );
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

    it('tells the sales managers within a minute when a hot lead lands on the dead-letter queue, and when it clears', () => {
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
        AlarmActions: [topicRef()],
        OKActions: [topicRef()],
      });
    });

    it('tells the sales managers when the oldest hot lead on the queue is older than 15 minutes', () => {
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
      const { stateful } = buildApp({ stage: 'prod', context: SKIP_BUNDLING });
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

    it('is named <stack>-sales-managers', () => {
      expect(resourceOf(dev, topicId()).Properties).toMatchObject({
        TopicName: 'LeadflowStateful-sales-managers',
        DisplayName: 'Leadflow sales managers',
      });
    });

    it("denies publishing without TLS and lets only this account's CloudWatch alarms publish besides IAM", () => {
      dev.resourceCountIs('AWS::SNS::TopicPolicy', 2);
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

    it('is the action of the hot-lead alarms only: the rescore, ad-leads and email-jobs alarms wait for the operators topic', () => {
      const notifying = Object.keys(
        dev.findResources('AWS::CloudWatch::Alarm', {
          Properties: { AlarmActions: [{ Ref: topicId() }] },
        }),
      ).sort();
      expect(notifying).toEqual(
        [
          logicalIdOf(devApp.stateful.hotLeadQueue.deadLetterAlarm),
          logicalIdOf(devApp.stateful.hotLeadQueue.oldestMessageAlarm),
        ].sort(),
      );
    });

    it('outputs the topic ARN, for operators to subscribe the sales managers', () => {
      dev.hasOutput('SalesManagersTopicArn', { Value: { Ref: topicId() } });
    });
  });

  it('refuses a stage name that is not a short lower-case word', () => {
    expect(() => buildApp({ stage: 'Prod!', context: SKIP_BUNDLING })).toThrow(/stage must be/);
  });
});
