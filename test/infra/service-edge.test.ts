import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/build-app';
import {
  logicalIdOf,
  PRODUCTION_CONFIG_DIR,
  resourceOf,
  SKIP_BUNDLING,
  SYNTH_TIMEOUT,
  synthNagFindings,
} from './support';

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0f3b7c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f';
const HTTP_FUNCTIONS = [
  'formSubmission',
  'adminLeads',
  'activities',
  'adminScoring',
  'adminNurture',
  'public',
  'sales',
  'webhooks',
  'unsubscribe',
  'confirm',
] as const;

const build = (context: Record<string, unknown>) =>
  buildApp({ stage: 'dev', context: { ...SKIP_BUNDLING, ...context } });

describe('service stack: the public edge from context', SYNTH_TIMEOUT, () => {
  it('is off by default: no distribution, no client-address header, links at the API endpoint', () => {
    const { service } = build({});
    const template = Template.fromStack(service);
    template.resourceCountIs('AWS::CloudFront::Distribution', 0);
    const variables = resourceOf(template, logicalIdOf(service.functions.formSubmission.function)).Properties
      .Environment as { Variables: Record<string, unknown> };
    expect(variables.Variables.LEADFLOW_CLIENT_IP_HEADER).toBeUndefined();
  });

  it('with leadflow:domainName: CloudFront and WAF in front, execute-api disabled, links and ApiUrl on the domain, every HTTP function reads the viewer address', () => {
    const { service } = build({
      'leadflow:domainName': 'api.acme-widgets.com',
      'leadflow:certificateArn': CERTIFICATE,
    });
    const template = Template.fromStack(service);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: true });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      RouteSettings: {
        'POST /v1/forms/{formId}/submissions': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      },
    });
    const env = (fn: { function: unknown }) =>
      (
        resourceOf(template, logicalIdOf(fn.function as never)).Properties.Environment as {
          Variables: Record<string, unknown>;
        }
      ).Variables;
    for (const name of HTTP_FUNCTIONS) {
      expect(env(service.functions[name]).LEADFLOW_CLIENT_IP_HEADER, name).toBe('cloudfront-viewer-address');
    }
    expect(env(service.functions.sendEmail).LEADFLOW_CLIENT_IP_HEADER).toBeUndefined();
    expect(env(service.functions.sendEmail).LEADFLOW_PUBLIC_URL).toBe('https://api.acme-widgets.com');
    expect(env(service.functions.adminNurture).LEADFLOW_PUBLIC_URL).toBe('https://api.acme-widgets.com');
    template.hasOutput('ApiUrl', { Value: 'https://api.acme-widgets.com' });
  });

  it('with leadflow:publicEdge=true and no domain: links at the distribution, execute-api still on', () => {
    const { service } = build({ 'leadflow:publicEdge': 'true' });
    const template = Template.fromStack(service);
    template.resourceCountIs('AWS::CloudFront::Distribution', 1);
    const api = resourceOf(template, logicalIdOf(service.api));
    expect(api.Properties.DisableExecuteApiEndpoint).toBeUndefined();
    const variables = (
      resourceOf(template, logicalIdOf(service.functions.sendEmail.function)).Properties.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables;
    expect(JSON.stringify(variables.LEADFLOW_PUBLIC_URL)).toContain('DomainName');
    expect(() => build({ 'leadflow:publicEdge': 'yes' })).toThrow(
      /context leadflow:publicEdge must be true or false, got "yes"/,
    );
  });

  it('finds no unacknowledged cdk-nag finding in a prod app with the edge and its domain', () => {
    const { app } = buildApp({
      stage: 'prod',
      configDir: PRODUCTION_CONFIG_DIR,
      context: {
        ...SKIP_BUNDLING,
        'leadflow:domainName': 'api.acme-widgets.com',
        'leadflow:certificateArn': CERTIFICATE,
      },
    });
    expect(synthNagFindings(app)).toEqual([]);
  });
});
