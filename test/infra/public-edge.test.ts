import { App, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { HttpApi, type HttpMethod, HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/shared/routes';
import {
  PUBLIC_EDGE_CONTEXT as C,
  PublicEdge,
  type PublicEdgeProps,
  PublicEdgeWebAcl,
  publicEdgePropsFromContext,
} from '../../infra/constructs/public-edge';
import { synthNagFindings } from './support';

const CERT = 'arn:aws:acm:us-east-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const EU_CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const WEB_ACL =
  'arn:aws:wafv2:us-east-1:111111111111:global/webacl/leadflow/0a1b2c3d-4e5f-6789-abcd-ef0123456789';
const DOMAIN = { [C.domainName]: 'api.example.com', [C.certificateArn]: CERT };
const FORMS = 'POST /v1/forms/{formId}/submissions';

interface BuildOptions {
  /** null: an environment-agnostic stack. @default 'us-east-1' */
  region?: string | null;
  context?: Record<string, unknown>;
  props?: Partial<PublicEdgeProps>;
  /** @default disabled exactly when the context sets a domain, as the service stack must do */
  disableExecuteApiEndpoint?: boolean;
  routes?: readonly (typeof ROUTES)[number][];
  /** Runs cdk-nag at synth; the template is then read from synthNagFindings' synth, not here. */
  nag?: boolean;
}

/** A stack like the service stack: an HTTP API with the route table on one function, its stage, then the edge. */
function build(options: BuildOptions = {}) {
  const app = new App({ context: options.context ?? {} });
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const region = options.region === undefined ? 'us-east-1' : options.region;
  const stack = new Stack(app, 'EdgeTest', region ? { env: { account: '111111111111', region } } : {});
  const edgeProps = publicEdgePropsFromContext(stack);
  const api = new HttpApi(stack, 'HttpApi', {
    createDefaultStage: false,
    disableExecuteApiEndpoint: options.disableExecuteApiEndpoint ?? edgeProps.domainName !== undefined,
  });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  const integration = new HttpLambdaIntegration('Integration', fn);
  for (const route of options.routes ?? ROUTES) {
    api.addRoutes({ path: route.path, methods: [route.method as HttpMethod], integration });
  }
  const stage = new HttpStage(stack, 'DefaultStage', {
    httpApi: api,
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: 50, burstLimit: 100 },
  });
  const edge = new PublicEdge(stack, 'Edge', { api, stage, ...edgeProps, ...options.props });
  // The wiring the report proposes: the function behind the routes links to the public URL.
  fn.addEnvironment('LEADFLOW_PUBLIC_URL', edge.publicUrl);
  return { app, stack, edge, template: options.nag ? Template.fromJSON({}) : Template.fromStack(stack) };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown>; DependsOn?: string[] }>;

function only(template: Template, type: string): Record<string, unknown> {
  const found = Object.values(template.findResources(type)) as { Properties: Record<string, unknown> }[];
  expect(found, type).toHaveLength(1);
  return (found[0] as { Properties: Record<string, unknown> }).Properties;
}

function distributionConfig(template: Template) {
  return only(template, 'AWS::CloudFront::Distribution').DistributionConfig as {
    Origins: { DomainName: unknown; CustomOriginConfig: Record<string, unknown> }[];
    DefaultCacheBehavior: Record<string, unknown>;
    CacheBehaviors: Record<string, unknown>[];
    WebACLId: unknown;
    Logging: Record<string, unknown>;
    Aliases?: string[];
    ViewerCertificate?: Record<string, unknown>;
  };
}

function webAclRules(template: Template) {
  return only(template, 'AWS::WAFv2::WebACL').Rules as {
    Name: string;
    Priority: number;
    Action?: Record<string, unknown>;
    Statement: Record<string, Record<string, unknown>>;
  }[];
}

function policyConfig(template: Template, type: string, comment: RegExp): Record<string, unknown> {
  const key = type === 'AWS::CloudFront::CachePolicy' ? 'CachePolicyConfig' : 'OriginRequestPolicyConfig';
  const configs = Object.values(template.findResources(type)).map(
    (r) =>
      (r as { Properties: Record<string, Record<string, unknown>> }).Properties[key] as Record<
        string,
        unknown
      >,
  );
  const config = configs.find((c) => comment.test(String(c.Comment)));
  if (!config) throw new Error(`no ${type} with a comment like ${comment}`);
  return config;
}

function logicalIdOfType(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids, type).toHaveLength(1);
  return ids[0] as string;
}

