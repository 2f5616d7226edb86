import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { LEADS_INDEX } from '../../functions/shared/table-definition';
import {
  bindEmailSending,
  bindQueue,
  bindQueueConsumer,
  bindSecret,
  bindTable,
  bindTopicConsumer,
  queueUrlEnv,
  SES_CONFIGURATION_SET_ENV,
  SES_TRANSACTIONAL_CONFIGURATION_SET_ENV,
  SIGNING_SECRETS_ARN_ENV,
  WEBHOOK_SECRETS_ARN_ENV,
} from '../../infra/constructs/bind';
import { actionsOf, type PolicyStatement } from './support';

function fixture(encryption?: dynamodb.TableEncryption) {
  const stack = new Stack(new App(), 'Bind');
  const table = new dynamodb.Table(stack, 'Table', {
    partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    ...(encryption && { encryption, encryptionKey: new kms.Key(stack, 'Key') }),
  });
  // Inline code: these tests are about the binding, not bundling.
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {};'),
  });
  return { stack, table, fn };
}

const tableArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Table'), 'Arn'] };

describe('bindTable', () => {
  it('sets LEADFLOW_TABLE_NAME and grants exactly the listed actions on the table only', () => {
    const { stack, table, fn } = fixture();
    bindTable(fn, table, { actions: ['GetItem', 'Query', 'GetItem'] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LEADFLOW_TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{ Action: ['dynamodb:GetItem', 'dynamodb:Query'], Effect: 'Allow', Resource: tableArn }],
      },
    });
  });

  it('grants each index its own actions on that index only, never index/*, and item actions on the table only', () => {
    const { stack, table, fn } = fixture();
    bindTable(fn, table, { actions: ['GetItem', 'Query', 'UpdateItem'], indexes: { gsi1: ['Query'] } });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
            Effect: 'Allow',
            Resource: tableArn,
          },
          {
            Action: 'dynamodb:Query',
            Effect: 'Allow',
            Resource: { 'Fn::Join': ['', [tableArn, '/index/gsi1']] },
          },
        ],
      },
    });
  });

  it('gives a Query of an index no Query of the table, and indexes read alike one statement', () => {
    const { stack, table, fn } = fixture();
    bindTable(fn, table, { actions: ['UpdateItem'], indexes: { gsi1: ['Query'], gsi2: ['Query'] } });

    expect(statementsIn(stack)).toEqual([
      {
        Action: 'dynamodb:UpdateItem',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      },
      {
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        Resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/gsi1']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/gsi2']] },
        ],
      },
    ]);
  });

  it('binds a function that only reads an index: the table name, and Query on that index alone', () => {
    const { stack, table, fn } = fixture();
    bindTable(fn, table, { indexes: { gsi2: ['Query', 'Query'] } });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LEADFLOW_TABLE_NAME: { Ref: Match.stringLikeRegexp('^Table') } } },
    });
    expect(statementsIn(stack)).toEqual([
      {
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/gsi2']] },
      },
    ]);
  });

  it('lets a function that pages through leads Query the leads index and BatchGet lead items, and never Scan', () => {
    const { stack, table, fn } = fixture();
    bindTable(fn, table, { actions: ['GetItem', 'Query'], indexes: { gsi1: ['Query'] }, pagesLeads: true });

    expect(LEADS_INDEX).toBe('gsi3');
    expect(statementsIn(stack)).toEqual([
      {
        Action: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:BatchGetItem'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      },
      {
        Action: 'dynamodb:Query',
        Effect: 'Allow',
        Resource: [
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/gsi1']] },
          { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.any(String), 'Arn'] }, '/index/gsi3']] },
        ],
      },
    ]);
  });

  it('binds lead pages alone: BatchGetItem on the table, Query on the leads index', () => {
    const { stack, table, fn } = fixture();
    bindTable(fn, table, { pagesLeads: true });

    const actions = statementsIn(stack).flatMap(actionsOf);
    expect(actions.sort()).toEqual(['dynamodb:BatchGetItem', 'dynamodb:Query']);
    expect(actions).not.toContain('dynamodb:Scan');
  });

  it('refuses an index without actions, and a name no index can have (such as a wildcard)', () => {
    const { table, fn } = fixture();
    expect(() => bindTable(fn, table, { actions: ['GetItem'], indexes: { gsi1: [] } })).toThrow(
      /index gsi1 is read with Query or Scan/,
    );
    expect(() => bindTable(fn, table, { indexes: { '*': ['Query'] } })).toThrow(/not a DynamoDB index name/);
  });

  it('grants decrypt only to a reader of a table under a customer-managed key', () => {
    const { stack, table, fn } = fixture(dynamodb.TableEncryption.CUSTOMER_MANAGED);
    bindTable(fn, table, { actions: ['GetItem'] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'kms:Decrypt' })]) },
    });
  });

  it('refuses a binding without actions', () => {
    const { table, fn } = fixture();
    expect(() => bindTable(fn, table, { actions: [] })).toThrow(/list the DynamoDB actions/);
    expect(() => bindTable(fn, table, { actions: [], indexes: {} })).toThrow(/list the DynamoDB actions/);
  });
});

