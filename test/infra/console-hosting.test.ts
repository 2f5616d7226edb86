import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { CONSOLE_ROUTING_CODE } from '../../infra/constructs/console-routing';
import { exportOf } from './service-fixture';
import { logicalIdOf, PROD, SKIP_BUNDLING, SYNTH_TIMEOUT, synthNagFindings } from './support';

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/0f3b7c1e-2d4a-4b6c-8e9f-0a1b2c3d4e5f';
const DOMAIN = { 'leadflow:domainName': 'api.acme-widgets.com', 'leadflow:certificateArn': CERT };

/** A CloudFormation value as text: `${Ref}`, `${Logical.Attr}`, `${import:Name}` stand for deploy-time values. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if ('Fn::Join' in v) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(sep);
  }
  if ('Ref' in v) return `\${${v.Ref}}`;
  if ('Fn::GetAtt' in v) return `\${${(v['Fn::GetAtt'] as string[]).join('.')}}`;
  if ('Fn::ImportValue' in v) return `\${import:${render(v['Fn::ImportValue'])}}`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}

// biome-ignore lint/suspicious/noExplicitAny: the template's JSON, read loosely by the assertions that follow
type Json = any;
type Resources = Record<string, { Type: string; Properties: Json; DependsOn?: string[] }>;

describe('the console on AWS (S3 behind the public edge)', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  let resources: Resources;
  let outdir: string;

  beforeAll(() => {
    built = buildApp({ stage: 'dev', context: { ...SKIP_BUNDLING, ...DOMAIN } });
    const assembly = built.app.synth();
    outdir = assembly.directory;
    template = Template.fromJSON(JSON.parse(readFileSync(join(outdir, built.service.templateFile), 'utf8')));
    resources = template.toJSON().Resources;
  });

  const hosting = () => {
    const console = built.service.consoleHosting;
    if (!console) throw new Error('no console hosting');
    return console;
  };
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
  /** How the service stack writes a stateful resource's Ref: the import of its export. */
  const imported = (construct: IConstruct) => `\${import:${exportOf(built.stateful, construct, 'Ref')}}`;
  const auth = () => {
    const consoleAuth = built.stateful.consoleAuth;
    if (!consoleAuth) throw new Error('no console sign-in');
    return consoleAuth;
  };
  const managedLogin = () => `https://${imported(auth().domain)}.auth.\${AWS::Region}.amazoncognito.com`;

  it('keeps the bucket private: public access blocked, SSL only, encrypted, access-logged to the edge log bucket', () => {
    const bucketId = logicalIdOf(hosting().bucket);
    const bucket = resources[bucketId]?.Properties;
    expect(bucket?.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket?.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
    expect(bucket?.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket?.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logicalIdOf(built.service.edge?.accessLogs as never) },
      LogFilePrefix: 'console-bucket/',
    });
    expect(bucket?.WebsiteConfiguration).toBeUndefined();
  });

  it('lets CloudFront read objects through Origin Access Control, for this distribution only; nobody else is allowed anything', () => {
    const bucketId = logicalIdOf(hosting().bucket);
    const distributionId = logicalIdOf(built.service.edge?.distribution as never);
    const [policy, ...others] = ofType('AWS::S3::BucketPolicy').filter(
      ([, r]) => r.Properties.Bucket.Ref === bucketId,
    );
    expect(others).toEqual([]);
    const statements = policy?.[1].Properties.PolicyDocument.Statement as Json[];
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows).toEqual([
      {
        Action: 's3:GetObject',
        Effect: 'Allow',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, '/*']] },
        Condition: {
          StringEquals: {
            'AWS:SourceArn': {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':cloudfront::',
                  { Ref: 'AWS::AccountId' },
                  ':distribution/',
                  { Ref: distributionId },
                ],
              ],
            },
          },
        },
      },
    ]);
    // enforceSSL: every request without TLS is denied.
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      }),
    });
  });

  it('serves /console/* and /console from the bucket on the API distribution, through the routing function, HTTPS only, GET and HEAD', () => {
    const [[distributionId, distribution] = ['', undefined]] = ofType('AWS::CloudFront::Distribution');
    expect(distributionId).toBe(logicalIdOf(built.service.edge?.distribution as never));
    const config = distribution?.Properties.DistributionConfig;
    const s3Origin = (config.Origins as Json[]).find((o) => o.S3OriginConfig);
    expect(s3Origin?.OriginAccessControlId).toBeDefined();
    const behaviors = (config.CacheBehaviors as Json[]).filter((b) => b.PathPattern.startsWith('/console'));
    expect(behaviors.map((b) => b.PathPattern).sort()).toEqual(['/console', '/console/*']);
    for (const behavior of behaviors) {
      expect(behavior).toMatchObject({
        TargetOriginId: s3Origin?.Id,
        ViewerProtocolPolicy: 'redirect-to-https',
        AllowedMethods: ['GET', 'HEAD'],
        Compress: true,
        ResponseHeadersPolicyId: { Ref: logicalIdOf(hosting().responseHeaders) },
        FunctionAssociations: [
          {
            EventType: 'viewer-request',
            FunctionARN: { 'Fn::GetAtt': [logicalIdOf(hosting().routing), 'FunctionARN'] },
          },
        ],
      });
    }
    // The API keeps the default behavior: its own 404s, no error-page rewrites.
    expect(config.DefaultCacheBehavior.TargetOriginId).not.toBe(s3Origin?.Id);
    expect(config.CustomErrorResponses).toBeUndefined();
    template.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionCode: CONSOLE_ROUTING_CODE,
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
    });
  });

  it('routes console pages to index.html, leaves files alone and sends /console to /console/', () => {
    const route = (uri: string) =>
      runInNewContext(`${CONSOLE_ROUTING_CODE}; handler(event)`, {
        event: { request: { uri, method: 'GET', querystring: {}, headers: {} } },
      });
    for (const page of [
      '/console/',
      '/console/leads',
      '/console/leads/01JD8Z7Q',
      '/console/callback',
      '/console/sales/team',
    ])
      expect(route(page).uri, page).toBe('/console/index.html');
    for (const file of [
      '/console/assets/app-4F2KX7.js',
      '/console/assets/styles-9Q.css',
      '/console/config.json',
    ])
      expect(route(file).uri, file).toBe(file);
    expect(route('/console')).toMatchObject({
      statusCode: 301,
      headers: { location: { value: '/console/' } },
    });
  });

  it('answers with a strict CSP (scripts from the console only, inline styles for email previews, calls to the managed login domain and import uploads to the exports bucket only), HSTS, nosniff, no referrer, no framing', () => {
    const policy = resources[logicalIdOf(hosting().responseHeaders)]?.Properties.ResponseHeadersPolicyConfig;
    const security = policy.SecurityHeadersConfig;
    const csp = render(security.ContentSecurityPolicy.ContentSecurityPolicy);
    // The Import page PUTs files to presigned links of the exports bucket (virtual-hosted S3 URLs).
    const uploads = `https://leadflow-dev-exports-\${AWS::AccountId}-\${AWS::Region}.s3.\${AWS::Region}.\${AWS::URLSuffix}`;
    expect(csp).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; " +
        `connect-src 'self' ${managedLogin()} ${uploads}; base-uri 'none'; form-action 'self'; frame-ancestors 'none'`,
    );
    expect(security.ContentSecurityPolicy.Override).toBe(true);
    expect(security.StrictTransportSecurity).toEqual({
      AccessControlMaxAgeSec: 63072000,
      IncludeSubdomains: true,
      Override: true,
    });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(security.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
  });

  it('deploys the hashed assets for a year, then index.html and config.json revalidated, and clears them from the edge', () => {
    const deployments = ofType('Custom::CDKBucketDeployment');
    expect(deployments).toHaveLength(2);
    const byPrefix = (exclude: string) => deployments.find(([, r]) => r.Properties.Exclude?.[0] === exclude);
    const [assetsLogicalId, assets] = byPrefix('index.html') ?? [];
    const [, entry] = byPrefix('*') ?? [];
    expect(assets?.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      Prune: false,
      SystemMetadata: { 'cache-control': 'public, max-age=31536000, immutable' },
    });
    expect(entry?.Properties).toMatchObject({
      DestinationBucketKeyPrefix: 'console/',
      Prune: false,
      Include: ['index.html', 'config.json'],
      SystemMetadata: { 'cache-control': 'no-cache' },
      DistributionPaths: ['/console', '/console/*'],
      DistributionId: { Ref: logicalIdOf(built.service.edge?.distribution as never) },
    });
    // index.html names the assets by hash: they are up before it is.
    expect(entry?.DependsOn).toEqual(expect.arrayContaining([assetsLogicalId]));
    // A throwaway stage's files go with the stack.
    expect(entry?.Properties.RetainOnDelete).toBe(false);
  });

  it("writes config.json from the stack's real values: the public URL, the pool's issuer, client and managed login", () => {
    const [, entry] =
      ofType('Custom::CDKBucketDeployment').find(([, r]) => r.Properties.Exclude?.[0] === '*') ?? [];
    const keys = entry?.Properties.SourceObjectKeys as string[];
    const markers = entry?.Properties.SourceMarkers as Record<string, unknown>[];
    const index = markers.findIndex((m) => Object.keys(m).length > 0);
    const hash = keys[index]?.replace(/\.zip$/, '');
    let text = readFileSync(join(outdir, `asset.${hash}`, 'config.json'), 'utf8');
    for (const [marker, value] of Object.entries(markers[index] ?? {}))
      text = text.replaceAll(marker, render(value));
    const config = JSON.parse(text);

    const domain = managedLogin();
    expect(config).toEqual({
      apiUrl: 'https://api.acme-widgets.com',
      auth: {
        kind: 'cognito',
        issuer: `https://cognito-idp.\${AWS::Region}.amazonaws.com/${imported(auth().userPool)}`,
        clientId: imported(auth().client),
        scopes: ['openid', 'email', 'profile'],
        domain,
        authorizationEndpoint: `${domain}/oauth2/authorize`,
        tokenEndpoint: `${domain}/oauth2/token`,
        revocationEndpoint: `${domain}/oauth2/revoke`,
        logoutEndpoint: `${domain}/logout`,
      },
    });
  });
  it('is not created without a console URL, nor without the edge (a warning says why)', () => {
    const plain = buildApp({ stage: 'dev', context: SKIP_BUNDLING });
    expect(plain.service.consoleHosting).toBeUndefined();
    Template.fromStack(plain.service).resourceCountIs('Custom::CDKBucketDeployment', 0);

    const noEdge = buildApp({
      stage: 'dev',
      context: { ...SKIP_BUNDLING, 'leadflow:publicUrl': 'https://go.acme-widgets.com' },
    });
    expect(noEdge.service.consoleHosting).toBeUndefined();
    Template.fromStack(noEdge.service).resourceCountIs('AWS::S3::Bucket', 0);
    const warnings = noEdge.service.node.metadata.filter((m) => m.type === 'aws:cdk:warning');
    expect(String(warnings.map((w) => w.data))).toMatch(/console is served only behind the public edge/);
  });

  it.each([
    ['an environment-agnostic prod stage', undefined],
    ['a prod stage in us-east-1', { account: '123456789012', region: 'us-east-1' }],
  ])('leaves cdk-nag nothing unacknowledged: %s', (_, env) => {
    const { app } = buildApp({ ...PROD, ...(env && { env }), context: { ...SKIP_BUNDLING, ...DOMAIN } });
    expect(synthNagFindings(app)).toEqual([]);
  });
});