describe('PublicEdge without a custom domain', () => {
  const { template, edge, stack } = build();

  it('puts CloudFront in front of the execute-api endpoint over TLS 1.2 only', () => {
    const config = distributionConfig(template);
    expect(config.Origins).toHaveLength(1);
    expect(JSON.stringify(config.Origins[0]?.DomainName)).toMatch(/HttpApi.*execute-api\.us-east-1\./);
    expect(config.Origins[0]?.CustomOriginConfig).toMatchObject({
      OriginProtocolPolicy: 'https-only',
      OriginSSLProtocols: ['TLSv1.2'],
    });
    expect(config.Aliases).toBeUndefined();
    template.resourceCountIs('AWS::ApiGatewayV2::DomainName', 0);
  });

  it('sends every API request through uncached, with all query strings and the headers the routes read', () => {
    const config = distributionConfig(template);
    expect(config.DefaultCacheBehavior).toMatchObject({
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      ViewerProtocolPolicy: 'https-only',
    });
    const noCache = policyConfig(template, 'AWS::CloudFront::CachePolicy', /not cached/);
    expect(noCache).toMatchObject({ MinTTL: 0, DefaultTTL: 0, MaxTTL: 1 });
    // Authorization reaches the API only as part of the cache key: a response is never shared across tokens.
    expect(noCache.ParametersInCacheKeyAndForwardedToOrigin).toMatchObject({
      HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
      QueryStringsConfig: { QueryStringBehavior: 'all' },
      CookiesConfig: { CookieBehavior: 'none' },
    });
    const request = policyConfig(template, 'AWS::CloudFront::OriginRequestPolicy', /headers the routes read/);
    expect(request.QueryStringsConfig).toEqual({ QueryStringBehavior: 'all' });
    expect(request.CookiesConfig).toEqual({ CookieBehavior: 'none' });
    const headers = (request.HeadersConfig as { Headers: string[] }).Headers;
    expect([...headers].sort()).toEqual(
      [
        'Accept',
        'CloudFront-Viewer-Address',
        'Content-Type',
        'Idempotency-Key',
        'Origin',
        'Referer',
        'TikTok-Signature',
        'X-Hub-Signature-256',
        'X-LI-Signature',
      ].sort(),
    );
    expect(headers).not.toContain('User-Agent');
    expect(headers).not.toContain('Host');
  });

  it('caches the embed script, the OpenAPI document and the JSON Schemas briefly', () => {
    const behaviors = distributionConfig(template).CacheBehaviors;
    expect(behaviors.map((b) => b.PathPattern)).toEqual([
      '/v1/embed.js',
      '/v1/openapi.json',
      '/v1/schemas/*',
    ]);
    const brief = policyConfig(template, 'AWS::CloudFront::CachePolicy', /public documents/);
    expect(brief).toMatchObject({ MinTTL: 0, DefaultTTL: 300, MaxTTL: 3600 });
    for (const behavior of behaviors) {
      expect(behavior).toMatchObject({ AllowedMethods: ['GET', 'HEAD'], Compress: true });
      expect(behavior.CachePolicyId).not.toEqual(
        distributionConfig(template).DefaultCacheBehavior.CachePolicyId,
      );
    }
  });

  it('associates the WAF web ACL and logs requests to an encrypted bucket', () => {
    const config = distributionConfig(template);
    expect(config.WebACLId).toEqual({
      'Fn::GetAtt': [logicalIdOfType(template, 'AWS::WAFv2::WebACL'), 'Arn'],
    });
    expect(config.Logging).toMatchObject({ Prefix: 'cloudfront/' });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] },
      PublicAccessBlockConfiguration: Match.objectLike({
        BlockPublicAcls: true,
        RestrictPublicBuckets: true,
      }),
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  });

  it('has a CLOUDFRONT web ACL with per-IP rate limits on forms, unsubscribe and confirm, answered with the API 429', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'CLOUDFRONT',
      DefaultAction: { Allow: {} },
    });
    const rules = webAclRules(template);
    expect(rules.map((r) => [r.Name, r.Priority])).toEqual([
      ['RateLimitForms', 0],
      ['RateLimitUnsubscribe', 1],
      ['RateLimitConfirm', 2],
      ['AWSManagedRulesCommonRuleSet', 10],
    ]);
    const scopes = rules.slice(0, 3).map((r) => {
      const rate = r.Statement.RateBasedStatement as Record<string, unknown> & {
        ScopeDownStatement: { ByteMatchStatement: { SearchString: string; PositionalConstraint: string } };
      };
      expect(rate).toMatchObject({ AggregateKeyType: 'IP', EvaluationWindowSec: 60 });
      expect(r.Action).toEqual({
        Block: {
          CustomResponse: {
            ResponseCode: 429,
            CustomResponseBodyKey: 'rate-limited',
            ResponseHeaders: [{ Name: 'Retry-After', Value: '60' }],
          },
        },
      });
      const match = rate.ScopeDownStatement.ByteMatchStatement;
      return [rate.Limit, match.PositionalConstraint, match.SearchString];
    });
    expect(scopes).toEqual([
      [60, 'STARTS_WITH', '/v1/forms/'],
      [300, 'EXACTLY', '/v1/unsubscribe'],
      [60, 'EXACTLY', '/v1/confirm'],
    ]);
    const bodies = only(template, 'AWS::WAFv2::WebACL').CustomResponseBodies as Record<
      string,
      { Content: string }
    >;
    expect(JSON.parse(bodies['rate-limited']?.Content ?? '')).toMatchObject({
      error: { code: 'rate_limited' },
    });
  });

  it('runs the common rule set outside /v1/admin/, counting only its body size rule', () => {
    const common = webAclRules(template).find((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
    expect(common?.Statement.ManagedRuleGroupStatement).toMatchObject({
      VendorName: 'AWS',
      Name: 'AWSManagedRulesCommonRuleSet',
      RuleActionOverrides: [{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }],
      ScopeDownStatement: {
        NotStatement: { Statement: { ByteMatchStatement: { SearchString: '/v1/admin/' } } },
      },
    });
  });

  it('logs what the web ACL blocked or counted, without tokens, to an aws-waf-logs- group', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-'),
      RetentionInDays: 30,
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [logicalIdOfType(template, 'AWS::WAFv2::WebACL'), 'Arn'] },
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { QueryString: {} }],
      LoggingFilter: Match.objectLike({ DefaultBehavior: 'DROP' }),
    });
    const destination = JSON.stringify(
      only(template, 'AWS::WAFv2::LoggingConfiguration').LogDestinationConfigs,
    );
    expect(destination).toContain(':log-group:');
    expect(destination).not.toContain(':*');
  });

  it('throttles form posts on the stage, after the routes exist', () => {
    const stages = template.findResources('AWS::ApiGatewayV2::Stage') as Resources;
    const [stage] = Object.values(stages);
    expect(stage?.Properties?.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50 });
    expect(stage?.Properties?.RouteSettings).toEqual({
      [FORMS]: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      'OPTIONS /v1/forms/{formId}/submissions': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
    const routes = template.findResources('AWS::ApiGatewayV2::Route') as Resources;
    const formRoutes = Object.entries(routes)
      .filter(([, r]) => String(r.Properties?.RouteKey).endsWith('/v1/forms/{formId}/submissions'))
      .map(([id]) => id);
    expect(formRoutes).toHaveLength(2);
    expect(stage?.DependsOn).toEqual(expect.arrayContaining(formRoutes));
  });

  it('gives the distribution domain as the public URL, with no dependency cycle for a routed function', () => {
    expect(stack.resolve(edge.publicUrl)).toEqual({
      'Fn::Join': [
        '',
        [
          'https://',
          { 'Fn::GetAtt': [logicalIdOfType(template, 'AWS::CloudFront::Distribution'), 'DomainName'] },
        ],
      ],
    });
    expect(cycleIn(template)).toBeUndefined();
  });

  it('keeps the execute-api endpoint (CloudFront needs it) and needs no region rule in us-east-1', () => {
    expect(only(template, 'AWS::ApiGatewayV2::Api').DisableExecuteApiEndpoint).toBe(false);
    expect(Object.keys(template.toJSON().Rules ?? {})).not.toContain('LeadflowEdgeInUsEast1');
  });
});

