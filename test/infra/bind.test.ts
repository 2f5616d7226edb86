import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import { bindTable } from '../../infra/constructs/bind';

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

  it('grants on the named indexes only, never index/*', () => {
    const { stack, table, fn } = fixture();
    bindTable(fn, table, { actions: ['Query'], indexes: ['gsi1'] });

    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [
          {
            Action: 'dynamodb:Query',
            Effect: 'Allow',
            Resource: [tableArn, { 'Fn::Join': ['', [tableArn, '/index/gsi1']] }],
          },
        ],
      },
    });
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
  });
});
