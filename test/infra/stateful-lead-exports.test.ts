import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { buildStatefulTemplates } from './stateful-fixture';
import { logicalIdOf, resourceOf, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

/** Large lead exports and CSV imports: their queues and the private bucket of the CSV files. */
describe('stateful stack: lead exports', SYNTH_TIMEOUT, () => {
  let devApp: LeadflowApp;
  let dev: Template;
  let prod: Template;
  beforeAll(() => {
    ({ devApp, dev, prod } = buildStatefulTemplates());
  }, SYNTH_TIMEOUT.timeout);
  const bucketId = () => logicalIdOf(devApp.stateful.leadExports.bucket);
  const queueId = () => logicalIdOf(devApp.stateful.leadExports.queue.queue);

  it('keeps the export bucket private: every public access blocked, owner-enforced, encrypted at rest', () => {
    expect(resourceOf(dev, bucketId()).Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('names the bucket by stage, account and region (the service stack finds it by that name)', () => {
    expect(resourceOf(dev, bucketId()).Properties.BucketName).toEqual({
      'Fn::Join': ['', ['leadflow-dev-exports-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }]],
    });
  });

  it('refuses every request to the bucket that is not over TLS', () => {
    dev.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('deletes every export file after 7 days, as the export job item expires', () => {
    expect(resourceOf(dev, bucketId()).Properties.LifecycleConfiguration).toEqual({
      Rules: [
        {
          Id: 'exports-expire',
          Status: 'Enabled',
          ExpirationInDays: 7,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        },
        { Id: 'imports-expire', Status: 'Enabled', Prefix: 'imports/', ExpirationInDays: 1 },
      ],
    });
  });

  it('deletes an uploaded import file (people’s data) a day after upload, if no import removed it first', () => {
    const { Rules: rules } = resourceOf(dev, bucketId()).Properties.LifecycleConfiguration as {
      Rules: { Id: string }[];
    };
    expect(rules.find((rule) => rule.Id === 'imports-expire')).toEqual({
      Id: 'imports-expire',
      Status: 'Enabled',
      Prefix: 'imports/',
      ExpirationInDays: 1,
    });
  });

  it('lets browsers PUT import files (presigned) from the console origin only, and without a console from none', () => {
    expect(resourceOf(dev, bucketId()).Properties.CorsConfiguration).toBeUndefined();
    const withConsole = buildApp({
      stage: 'dev',
      context: { ...SKIP_BUNDLING, 'leadflow:publicUrl': 'https://leads.example.com/' },
    });
    const bucket = resourceOf(
      Template.fromStack(withConsole.stateful),
      logicalIdOf(withConsole.stateful.leadExports.bucket),
    );
    expect(bucket.Properties.CorsConfiguration).toEqual({
      CorsRules: [
        {
          AllowedOrigins: ['https://leads.example.com'],
          AllowedMethods: ['PUT'],
          AllowedHeaders: ['content-type'],
          MaxAge: 600,
        },
      ],
    });
  });

  it('hides an import page for six times the worker’s 2 minutes, parks it on its DLQ after 5 receives and alarms', () => {
    const { importQueue } = devApp.stateful.leadExports;
    const queue = resourceOf(dev, logicalIdOf(importQueue.queue)).Properties;
    expect(queue.VisibilityTimeout).toBe(720);
    expect(queue.QueueName).toBe('leadflow-dev-lead-imports');
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf(importQueue.deadLetterQueue), 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(queue.SqsManagedSseEnabled).toBe(true);
    dev.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf(importQueue.deadLetterQueue), 'QueueName'] },
        },
      ],
    });
  });

  it('keeps the bucket of a protected stage when the stack lets go of it, and deletes a dev one', () => {
    expect((resourceOf(dev, bucketId()) as { DeletionPolicy?: string }).DeletionPolicy).toBe('Delete');
    const prodBuckets = Object.values(
      prod.findResources('AWS::S3::Bucket', { Properties: { LifecycleConfiguration: Match.anyValue() } }),
    );
    expect(prodBuckets.map((bucket) => (bucket as { DeletionPolicy?: string }).DeletionPolicy)).toContain(
      'Retain',
    );
  });

  it('hides an export message for six times the worker’s 5 minutes and parks it on its DLQ after 3 receives', () => {
    const queue = resourceOf(dev, queueId()).Properties;
    expect(queue.VisibilityTimeout).toBe(1800);
    expect(queue.QueueName).toBe('leadflow-dev-lead-exports');
    expect(queue.RedrivePolicy).toEqual({
      deadLetterTargetArn: {
        'Fn::GetAtt': [logicalIdOf(devApp.stateful.leadExports.queue.deadLetterQueue), 'Arn'],
      },
      maxReceiveCount: 3,
    });
    expect(queue.SqsManagedSseEnabled).toBe(true);
  });
});