describe('PublicEdge with a custom domain', () => {
  const { template, edge } = build({ context: { ...DOMAIN, [C.hostedZoneId]: 'Z0123456789ABC' } });

  it('disables the execute-api endpoint and maps the API to a regional custom domain', () => {
    expect(only(template, 'AWS::ApiGatewayV2::Api').DisableExecuteApiEndpoint).toBe(true);
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: 'api.example.com',
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: CERT, EndpointType: 'REGIONAL' })],
    });
    template.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
  });

  it('serves the domain with the us-east-1 certificate, TLS 1.2 and SNI, from the API custom domain', () => {
    const config = distributionConfig(template);
    expect(config.Aliases).toEqual(['api.example.com']);
    expect(config.ViewerCertificate).toEqual({
      AcmCertificateArn: CERT,
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(JSON.stringify(config.Origins[0]?.DomainName)).toContain('RegionalDomainName');
  });

  it('forwards Host on every behavior, so the TLS name matches the API custom domain', () => {
    const api = policyConfig(template, 'AWS::CloudFront::OriginRequestPolicy', /headers the routes read/);
    expect((api.HeadersConfig as { Headers: string[] }).Headers).toContain('Host');
    expect((api.HeadersConfig as { Headers: string[] }).Headers).toHaveLength(10);
    const documents = policyConfig(template, 'AWS::CloudFront::OriginRequestPolicy', /Host only/);
    expect(documents.HeadersConfig).toEqual({ HeaderBehavior: 'whitelist', Headers: ['Host'] });
    for (const behavior of distributionConfig(template).CacheBehaviors) {
      expect(behavior.OriginRequestPolicyId).toBeDefined();
    }
  });

  it('points A and AAAA alias records of the zone at the distribution', () => {
    for (const Type of ['A', 'AAAA']) {
      template.hasResourceProperties('AWS::Route53::RecordSet', {
        Name: 'api.example.com.',
        Type,
        HostedZoneId: 'Z0123456789ABC',
        AliasTarget: Match.objectLike({ HostedZoneId: Match.anyValue() }),
      });
    }
  });

  it('gives https://<domain> as the public URL, with no dependency cycle', () => {
    expect(edge.publicUrl).toBe('https://api.example.com');
    expect(cycleIn(template)).toBeUndefined();
  });
});

