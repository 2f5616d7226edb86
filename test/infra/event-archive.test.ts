import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { REPORT_SHARDS } from '../../functions/adapters/dynamodb/lead-item';
import { ARCHIVE_COLUMNS, archiveObjects } from '../../functions/adapters/files/event-archive';
import { EVENTS_BUCKET_ENV } from '../../functions/shared/env-names';
import { bindEventArchive, EventArchive, eventsBucketName } from '../../infra/constructs/event-archive';
import { RESOURCE_PREFIX_CONTEXT } from '../../infra/constructs/names';
import { actionsOf, type PolicyStatement, synthNagFindings } from './support';

function fixture() {
  const app = new App({ context: { [RESOURCE_PREFIX_CONTEXT]: 'leadflow-test' } });
  const stack = new Stack(app, 'Archive');
  const archive = new EventArchive(stack, 'EventArchive');
  // Inline code: these tests are about the archive and its binding, not bundling.
  const fn = new lambda.Function(stack, 'Tick', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => {};'),
  });
  // As the service stack binds tick: the bucket found by its stage name.
  bindEventArchive(fn, s3.Bucket.fromBucketName(stack, 'Events', eventsBucketName(stack)));
  return { app, stack, archive, template: Template.fromStack(stack) };
}

describe('the raw event archive (S3 + Glue)', () => {
  it('is a private, TLS-only, encrypted bucket whose events move to IA after 90 days and expire after 730', () => {
    const { template } = fixture();
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      LifecycleConfiguration: {
        Rules: [
          Match.objectLike({
            Prefix: 'events/',
            ExpirationInDays: 730,
            Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 90 }],
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('has a Glue table over events/ with the archive lines’ columns, the JSON SerDe and projected dt and shard', () => {
    const { template, archive } = fixture();
    expect(archive.databaseName).toBe('leadflow_test');
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'leadflow_test' } });
    const tables = template.findResources('AWS::Glue::Table');
    const [table] = Object.values(tables) as {
      Properties: { DatabaseName: string; TableInput: Record<string, never> };
    }[];
    const input = table?.Properties.TableInput as Record<string, Record<string, unknown>>;
    expect(table?.Properties.DatabaseName).toBe('leadflow_test');
    expect(input.StorageDescriptor?.SerdeInfo).toMatchObject({
      SerializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
    });
    const columns = input.StorageDescriptor?.Columns as { Name: string; Type: string }[];
    expect(columns.map((c) => c.Name)).toEqual([...ARCHIVE_COLUMNS]);
    // Leads and entries only as HMACs under each lead's erasable archive key, never by their ids.
    expect(columns.slice(0, 2)).toMatchObject([
      { Name: 'event_id', Type: 'string', Comment: expect.stringContaining('archive key') },
      { Name: 'lead_ref', Type: 'string', Comment: expect.stringContaining('archive key') },
    ]);
    expect(columns.map((c) => c.Name)).not.toContain('lead_id');
    expect(columns.map((c) => c.Name)).not.toContain('activity_id');
    expect(columns.filter((c) => c.Type === 'int').map((c) => c.Name)).toEqual(['score', 'handoff']);
    expect(input.PartitionKeys).toEqual([
      { Name: 'dt', Type: 'string', Comment: expect.any(String) },
      { Name: 'shard', Type: 'int', Comment: expect.any(String) },
    ]);
    expect(input.Parameters).toMatchObject({
      'projection.enabled': 'true',
      'projection.dt.type': 'date',
      'projection.dt.format': 'yyyy-MM-dd',
      'projection.dt.range': '2026-01-01,NOW',
      'projection.shard.type': 'integer',
      'projection.shard.range': `0,${REPORT_SHARDS - 1}`,
    });
    // The projected location is exactly where the adapters write (dt=<day>/shard=<s>/).
    const template_ = JSON.stringify(input.Parameters?.['storage.location.template']);
    expect(template_).toContain(['/events/dt=', '{dt}/shard=', '{shard}/'].join('$'));
    const [object] = archiveObjects({
      shard: 1,
      seq: 3,
      entries: [{ activityId: 'a', leadId: 'l', type: 't', at: '2026-12-03T06:00:00.000Z', source: 's' }],
      keys: new Map(),
    });
    expect(object?.key.startsWith('events/dt=2026-12-03/shard=1/')).toBe(true);
    expect(template.findResources('AWS::Glue::Crawler')).toEqual({});
  });

  it('lets the bound function put objects under events/ only, and names the bucket in its env', () => {
    const { template } = fixture();
    const [fn] = Object.values(template.findResources('AWS::Lambda::Function')) as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    }[];
    expect(JSON.stringify(fn?.Properties.Environment.Variables[EVENTS_BUCKET_ENV])).toContain(
      'leadflow-test-events-',
    );
    // The bucket's name is the stage's, so the service stack finds it without a cross-stack token.
    expect(JSON.stringify(template.findResources('AWS::S3::Bucket'))).toContain('leadflow-test-events-');
    const policies = template.findResources('AWS::IAM::Policy');
    const statements = Object.values(policies).flatMap(
      (p) =>
        (p as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties.PolicyDocument
          .Statement,
    );
    expect(statements).toHaveLength(1);
    expect(actionsOf(statements[0] as PolicyStatement)).toEqual(['s3:PutObject']);
    expect(JSON.stringify(statements[0]?.Resource)).toContain('/events/*');
  });

  it('is cdk-nag AwsSolutions clean: access logs and the events/* grant acknowledged with reasons', () => {
    const { app } = fixture();
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    // The inline test function's own findings (its runtime, the basic execution role) are not the archive's.
    const findings = synthNagFindings(app).filter(
      (f) => !f.rule.startsWith('AwsSolutions-IAM4') && f.rule !== 'AwsSolutions-L1',
    );
    expect(findings).toEqual([]);
  });
});