function queueFixture(encryption = sqs.QueueEncryption.SQS_MANAGED) {
  const { stack, fn } = fixture();
  const queue = new sqs.Queue(stack, 'Queue', { encryption });
  const other = new sqs.Queue(stack, 'Other', { encryption: sqs.QueueEncryption.SQS_MANAGED });
  return { stack, fn, queue, other };
}

const queueArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Queue'), 'Arn'] };

/** Every statement of every IAM policy in the stack (the fixture has one role). */
function statementsIn(stack: Stack): PolicyStatement[] {
  return Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties
        .PolicyDocument.Statement,
  );
}

describe('bindQueue', () => {
  it('sets LEADFLOW_QUEUE_<NAME> to the queue URL and grants only sqs:SendMessage on that queue', () => {
    const { stack, fn, queue } = queueFixture();
    bindQueue(fn, queue, { name: 'rescore-jobs', actions: ['SendMessage'] });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LEADFLOW_QUEUE_RESCORE_JOBS: { Ref: Match.stringLikeRegexp('^Queue') } } },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'sqs:SendMessage', Effect: 'Allow', Resource: queueArn }] },
    });
  });

  it('names the URL variable as the local stack does', () => {
    expect(queueUrlEnv('rescore-jobs')).toBe('LEADFLOW_QUEUE_RESCORE_JOBS');
    expect(queueUrlEnv('email-jobs')).toBe('LEADFLOW_QUEUE_EMAIL_JOBS');
    expect(queueUrlEnv('hot-leads')).toBe('LEADFLOW_QUEUE_HOT_LEADS');
    expect(() => queueUrlEnv('Rescore_Jobs')).toThrow(/kebab-case/);
  });

  it('grants a sender GenerateDataKey and Decrypt on a customer-managed queue key, and nothing on others', () => {
    const { stack, fn, queue } = queueFixture(sqs.QueueEncryption.KMS);
    bindQueue(fn, queue, { name: 'rescore-jobs', actions: ['SendMessage'] });

    const kmsActions = statementsIn(stack)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('kms:'));
    expect(kmsActions.sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('grants no KMS action for an SQS-managed key', () => {
    const { stack, fn, queue } = queueFixture();
    bindQueue(fn, queue, { name: 'rescore-jobs', actions: ['SendMessage'] });

    expect(
      statementsIn(stack)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('kms:')),
    ).toEqual([]);
  });

  it('binds a consumer that claims messages itself: receive, delete, change visibility, no send', () => {
    const { stack, fn, queue } = queueFixture();
    bindQueue(fn, queue, {
      name: 'hot-leads',
      actions: ['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility'],
    });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LEADFLOW_QUEUE_HOT_LEADS: { Ref: Match.stringLikeRegexp('^Queue') } } },
    });
    expect(statementsIn(stack)).toEqual([
      {
        Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility'],
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'Arn'] },
      },
    ]);
  });

  it('grants a receiver of a customer-managed queue key Decrypt only', () => {
    const { stack, fn, queue } = queueFixture(sqs.QueueEncryption.KMS);
    bindQueue(fn, queue, { name: 'hot-leads', actions: ['ReceiveMessage', 'DeleteMessage'] });

    const kmsActions = statementsIn(stack)
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('kms:'));
    expect(kmsActions).toEqual(['kms:Decrypt']);
  });

  it('refuses a binding without actions', () => {
    const { fn, queue } = queueFixture();
    expect(() => bindQueue(fn, queue, { name: 'rescore-jobs', actions: [] })).toThrow(/list the SQS actions/);
  });

  it('leaves receiving to the event source, which grants it on the consumed queue only', () => {
    const { stack, fn, queue, other } = queueFixture();
    bindQueue(fn, other, { name: 'other', actions: ['SendMessage'] });
    fn.addEventSource(new SqsEventSource(queue, { batchSize: 1, reportBatchItemFailures: true }));

    const receivers = statementsIn(stack).filter((statement) =>
      actionsOf(statement).includes('sqs:ReceiveMessage'),
    );
    expect(receivers).toEqual([
      {
        Action: expect.arrayContaining([
          'sqs:ReceiveMessage',
          'sqs:DeleteMessage',
          'sqs:ChangeMessageVisibility',
        ]),
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'Arn'] },
      },
    ]);
    const senders = statementsIn(stack).filter((statement) =>
      actionsOf(statement).includes('sqs:SendMessage'),
    );
    expect(senders.map((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Other/), 'Arn'] },
    ]);
  });
});

