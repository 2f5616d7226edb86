import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import { logicalIdOf, resourceOf, SKIP_BUNDLING, SYNTH_TIMEOUT } from './support';

const build = (context: Record<string, unknown>) =>
  buildApp({ stage: 'dev', context: { ...SKIP_BUNDLING, ...context } });
const AUTHENTICATED = [
  'adminLeads',
  'activities',
  'adminScoring',
  'adminNurture',
  'adminForms',
  'sales',
] as const;
const UNAUTHENTICATED = [
  'formSubmission',
  'public',
  'webhooks',
  'unsubscribe',
  'confirm',
  'sendEmail',
] as const;

describe('the console sign-in (Cognito) in the app', SYNTH_TIMEOUT, () => {
  it('is absent without a public URL: API tokens only', () => {
    const { stateful, service } = build({});
    expect(stateful.consoleAuth).toBeUndefined();
    Template.fromStack(stateful).resourceCountIs('AWS::Cognito::UserPool', 0);
    const variables = (
      resourceOf(Template.fromStack(service), logicalIdOf(service.functions.sales.function)).Properties
        .Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(variables.LEADFLOW_USER_POOL_ID).toBeUndefined();
  });

  it('with leadflow:publicUrl: a user pool whose client calls back to <url>/console/callback, its ids in every role-checked function, outputs for operators', () => {
    const { stateful, service } = build({
      'leadflow:publicUrl': 'https://go.acme-widgets.com',
      'leadflow:consoleDomainPrefix': 'acme-leadflow',
    });
    const auth = stateful.consoleAuth;
    if (!auth) throw new Error('no console auth');
    const statefulTemplate = Template.fromStack(stateful);
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://go.acme-widgets.com/console/callback'],
      LogoutURLs: ['https://go.acme-widgets.com/console/'],
      AllowedOAuthFlows: ['code'],
    });
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'acme-leadflow' });
    // A dev pool goes with its stack.
    statefulTemplate.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
    for (const output of ['UserPoolId', 'UserPoolClientId', 'ConsoleSignInUrl', 'ConsoleUrl'])
      statefulTemplate.hasOutput(output, {});
    statefulTemplate.hasOutput('ConsoleUrl', { Value: 'https://go.acme-widgets.com/console/' });

    const template = Template.fromStack(service);
    const variables = (name: (typeof AUTHENTICATED)[number] | (typeof UNAUTHENTICATED)[number]) =>
      (
        resourceOf(template, logicalIdOf(service.functions[name].function)).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    for (const name of AUTHENTICATED) {
      expect(JSON.stringify(variables(name).LEADFLOW_USER_POOL_ID), name).toContain('Fn::ImportValue');
      expect(JSON.stringify(variables(name).LEADFLOW_USER_POOL_CLIENT_ID), name).toContain('Fn::ImportValue');
    }
    for (const name of UNAUTHENTICATED) expect(variables(name).LEADFLOW_USER_POOL_ID, name).toBeUndefined();
  });

  it('calls back to the custom domain when only leadflow:domainName is set, and refuses a bad prefix or MFA setting', () => {
    const { stateful } = build({
      'leadflow:domainName': 'api.acme-widgets.com',
      'leadflow:certificateArn':
        'arn:aws:acm:us-east-1:123456789012:certificate/0f3b7c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f',
    });
    Template.fromStack(stateful).hasResourceProperties('AWS::Cognito::UserPoolClient', {
      CallbackURLs: ['https://api.acme-widgets.com/console/callback'],
    });
    const url = { 'leadflow:publicUrl': 'https://go.acme-widgets.com' };
    expect(() => build({ ...url, 'leadflow:consoleDomainPrefix': 'Acme_Leadflow' })).toThrow(
      /context leadflow:consoleDomainPrefix must be 1 to 63 lower-case letters/,
    );
    expect(() => build({ ...url, 'leadflow:consoleMfa': 'always' })).toThrow(
      /context leadflow:consoleMfa must be optional or required, got "always"/,
    );
  });
});
