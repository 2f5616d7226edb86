import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyAttributes, TABLE_DEFINITION } from '../../functions/shared/table-definition';
import { buildApp } from '../../infra/build-app';
import { buildStatefulTemplates } from './stateful-fixture';
import { SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

describe('stateful stack: table', SYNTH_TIMEOUT, () => {
  let dev: Template;
  let prod: Template;

  beforeAll(() => {
    ({ dev, prod } = buildStatefulTemplates());
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

  it('has sparse indexes gsi1 (hand-offs, all attributes), gsi2 (nurture due steps) and gsi3 (leads), keys only, then the lead list and search indexes gsi4 to gsi9, with their list row only, the reports not-yet-counted entries gsi10 and the integrations not-yet-published entries gsi11, keys only, and the segment facts gsi12 (the keys of gsi3 with what a segment reads: one string, the stage and the hand-off), and the suppression list gsi13, keys only', () => {
    dev.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: Match.arrayWith([
        { AttributeName: 'gsi1pk', AttributeType: 'S' },
        { AttributeName: 'gsi1sk', AttributeType: 'S' },
        { AttributeName: 'gsi2pk', AttributeType: 'S' },
        { AttributeName: 'gsi2sk', AttributeType: 'S' },
        { AttributeName: 'gsi3pk', AttributeType: 'S' },
        { AttributeName: 'gsi3sk', AttributeType: 'S' },
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
        {
          IndexName: 'gsi3',
          KeySchema: [
            { AttributeName: 'gsi3pk', KeyType: 'HASH' },
            { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'gsi4',
          KeySchema: [
            { AttributeName: 'gsi4pk', KeyType: 'HASH' },
            { AttributeName: 'gsi4sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['lrow'] },
        },
        {
          IndexName: 'gsi5',
          KeySchema: [
            { AttributeName: 'gsi4pk', KeyType: 'HASH' },
            { AttributeName: 'gsi5sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['lrow'] },
        },
        {
          IndexName: 'gsi6',
          KeySchema: [
            { AttributeName: 'gsi4pk', KeyType: 'HASH' },
            { AttributeName: 'gsi6sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['lrow'] },
        },
        {
          IndexName: 'gsi7',
          KeySchema: [
            { AttributeName: 'gsi7pk', KeyType: 'HASH' },
            { AttributeName: 'gsi7sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['lrow'] },
        },
        {
          IndexName: 'gsi8',
          KeySchema: [
            { AttributeName: 'gsi8pk', KeyType: 'HASH' },
            { AttributeName: 'gsi8sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['lrow'] },
        },
        {
          IndexName: 'gsi9',
          KeySchema: [
            { AttributeName: 'gsi9pk', KeyType: 'HASH' },
            { AttributeName: 'gsi9sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['lrow'] },
        },
        {
          IndexName: 'gsi10',
          KeySchema: [
            { AttributeName: 'gsi10pk', KeyType: 'HASH' },
            { AttributeName: 'gsi10sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'gsi11',
          KeySchema: [
            { AttributeName: 'gsi11pk', KeyType: 'HASH' },
            { AttributeName: 'gsi11sk', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
        {
          IndexName: 'gsi12',
          KeySchema: [
            { AttributeName: 'gsi3pk', KeyType: 'HASH' },
            { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
          ],
          Projection: {
            ProjectionType: 'INCLUDE',
            NonKeyAttributes: ['sfacts', 'stage', 'handoff'],
          },
        },
        {
          IndexName: 'gsi13',
          KeySchema: [
            { AttributeName: 'gsi13pk', KeyType: 'HASH' },
            { AttributeName: 'gsi13sk', KeyType: 'RANGE' },
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

  it('refuses a stage name that is not a short lower-case word', () => {
    expect(() => buildApp({ stage: 'Prod!', context: SKIP_BUNDLING })).toThrow(/stage must be/);
  });
});