describe('bindQueueConsumer', () => {
  it('sets the queue URL variable and feeds the function from that queue with partial batch responses', () => {
    const { stack, fn, queue } = queueFixture();
    bindQueueConsumer(fn, queue, { name: 'ad-leads', batchSize: 5, maxConcurrency: 5 });

    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { LEADFLOW_QUEUE_AD_LEADS: { Ref: Match.stringLikeRegexp('^Queue') } } },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: queueArn,
      BatchSize: 5,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 5 },
    });
  });

  it('grants consuming that queue only, and never sending to it', () => {
    const { stack, fn, queue } = queueFixture();
    bindQueueConsumer(fn, queue, { name: 'ad-leads', batchSize: 5, maxConcurrency: 5 });

    const sqsStatements = statementsIn(stack).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('sqs:')),
    );
    expect(sqsStatements.map((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [expect.stringMatching(/^Queue/), 'Arn'] },
    ]);
    expect(sqsStatements.flatMap(actionsOf)).not.toContain('sqs:SendMessage');
  });
});

function topicFixture(encryption = sqs.QueueEncryption.SQS_MANAGED) {
  const { stack, fn } = fixture();
  const topic = new sns.Topic(stack, 'Topic');
  const deadLetterQueue = new sqs.Queue(stack, 'Dlq', { encryption });
  return { stack, fn, topic, deadLetterQueue };
}

const topicRef = { Ref: Match.stringLikeRegexp('^Topic') };
const dlqArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^Dlq'), 'Arn'] };

