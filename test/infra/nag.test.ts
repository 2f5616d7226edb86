import { Validations } from 'aws-cdk-lib';
import { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/shared/routes';
import { buildApp } from '../../infra/build-app';
import { PRODUCTION_CONFIG_DIR, SKIP_BUNDLING, SYNTH_TIMEOUT, synthNagFindings } from './support';

// Bundling changes no template property cdk-nag checks, so these apps skip esbuild.
describe('cdk-nag AwsSolutions', SYNTH_TIMEOUT, () => {
  it.each(['dev', 'prod'])('finds nothing unacknowledged in the %s app', (stage) => {
    const { app } = buildApp({ stage, configDir: PRODUCTION_CONFIG_DIR, context: SKIP_BUNDLING });
    expect(synthNagFindings(app)).toEqual([]);
  });

  it('fails synth on a finding nobody acknowledged (a route without authorization)', () => {
    const { app, service } = buildApp({ stage: 'dev', context: SKIP_BUNDLING });
    service.api.addRoutes({
      path: '/v1/unacknowledged',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('Unacknowledged', service.functions.public.function),
    });

    expect(() => app.synth()).toThrow(/AwsSolutions-APIG4/);
    expect(synthNagFindings(app)).toEqual([
      {
        rule: 'AwsSolutions-APIG4',
        severity: 'error',
        path: 'LeadflowService/HttpApi/GET--v1--unacknowledged/Resource',
      },
    ]);
  });

  it('acknowledges only the reviewed rules, each with a specific reason', () => {
    const { app } = buildApp({ stage: 'dev', context: SKIP_BUNDLING });
    const acknowledged = acknowledgementsIn(app);

    const exportObjects =
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::leadflow-dev-exports-<AWS::AccountId>-<AWS::Region>/exports/*]';
    const importObjects =
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::leadflow-dev-exports-<AWS::AccountId>-<AWS::Region>/imports/*]';
    const eventObjects =
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::leadflow-dev-events-<AWS::AccountId>-<AWS::Region>/events/*]';
    expect(Object.keys(acknowledged).sort()).toEqual(
      [
        'AwsSolutions-APIG4',
        'AwsSolutions-IAM5[Resource::*]',
        exportObjects,
        importObjects,
        eventObjects,
        'AwsSolutions-L1',
        'AwsSolutions-S1',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
      ].sort(),
    );
    for (const [rule, entries] of Object.entries(acknowledged)) {
      for (const { path, reason } of entries) {
        expect(reason.length, `${rule} on ${path}`).toBeGreaterThan(80);
      }
    }
    // Every route of the shared table (each function's reason is in the service stack) and the fallback.
    expect(acknowledged['AwsSolutions-APIG4']?.map((entry) => entry.path).sort()).toEqual(
      [
        'LeadflowService/DefaultRoute',
        ...ROUTES.map(
          (route) => `LeadflowService/HttpApi/${route.method}${route.path.replaceAll('/', '--')}`,
        ),
      ].sort(),
    );
    expect(acknowledged['AwsSolutions-APIG4']?.map((entry) => entry.path)).toEqual(
      expect.arrayContaining([
        'LeadflowService/HttpApi/POST--v1--sales--claims',
        'LeadflowService/HttpApi/POST--v1--sales--claims--{claimToken}--extend',
        'LeadflowService/HttpApi/POST--v1--sales--claims--{claimToken}--release',
        'LeadflowService/HttpApi/POST--v1--sales--leads--{leadId}--outcome',
        'LeadflowService/HttpApi/GET--v1--sales--queue',
        'LeadflowService/HttpApi/GET--v1--webhooks--meta',
        'LeadflowService/HttpApi/POST--v1--webhooks--meta',
        'LeadflowService/HttpApi/POST--v1--webhooks--google',
        'LeadflowService/HttpApi/GET--v1--unsubscribe',
        'LeadflowService/HttpApi/POST--v1--unsubscribe',
        'LeadflowService/HttpApi/DELETE--v1--admin--leads--{leadId}',
      ]),
    );
    // Rotation is waived for the webhook secrets (their values come from the ad platforms), the
    // Slack and HubSpot tokens (issued and rotated there) and the signing key (links already sent
    // must keep working), and for no other secret.
    expect(acknowledged['AwsSolutions-SMG4']?.map((entry) => entry.path).sort()).toEqual([
      'LeadflowStateful/IdentityKey',
      'LeadflowStateful/IntegrationSecrets/Secret',
      'LeadflowStateful/SigningSecrets',
      'LeadflowStateful/WebhookSecrets',
    ]);
    expect(
      acknowledged['AwsSolutions-SMG4']?.find((entry) => entry.path.endsWith('SigningSecrets'))?.reason,
    ).toMatch(/unsubscribe links.*CAN-SPAM.*key roll/s);
    // The export bucket's objects: a prefix, per export, for the export functions and the erase alone; its access
    // logs are waived for it alone (7-day files, downloads through presigned links the API hands out).
    expect(acknowledged[exportObjects]?.map((entry) => entry.path).sort()).toEqual([
      'LeadflowService/AdminLeadExports/Function/BucketLEADFLOWEXPORTSBUCKET',
      'LeadflowService/AdminLeads/Function/BucketLEADFLOWEXPORTSBUCKET',
      'LeadflowService/LeadExport/Function/BucketLEADFLOWEXPORTSBUCKET',
    ]);
    // Uploaded import files: the same bucket's imports/ prefix, for the two import functions alone.
    expect(acknowledged[importObjects]?.map((entry) => entry.path).sort()).toEqual([
      'LeadflowService/AdminLeadImports/Function/BucketLEADFLOWEXPORTSBUCKET',
      'LeadflowService/LeadImport/Function/BucketLEADFLOWEXPORTSBUCKET',
    ]);
    // The raw event archive: tick alone puts objects under events/ (one per day, shard and batch).
    expect(acknowledged[eventObjects]?.map((entry) => entry.path)).toEqual([
      'LeadflowService/Tick/Function/BucketLEADFLOWEVENTSBUCKET',
    ]);
    expect(acknowledged['AwsSolutions-S1']?.map((entry) => entry.path).sort()).toEqual([
      'LeadflowStateful/EventArchive/Bucket',
      'LeadflowStateful/LeadExports/Bucket',
    ]);
    // "No DLQ" is waived for the ses-events dead-letter queue alone: it is the DLQ of an SNS subscription.
    expect(acknowledged['AwsSolutions-SQS3']?.map((entry) => entry.path)).toEqual([
      'LeadflowStateful/SesEvents/DeadLetterQueue',
    ]);
  });
});

/** Rule id -> where it was acknowledged and why, read from the construct metadata CDK records. */
function acknowledgementsIn(root: IConstruct): Record<string, { path: string; reason: string }[]> {
  const found: Record<string, { path: string; reason: string }[]> = {};
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        const rule = id.replace(/^annotation::/i, '');
        found[rule] ??= [];
        found[rule].push({ path: construct.node.path, reason });
      }
    }
  }
  return found;
}