describe('PublicEdge outside us-east-1', () => {
  it('refuses to create the CloudFront web ACL, saying how to split it off', () => {
    expect(() => build({ region: 'eu-west-1' })).toThrow(
      /CloudFront web ACL \(AWS WAF scope CLOUDFRONT\) can only be in us-east-1.*PublicEdgeWebAcl in a us-east-1 stack.*webAclArn.*crossRegionReferences.*eu-west-1/s,
    );
  });

  it('uses a web ACL from a us-east-1 stack, given by ARN', () => {
    const { template } = build({ region: 'eu-west-1', props: { webAclArn: WEB_ACL } });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(distributionConfig(template).WebACLId).toBe(WEB_ACL);
  });

  it('refuses WAF settings next to an ARN: they belong to the web ACL that was made elsewhere', () => {
    expect(() =>
      build({ region: 'eu-west-1', props: { webAclArn: WEB_ACL, managedRules: ['bot'] } }),
    ).toThrow(/with webAclArn give them to the PublicEdgeWebAcl/);
  });

  it('needs a regional certificate for the API custom domain, given or created in the zone', () => {
    const props = { webAclArn: WEB_ACL };
    expect(() => build({ region: 'eu-west-1', props, context: DOMAIN })).toThrow(
      /API Gateway needs a certificate for api.example.com in eu-west-1.*leadflow:originCertificateArn.*leadflow:hostedZoneId/,
    );
    const given = build({
      region: 'eu-west-1',
      props,
      context: { ...DOMAIN, [C.originCertificateArn]: EU_CERT },
    });
    given.template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainNameConfigurations: [Match.objectLike({ CertificateArn: EU_CERT })],
    });
    const created = build({
      region: 'eu-west-1',
      props,
      context: { ...DOMAIN, [C.hostedZoneId]: 'Z0123456789ABC' },
    });
    created.template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'api.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'api.example.com', HostedZoneId: 'Z0123456789ABC' }],
    });
    expect(() =>
      build({ region: 'eu-west-2', props, context: { ...DOMAIN, [C.originCertificateArn]: EU_CERT } }),
    ).toThrow(/originCertificateArn must be an ACM certificate in the stack's region eu-west-2/);
  });

  it('holds an environment-agnostic stack to us-east-1 with a CloudFormation rule', () => {
    const { template } = build({ region: null });
    const rules = template.toJSON().Rules as Record<string, { Assertions: { AssertDescription: string }[] }>;
    const rule = rules.LeadflowEdgeInUsEast1;
    expect(rule?.Assertions).toEqual([
      {
        Assert: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
        AssertDescription: expect.stringMatching(/can only be in us-east-1.*webAclArn/),
      },
    ]);
  });

  it('PublicEdgeWebAcl alone can live in a us-east-1 stack', () => {
    const app = new App();
    const stack = new Stack(app, 'Firewall', { env: { account: '111111111111', region: 'us-east-1' } });
    const acl = new PublicEdgeWebAcl(stack, 'WebAcl', { managedRules: [] });
    expect(stack.resolve(acl.arn)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^WebAcl/), 'Arn'] });
    const rules = webAclRules(Template.fromStack(stack));
    expect(rules.map((r) => r.Name)).toEqual(['RateLimitForms', 'RateLimitUnsubscribe', 'RateLimitConfirm']);
  });
});