describe('bindTopicConsumer', () => {
  it('subscribes the function to the topic with the dead-letter queue as the redrive target', () => {
    const { stack, fn, topic, deadLetterQueue } = topicFixture();
    bindTopicConsumer(fn, topic, { deadLetterQueue });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: topicRef,
      Endpoint: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Fn'), 'Arn'] },
      RedrivePolicy: { deadLetterTargetArn: dlqArn },
    });
    // SNS may put undeliverable messages there, for this topic only.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'sqs:SendMessage',
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Resource: dlqArn,
            Condition: { ArnEquals: { 'aws:SourceArn': topicRef } },
          },
        ],
      },
    });
  });

  it('lets that topic alone invoke the function', () => {
    const { stack, fn, topic, deadLetterQueue } = topicFixture();
    bindTopicConsumer(fn, topic, { deadLetterQueue });

    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Permission', 1);
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'sns.amazonaws.com',
      SourceArn: topicRef,
    });
  });

  it('sends an event the function still fails on after two retries to the same queue', () => {
    const { stack, fn, topic, deadLetterQueue } = topicFixture();
    bindTopicConsumer(fn, topic, { deadLetterQueue });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: dlqArn } },
    });
  });

  it('grants only sqs:SendMessage on the dead-letter queue (for the on-failure destination), nothing on the topic', () => {
    const { stack, fn, topic, deadLetterQueue } = topicFixture();
    bindTopicConsumer(fn, topic, { deadLetterQueue });

    expect(statementsIn(stack)).toEqual([
      {
        Action: 'sqs:SendMessage',
        Effect: 'Allow',
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^Dlq/), 'Arn'] },
      },
    ]);
  });

  it('grants GenerateDataKey and Decrypt on a customer-managed key of the dead-letter queue', () => {
    const { stack, fn, topic, deadLetterQueue } = topicFixture(sqs.QueueEncryption.KMS);
    bindTopicConsumer(fn, topic, { deadLetterQueue });

    expect(
      statementsIn(stack)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('kms:'))
        .sort(),
    ).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });
});

function secretFixture(encryptionKey = false) {
  const { stack, fn } = fixture();
  const secret = new secretsmanager.Secret(stack, 'Secret', {
    ...(encryptionKey && { encryptionKey: new kms.Key(stack, 'SecretKey') }),
  });
  new secretsmanager.Secret(stack, 'OtherSecret');
  return { stack, fn, secret };
}

describe('bindSecret', () => {
  it('sets the variable to the secret ARN and grants only GetSecretValue on that secret', () => {
    const { stack, fn, secret } = secretFixture();
    bindSecret(fn, secret, { variable: WEBHOOK_SECRETS_ARN_ENV });

    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { LEADFLOW_WEBHOOK_SECRETS_ARN: { Ref: Match.stringLikeRegexp('^Secret') } },
      },
    });
    // No DescribeSecret (secret.grantRead adds it), no KMS for the AWS-managed key, no other secret.
    expect(statementsIn(stack)).toEqual([
      {
        Action: 'secretsmanager:GetSecretValue',
        Effect: 'Allow',
        Resource: { Ref: expect.stringMatching(/^Secret/) },
      },
    ]);
  });

  it('matches a secret known by its partial ARN with the random suffix Secrets Manager adds, not a wildcard', () => {
    const { stack, fn } = fixture();
    const secret = secretsmanager.Secret.fromSecretPartialArn(
      stack,
      'Imported',
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:leadflow/webhooks',
    );
    bindSecret(fn, secret, { variable: WEBHOOK_SECRETS_ARN_ENV });

    expect(statementsIn(stack).map((statement) => statement.Resource)).toEqual([
      'arn:aws:secretsmanager:eu-west-1:123456789012:secret:leadflow/webhooks-??????',
    ]);
  });

  it('grants Decrypt on a customer-managed secret key', () => {
    const { stack, fn, secret } = secretFixture(true);
    bindSecret(fn, secret, { variable: WEBHOOK_SECRETS_ARN_ENV });

    expect(
      statementsIn(stack)
        .flatMap(actionsOf)
        .filter((action) => action.startsWith('kms:')),
    ).toEqual(['kms:Decrypt']);
  });

  it('names the signing secrets variable as the unsubscribe function reads it', () => {
    expect(SIGNING_SECRETS_ARN_ENV).toBe('LEADFLOW_SIGNING_SECRETS_ARN');
    const { stack, fn, secret } = secretFixture();
    bindSecret(fn, secret, { variable: SIGNING_SECRETS_ARN_ENV });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { LEADFLOW_SIGNING_SECRETS_ARN: { Ref: Match.stringLikeRegexp('^Secret') } },
      },
    });
  });

  it('refuses a variable that is not named for the ARN it holds', () => {
    const { fn, secret } = secretFixture();
    expect(() => bindSecret(fn, secret, { variable: 'META_APP_SECRET' })).toThrow(/holds an ARN/);
  });
});

