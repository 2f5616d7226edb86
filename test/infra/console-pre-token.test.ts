import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { actionsOf, logicalIdOf, SKIP_BUNDLING, SYNTH_TIMEOUT, statementsOfRole } from './support';

/**
 * The pre token generation trigger that puts a person's name in the console's access tokens. The
 * stateful stack is bundled for real (only the trigger's function is in it), which proves the
 * handler builds with the shared esbuild options.
 */
describe("the console's pre token generation trigger (Cognito V2_0)", SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  let outdir: string;

  beforeAll(() => {
    built = buildApp({
      stage: 'dev',
      context: {
        'aws:cdk:bundling-stacks': ['LeadflowStateful'],
        'leadflow:publicUrl': 'https://go.acme-widgets.com',
      },
    });
    outdir = built.app.synth().directory;
    template = Template.fromJSON(JSON.parse(readFileSync(join(outdir, built.stateful.templateFile), 'utf8')));
  });

  const preToken = () => {
    const fn = built.stateful.consoleAuth?.preToken;
    if (!fn) throw new Error('no pre-token function');
    return fn;
  };

  it('is the user pool trigger, version V2_0 (access token claims), on the Essentials plan it needs', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'ESSENTIALS',
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaArn: { 'Fn::GetAtt': [logicalIdOf(preToken().function), 'Arn'] },
          LambdaVersion: 'V2_0',
        },
      },
    });
    // Cognito, and only this pool, may invoke it.
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [logicalIdOf(preToken().function), 'Arn'] },
      Principal: 'cognito-idp.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalIdOf(built.stateful.consoleAuth?.userPool as never), 'Arn'] },
    });
  });

  it('answers within the 5 seconds Cognito waits, on Node.js 22 arm64, with nothing but its logs and traces', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Timeout: 5,
    });
    const actions = statementsOfRole(template, logicalIdOf(preToken().role)).flatMap(actionsOf);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((action) => !/^(logs|xray):/.test(action))).toEqual([]);
  });

  it('bundles functions/handlers/pre-token.ts', () => {
    const code = template.toJSON().Resources[logicalIdOf(preToken().function)].Properties.Code;
    const asset = join(outdir, `asset.${String(code.S3Key).replace(/\.zip$/, '')}`);
    expect(existsSync(asset)).toBe(true);
    const bundle = readdirSync(asset).find((file) => /^index\.m?js$/.test(file));
    expect(bundle).toBeDefined();
    expect(readFileSync(join(asset, bundle as string), 'utf8')).toContain('claimsAndScopeOverrideDetails');
  });

  it('has error and throttle alarms to the operators, like every function (a failing trigger stops every sign-in)', () => {
    const app = buildApp({
      stage: 'dev',
      context: { ...SKIP_BUNDLING, 'leadflow:publicUrl': 'https://go.acme-widgets.com' },
    });
    const service = Template.fromStack(app.service);
    const fn = app.stateful.consoleAuth?.preToken;
    if (!fn) throw new Error('no pre-token function');
    const alarms = Object.values(service.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: {
        AlarmDescription: unknown;
        MetricName?: string;
        Dimensions?: { Value: unknown }[];
        AlarmActions: unknown[];
      };
    }[];
    const ofTrigger = alarms.filter((a) =>
      JSON.stringify(a.Properties.AlarmDescription).includes('the preToken function'),
    );
    expect(ofTrigger.map((a) => a.Properties.MetricName).sort()).toEqual(['Errors', 'Throttles']);
    for (const alarm of ofTrigger) {
      expect(JSON.stringify(alarm.Properties.Dimensions)).toContain(logicalIdOf(fn.function));
      expect(alarm.Properties.AlarmActions).toHaveLength(1);
    }
  });

  it('does not exist without a console (no user pool)', () => {
    const plain = buildApp({ stage: 'dev', context: { 'aws:cdk:bundling-stacks': [] } });
    Template.fromStack(plain.stateful).resourceCountIs('AWS::Lambda::Function', 0);
  });
});
