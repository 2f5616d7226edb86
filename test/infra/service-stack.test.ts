import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES } from '../../functions/shared/routes';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { esbuildOptions } from '../../infra/constructs/bundling';
import {
  actionsOf,
  functionBehindRoute,
  logicalIdOf,
  resourceOf,
  SKIP_BUNDLING,
  SYNTH_TIMEOUT,
  statementsOfRole,
} from './support';

type FunctionName = 'formSubmission' | 'adminLeads' | 'public';

const DEFAULT_ENV = {
  POWERTOOLS_SERVICE_NAME: 'leadflow',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
};
const TABLE_NAME = { 'Fn::ImportValue': Match.stringLikeRegexp('^LeadflowStateful:.*RefTable') };

/** The table ARN as the service stack sees it: imported from the stateful stack, no index, no wildcard. */
const TABLE_ARN = {
  'Fn::ImportValue': expect.stringMatching(/^LeadflowStateful:ExportsOutputFnGetAttTable\w+Arn\w*$/),
};

describe('service stack', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  const id = (name: FunctionName) => logicalIdOf(built.service.functions[name].function);
  const roleId = (name: FunctionName) => logicalIdOf(built.service.functions[name].role);
  const dynamoStatements = (name: FunctionName) =>
    statementsOfRole(template, roleId(name)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
    );

  // Real bundling: this also proves the handlers build with the shared esbuild options.
  beforeAll(() => {
    built = buildApp({ stage: 'dev' });
    template = Template.fromStack(built.service);
  }, SYNTH_TIMEOUT.timeout);

  describe('routes', () => {
    it.each([
      ['POST /v1/forms/{formId}/submissions', 'formSubmission'],
      ['OPTIONS /v1/forms/{formId}/submissions', 'formSubmission'],
      ['GET /v1/admin/leads/{leadId}', 'adminLeads'],
      ['GET /v1/admin/leads', 'adminLeads'],
      ['GET /v1/health', 'public'],
      ['GET /v1/openapi.json', 'public'],
      ['GET /v1/embed.js', 'public'],
    ] as const)('sends %s to the %s function', (routeKey, name) => {
      expect(functionBehindRoute(template, routeKey)).toBe(id(name));
    });

    it('serves every route of the shared route table (the one the local server uses) from its handler', () => {
      const byEntry = {
        'form-submission': 'formSubmission',
        'admin-leads': 'adminLeads',
        public: 'public',
      } as const;
      for (const route of ROUTES) {
        expect(functionBehindRoute(template, `${route.method} ${route.path}`)).toBe(
          id(byEntry[route.handler]),
        );
      }
    });

    it('answers unknown paths from the public function, with the contract error body', () => {
      expect(functionBehindRoute(template, '$default')).toBe(id('public'));
    });

    it('exposes no other route', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length + 1);
    });

    it('has no API Gateway authorizer: tokens are checked in the function to keep the error body', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Authorizer', 0);
    });

    it('leaves CORS to the form function (no API-level CORS configuration)', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        ProtocolType: 'HTTP',
        CorsConfiguration: Match.absent(),
      });
    });

    it('outputs the API URL', () => {
      template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    });
  });

  describe('functions', () => {
    it('runs every function on Node.js 22, arm64, 512 MB, 10 s, with active tracing', () => {
      template.resourceCountIs('AWS::Lambda::Function', 3);
      template.resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        {
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          MemorySize: 512,
          Timeout: 10,
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
        },
        3,
      );
    });

    it('gives the form function the table name and both rate limits', () => {
      expect(
        functionsWithEnv(template, {
          ...DEFAULT_ENV,
          LEADFLOW_TABLE_NAME: TABLE_NAME,
          LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '30',
          LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '5',
        }),
      ).toEqual([id('formSubmission')]);
    });

    it('gives the admin function the table name only', () => {
      expect(functionsWithEnv(template, { ...DEFAULT_ENV, LEADFLOW_TABLE_NAME: TABLE_NAME })).toEqual([
        id('adminLeads'),
      ]);
    });

    it('gives the public function the defaults only (no table name)', () => {
      expect(functionsWithEnv(template, DEFAULT_ENV)).toEqual([id('public')]);
    });

    it.each(['formSubmission', 'adminLeads', 'public'] as const)(
      'logs the %s function to its own log group, kept one month',
      (name) => {
        const fn = resourceOf(template, id(name));
        const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
        expect(logGroupRef).toBe(logicalIdOf(built.service.functions[name].logGroup));
        expect(resourceOf(template, logGroupRef).Properties).toMatchObject({ RetentionInDays: 30 });
      },
    );

    it.each(['formSubmission', 'adminLeads', 'public'] as const)(
      'bundles the %s function locally as one ESM file with its source map and the AWS SDK inside',
      (name) => {
        const code = resourceOf(template, id(name)).Properties.Code as { S3Key: string };
        const assetDir = join(built.app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
        const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');

        expect(bundle.startsWith(esbuildOptions.banner.js)).toBe(true);
        expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
        const staticImports = [...bundle.matchAll(/\bfrom\s*"([^"]+)"/g)].map((match) => match[1]);
        expect(staticImports.filter((specifier) => !specifier?.startsWith('node:'))).toEqual([]);
      },
    );
  });

  describe('IAM', () => {
    it('lets the form function GetItem, Query, PutItem and UpdateItem on the table, nothing more', () => {
      const statement = onlyOne(dynamoStatements('formSubmission'));
      expect(actionsOf(statement).sort()).toEqual([
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ]);
      expect(statement.Resource).toEqual(TABLE_ARN);
    });

    it('never lets the form function delete, scan or batch-write', () => {
      const actions = statementsOfRole(template, roleId('formSubmission')).flatMap(actionsOf);
      expect(actions.filter((action) => /Delete|Scan|Batch|Transact|\*/.test(action))).toEqual([]);
    });

    it('lets the admin function only GetItem and Query on the table', () => {
      const statement = onlyOne(dynamoStatements('adminLeads'));
      expect(actionsOf(statement).sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
      expect(statement.Resource).toEqual(TABLE_ARN);
    });

    it('gives the public function no DynamoDB permission at all', () => {
      expect(dynamoStatements('public')).toEqual([]);
      expect(statementsOfRole(template, roleId('public')).flatMap(actionsOf).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it.each(['formSubmission', 'adminLeads', 'public'] as const)(
      'writes logs of the %s function to its own log group only, without AWS managed policies',
      (name) => {
        const role = resourceOf(template, roleId(name));
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
        expect(role.Properties.Policies).toBeUndefined();
        const logStatements = statementsOfRole(template, roleId(name)).filter((statement) =>
          actionsOf(statement).some((action) => action.startsWith('logs:')),
        );
        expect(logStatements.map((statement) => statement.Resource)).toEqual([
          { 'Fn::GetAtt': [logicalIdOf(built.service.functions[name].logGroup), 'Arn'] },
        ]);
      },
    );
  });

  describe('stage', () => {
    it('throttles the default stage at 50 requests/s with bursts of 100', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it('writes JSON access logs without user agent, body or query string to a one-month log group', () => {
      const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
        Properties: { AccessLogSettings: { DestinationArn: unknown; Format: string } };
      };
      const { DestinationArn, Format } = stage.Properties.AccessLogSettings;
      const accessLogs = logicalIdOf(built.service.accessLogs);
      expect(DestinationArn).toEqual({ 'Fn::GetAtt': [accessLogs, 'Arn'] });
      expect(resourceOf(template, accessLogs).Properties).toMatchObject({ RetentionInDays: 30 });

      const fields = JSON.parse(Format) as Record<string, string>;
      expect(fields).toMatchObject({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        responseLength: '$context.responseLength',
        integrationLatency: '$context.integrationLatency',
      });
      expect(Object.values(fields).filter((value) => /userAgent|body|querystring/i.test(value))).toEqual([]);
    });
  });
});

describe('service stack props', SYNTH_TIMEOUT, () => {
  it('takes throttling and form rate limits from its props', () => {
    const { service } = buildApp({
      context: SKIP_BUNDLING,
      service: {
        throttle: { rateLimit: 5, burstLimit: 10 },
        rateLimitPerIpPerMinute: 60,
        rateLimitPerEmailPerMinute: 2,
      },
    });
    const template = Template.fromStack(service);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '60',
          LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '2',
        }),
      },
    });
  });

  it('refuses a rate limit the function would reject at cold start', () => {
    expect(() => buildApp({ context: SKIP_BUNDLING, service: { rateLimitPerIpPerMinute: 0 } })).toThrow(
      /rateLimitPerIpPerMinute must be a positive integer/,
    );
  });
});

/** Logical IDs of the functions whose environment is exactly `variables`. */
function functionsWithEnv(template: Template, variables: Record<string, unknown>): string[] {
  return Object.keys(
    template.findResources('AWS::Lambda::Function', {
      Properties: { Environment: { Variables: Match.objectEquals(variables) } },
    }),
  );
}

function onlyOne<T>(items: T[]): T {
  const [item, ...rest] = items;
  if (item === undefined || rest.length > 0) throw new Error(`expected exactly one, got ${items.length}`);
  return item;
}