describe('publicEdgePropsFromContext', () => {
  it('reads rate limits as one number or per route, merged over the defaults', () => {
    const one = build({ context: { [C.wafRateLimitPerIp]: '100' } });
    expect(
      webAclRules(one.template)
        .slice(0, 3)
        .map((r) => r.Statement.RateBasedStatement?.Limit),
    ).toEqual([100, 100, 100]);
    const some = build({ context: { [C.wafRateLimitPerIp]: '{"forms": 20}' } });
    expect(
      webAclRules(some.template)
        .slice(0, 3)
        .map((r) => r.Statement.RateBasedStatement?.Limit),
    ).toEqual([20, 300, 60]);
  });

  it('adds Bot Control on form posts when asked, and drops managed rules for none', () => {
    const both = webAclRules(build({ context: { [C.wafManagedRules]: 'common,bot' } }).template);
    expect(both.map((r) => r.Name)).toContain('AWSManagedRulesCommonRuleSet');
    const bot = both.find((r) => r.Name === 'AWSManagedRulesBotControlRuleSet');
    expect(bot?.Statement.ManagedRuleGroupStatement).toMatchObject({
      ManagedRuleGroupConfigs: [{ AWSManagedRulesBotControlRuleSet: { InspectionLevel: 'COMMON' } }],
      ScopeDownStatement: { ByteMatchStatement: { SearchString: '/v1/forms/' } },
    });
    const none = webAclRules(build({ context: { [C.wafManagedRules]: 'none' } }).template);
    expect(none.map((r) => r.Name)).toEqual(['RateLimitForms', 'RateLimitUnsubscribe', 'RateLimitConfirm']);
  });

  it('reads route throttles by route key, over the defaults', () => {
    const { template } = build({
      context: {
        [C.routeThrottles]: JSON.stringify({
          [FORMS]: { rateLimit: 5, burstLimit: 10 },
          'POST /v1/webhooks/meta': { rateLimit: 100, burstLimit: 200 },
        }),
      },
    });
    expect(only(template, 'AWS::ApiGatewayV2::Stage').RouteSettings).toEqual({
      [FORMS]: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      'OPTIONS /v1/forms/{formId}/submissions': { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
      'POST /v1/webhooks/meta': { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 },
    });
  });

  it.each([
    [
      { [C.domainName]: 'api.example.com' },
      /leadflow:domainName and context leadflow:certificateArn go together/,
    ],
    [{ [C.certificateArn]: CERT }, /go together/],
    [
      { ...DOMAIN, [C.domainName]: 'https://api.example.com' },
      /must be a lower-case host name.*https:\/\/api/,
    ],
    [
      { ...DOMAIN, [C.certificateArn]: EU_CERT },
      /leadflow:certificateArn must be an ACM certificate in us-east-1/,
    ],
    [{ ...DOMAIN, [C.certificateArn]: 'my-cert' }, /must be an ACM certificate ARN/],
    [{ ...DOMAIN, [C.hostedZoneId]: 'example.com' }, /hosted zone id/],
    [{ [C.hostedZoneId]: 'Z0123456789ABC' }, /need context leadflow:domainName|need leadflow:domainName/],
    [{ [C.wafRateLimitPerIp]: '5' }, /leadflow:wafRateLimitPerIp must be a whole number .* from 10/],
    [{ [C.wafRateLimitPerIp]: '{"login": 100}' }, /unknown route "login"/],
    [{ [C.wafRateLimitPerIp]: '{forms: 1' }, /leadflow:wafRateLimitPerIp must be JSON/],
    [{ [C.wafManagedRules]: 'common,sqli' }, /leadflow:wafManagedRules must list common and\/or bot/],
    [
      { [C.routeThrottles]: '{"POST /v1/forms": {"rateLimit": 1, "burstLimit": 1}}' },
      /not a route of the API/,
    ],
    [{ [C.routeThrottles]: `{"${FORMS}": {"rateLimit": -1, "burstLimit": 1}}` }, /must be \{"rateLimit"/],
    [{ [C.routeThrottles]: `{"${FORMS}": {"rateLimit": 1}}` }, /must be \{"rateLimit"/],
    [{ [C.routeThrottles]: '[1]' }, /must be an object of route keys/],
  ])('refuses bad context %j', (context, message) => {
    expect(() => build({ context })).toThrow(message);
  });

  it('refuses a domain while the execute-api endpoint is on, and no domain with it off', () => {
    expect(() => build({ context: DOMAIN, disableExecuteApiEndpoint: false })).toThrow(
      /must be created with disableExecuteApiEndpoint: true/,
    );
    expect(() => build({ disableExecuteApiEndpoint: true })).toThrow(
      /execute-api endpoint, which is disabled/,
    );
  });

  it('refuses a throttle for a route the HTTP API does not have', () => {
    expect(() =>
      build({ routes: ROUTES.filter((r) => r.path !== '/v1/forms/{formId}/submissions') }),
    ).toThrow(/the HTTP API has no route "POST \/v1\/forms\/\{formId\}\/submissions"/);
  });
});

describe('PublicEdge and cdk-nag AwsSolutions', () => {
  it.each([
    ['without a domain', {}, ['AwsSolutions-CFR1', 'AwsSolutions-CFR4', 'AwsSolutions-S1']],
    ['with a domain', DOMAIN, ['AwsSolutions-CFR1', 'AwsSolutions-S1']],
    [
      'with Bot Control',
      { [C.wafManagedRules]: 'common,bot' },
      ['AwsSolutions-CFR1', 'AwsSolutions-CFR4', 'AwsSolutions-S1'],
    ],
  ])('finds nothing unacknowledged in the edge %s', (_, context, acknowledgements) => {
    const { app, edge } = build({ context, nag: true });
    const findings = synthNagFindings(app).filter((f) => f.path.startsWith('EdgeTest/Edge/'));
    expect(findings).toEqual([]);
    expect(Object.keys(acknowledged(edge)).sort()).toEqual(acknowledgements);
    for (const reason of Object.values(acknowledged(edge))) expect(reason.length).toBeGreaterThan(80);
  });
});

function acknowledged(root: IConstruct): Record<string, string> {
  const found: Record<string, string> = {};
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found[id.replace(/^annotation::/i, '')] = reason;
      }
    }
  }
  return found;
}

/** A resource that depends on itself through Ref, Fn::GetAtt or DependsOn: CloudFormation would refuse it. */
function cycleIn(template: Template): string[] | undefined {
  const resources = template.toJSON().Resources as Record<string, { DependsOn?: string | string[] }>;
  const edges = new Map<string, Set<string>>();
  for (const [id, resource] of Object.entries(resources)) {
    const targets = new Set<string>([resource.DependsOn ?? []].flat());
    const walk = (node: unknown): void => {
      if (Array.isArray(node)) {
        node.forEach(walk);
        return;
      }
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'Ref' && typeof value === 'string' && value in resources) targets.add(value);
        else if (key === 'Fn::GetAtt' && Array.isArray(value) && value[0] in resources) targets.add(value[0]);
        else walk(value);
      }
    };
    walk(resource);
    edges.set(id, targets);
  }
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string, path: string[]): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...path, id];
    state.set(id, 'open');
    for (const next of edges.get(id) ?? []) {
      const cycle = visit(next, [...path, id]);
      if (cycle) return cycle;
    }
    state.set(id, 'done');
    return undefined;
  };
  for (const id of edges.keys()) {
    const cycle = visit(id, []);
    if (cycle) return cycle;
  }
  return undefined;
}