describe('bindEmailSending', () => {
  const identityArn = 'arn:aws:ses:eu-west-1:123456789012:identity/leadflow.example';
  const emailFixture = () => {
    const { stack, fn } = fixture();
    const configurationSet = new ses.ConfigurationSet(stack, 'ConfigurationSet', {
      configurationSetName: 'leadflow',
    });
    return { stack, fn, configurationSet };
  };

  it('sets the configuration set variable and grants ses:SendEmail on the identity and that configuration set only', () => {
    const { stack, fn, configurationSet } = emailFixture();
    bindEmailSending(fn, configurationSet, { identityArn });

    expect(SES_CONFIGURATION_SET_ENV).toBe('LEADFLOW_SES_CONFIGURATION_SET');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: { LEADFLOW_SES_CONFIGURATION_SET: { Ref: Match.stringLikeRegexp('^ConfigurationSet') } },
      },
    });
    // No SendRawEmail, no identity/*: SES checks SendEmail against exactly these two resources.
    expect(statementsIn(stack)).toEqual([
      {
        Action: 'ses:SendEmail',
        Effect: 'Allow',
        Resource: [
          identityArn,
          {
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
                { Ref: expect.stringMatching(/^ConfigurationSet/) },
              ],
            ],
          },
        ],
      },
    ]);
  });

  it('with a transactional set, sets its variable too and adds it, and nothing else, to the grant', () => {
    const { stack, fn, configurationSet } = emailFixture();
    const transactional = new ses.ConfigurationSet(stack, 'Transactional', {
      configurationSetName: 'leadflow-transactional',
    });
    bindEmailSending(fn, configurationSet, { identityArn, transactionalConfigurationSet: transactional });

    expect(SES_TRANSACTIONAL_CONFIGURATION_SET_ENV).toBe('LEADFLOW_SES_TRANSACTIONAL_CONFIGURATION_SET');
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          LEADFLOW_SES_CONFIGURATION_SET: { Ref: Match.stringLikeRegexp('^ConfigurationSet') },
          LEADFLOW_SES_TRANSACTIONAL_CONFIGURATION_SET: { Ref: Match.stringLikeRegexp('^Transactional') },
        },
      },
    });
    const [statement] = statementsIn(stack);
    expect(statement?.Action).toBe('ses:SendEmail');
    expect(JSON.stringify(statement?.Resource)).toMatch(
      /^\[".*identity\/leadflow.example",.*"Ref":"ConfigurationSet[^"]*".*"Ref":"Transactional[^"]*"\}\]\]\}\]$/,
    );
    expect(statement?.Resource).toHaveLength(3);
  });

  it('refuses an ARN that is not one SES identity (a wildcard, another service)', () => {
    for (const arn of [
      'arn:aws:ses:eu-west-1:123456789012:identity/*',
      'arn:aws:ses:eu-west-1:123456789012:configuration-set/leadflow',
      'arn:aws:sns:eu-west-1:123456789012:identity/leadflow.example',
      'leadflow.example',
    ]) {
      const { fn, configurationSet } = emailFixture();
      expect(() => bindEmailSending(fn, configurationSet, { identityArn: arn }), arn).toThrow(
        /must name one SES identity/,
      );
    }
  });
});
