import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import { type HandlerName, QUEUE_CONSUMERS, ROUTES } from '../../functions/shared/routes';
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

type FunctionName = keyof LeadflowApp['service']['functions'];
const FUNCTION_NAMES = [
  'formSubmission',
  'adminLeads',
  'activities',
  'adminScoring',
  'rescore',
  'public',
] as const satisfies readonly FunctionName[];

/** The function each handler entry (functions/handlers/<entry>.ts) is deployed as. */
const FUNCTION_OF_ENTRY = {
  'form-submission': 'formSubmission',
  'admin-leads': 'adminLeads',
  activities: 'activities',
  'admin-scoring': 'adminScoring',
  rescore: 'rescore',
  public: 'public',
} as const satisfies Record<HandlerName | (typeof QUEUE_CONSUMERS)[number]['handler'], FunctionName>;

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
  const statementsFor = (name: FunctionName, service: string) =>
    statementsOfRole(template, roleId(name)).filter((statement) =>
      actionsOf(statement).some((action) => action.startsWith(`${service}:`)),
    );
  // The rescore-jobs queue as the service stack sees it: its URL and ARN imported from the stateful stack.
  const rescoreQueue = (attribute: 'Ref' | 'Arn') => ({
    'Fn::ImportValue': exportOf(built.stateful, built.stateful.rescoreQueue.queue, attribute),
  });

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
      ['POST /v1/activities', 'activities'],
      ['GET /v1/admin/scoring', 'adminScoring'],
      ['POST /v1/admin/scoring/versions/{version}/activate', 'adminScoring'],
      ['GET /v1/admin/scoring/rescore', 'adminScoring'],
      ['GET /v1/health', 'public'],
      ['GET /v1/openapi.json', 'public'],
      ['GET /v1/embed.js', 'public'],
    ] as const)('sends %s to the %s function', (routeKey, name) => {
      expect(functionBehindRoute(template, routeKey)).toBe(id(name));
    });

    it('serves every route of the shared route table (the one the local server uses) from its handler', () => {
      for (const route of ROUTES) {
        expect(functionBehindRoute(template, `${route.method} ${route.path}`)).toBe(
          id(FUNCTION_OF_ENTRY[route.handler]),
        );
      }
    });

    it('answers unknown paths from the public function, with the contract error body', () => {
      expect(functionBehindRoute(template, '$default')).toBe(id('public'));
    });

    it('exposes no other route: the shared table and the $default fallback', () => {
      template.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTES.length + 1);
    });

    it('puts no route in front of the rescore function: only its queue invokes it', () => {
      const routedFunctions = ROUTES.map((route) =>
        functionBehindRoute(template, `${route.method} ${route.path}`),
      );
      expect(routedFunctions).not.toContain(id('rescore'));
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
    it('runs every function on Node.js 22, arm64, with active tracing', () => {
      template.resourceCountIs('AWS::Lambda::Function', FUNCTION_NAMES.length);
      template.resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        {
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
        },
        FUNCTION_NAMES.length,
      );
    });

    it.each(['formSubmission', 'adminLeads', 'activities', 'adminScoring', 'public'] as const)(
      'gives the %s function the defaults of 512 MB and 10 s',
      (name) => {
        expect(resourceOf(template, id(name)).Properties).toMatchObject({ MemorySize: 512, Timeout: 10 });
      },
    );

    it('gives the rescore function 1024 MB and 60 s: it rebuilds a page of leads from their timelines', () => {
      expect(resourceOf(template, id('rescore')).Properties).toMatchObject({ MemorySize: 1024, Timeout: 60 });
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

    it('gives the admin and activities functions the table name only', () => {
      expect(functionsWithEnv(template, { ...DEFAULT_ENV, LEADFLOW_TABLE_NAME: TABLE_NAME }).sort()).toEqual(
        [id('adminLeads'), id('activities')].sort(),
      );
    });

    it('gives the scoring admin and rescore functions the table name and the rescore-jobs queue URL', () => {
      const env = {
        ...DEFAULT_ENV,
        LEADFLOW_TABLE_NAME: TABLE_NAME,
        LEADFLOW_QUEUE_RESCORE_JOBS: rescoreQueue('Ref'),
      };
      expect(functionsWithEnv(template, env).sort()).toEqual([id('adminScoring'), id('rescore')].sort());
    });

    it('gives the public function the defaults only (no table name)', () => {
      expect(functionsWithEnv(template, DEFAULT_ENV)).toEqual([id('public')]);
    });

    it.each(FUNCTION_NAMES)('logs the %s function to its own log group, kept one month', (name) => {
      const fn = resourceOf(template, id(name));
      const logGroupRef = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(logGroupRef).toBe(logicalIdOf(built.service.functions[name].logGroup));
      expect(resourceOf(template, logGroupRef).Properties).toMatchObject({ RetentionInDays: 30 });
    });

    it.each(FUNCTION_NAMES)(
      'bundles the %s function locally as one ESM file with its source map and the AWS SDK inside',
      (name) => {
        const code = resourceOf(template, id(name)).Properties.Code as { S3Key: string };
        const assetDir = join(built.app.outdir, `asset.${code.S3Key.replace(/\.zip$/, '')}`);
        const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');

        expect(bundle.startsWith(esbuildOptions.banner.js)).toBe(true);
        expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
        // Import statements only (they start a statement in the minified bundle), not a "from" inside
        // a string or a DynamoDB expression.
        const staticImports = [
          ...bundle.matchAll(/(?:^|[;}\n])import\s*(?:[\w*${}\s,]*?from\s*)?"([^"]+)"/g),
        ].map((match) => match[1]);
        expect(staticImports.filter((specifier) => !specifier?.startsWith('node:'))).toEqual([]);
      },
    );
  });

  describe('IAM', () => {
    it.each([
      ['formSubmission', ['GetItem', 'PutItem', 'UpdateItem']],
      ['adminLeads', ['GetItem', 'Query']],
      ['activities', ['GetItem', 'PutItem']],
      ['adminScoring', ['GetItem', 'PutItem', 'Query', 'Scan']],
      ['rescore', ['GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem']],
      ['public', []],
    ] as const)('lets the %s function call exactly %j on the table, nothing more', (name, actions) => {
      const statements = statementsFor(name, 'dynamodb');
      expect(statements.flatMap(actionsOf).sort()).toEqual(actions.map((action) => `dynamodb:${action}`));
      for (const statement of statements) expect(statement.Resource).toEqual(TABLE_ARN);
    });

    it('never lets a function delete, batch-write or transact, and lets only the rescore jobs scan', () => {
      for (const name of FUNCTION_NAMES) {
        const actions = statementsOfRole(template, roleId(name)).flatMap(actionsOf);
        expect(
          actions.filter((action) => /^dynamodb:(Delete|Batch|Transact)|\*/.test(action)),
          name,
        ).toEqual([]);
        const scans = actions.includes('dynamodb:Scan');
        expect(scans, name).toBe(name === 'adminScoring' || name === 'rescore');
      }
    });

    it('lets only the scoring admin and rescore functions send, and only sqs:SendMessage to rescore-jobs', () => {
      for (const name of FUNCTION_NAMES) {
        const senders = statementsFor(name, 'sqs').filter((statement) =>
          actionsOf(statement).includes('sqs:SendMessage'),
        );
        if (name === 'adminScoring' || name === 'rescore') {
          expect(senders, name).toEqual([
            { Action: 'sqs:SendMessage', Effect: 'Allow', Resource: rescoreQueue('Arn') },
          ]);
        } else {
          expect(statementsFor(name, 'sqs'), name).toEqual([]);
        }
      }
      expect(statementsFor('adminScoring', 'sqs')).toHaveLength(1);
    });

    it('lets the rescore function consume rescore-jobs (through its event source) and no other queue', () => {
      const consume = statementsFor('rescore', 'sqs').filter(
        (statement) => !actionsOf(statement).includes('sqs:SendMessage'),
      );
      expect(consume).toEqual([
        {
          Action: expect.arrayContaining([
            'sqs:ReceiveMessage',
            'sqs:DeleteMessage',
            'sqs:ChangeMessageVisibility',
            'sqs:GetQueueAttributes',
          ]),
          Effect: 'Allow',
          Resource: rescoreQueue('Arn'),
        },
      ]);
      // What SqsEventSource grants, and nothing beyond: no purge, no send through this statement.
      expect(actionsOf(onlyOne(consume)).sort()).toEqual([
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ]);
    });

    it('gives the public function nothing beyond its logs and traces', () => {
      expect(statementsOfRole(template, roleId('public')).flatMap(actionsOf).sort()).toEqual([
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ]);
    });

    it.each(FUNCTION_NAMES)(
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

  describe('queue consumers', () => {
    it('feeds the rescore function from rescore-jobs one message at a time, at most two at once', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: id('rescore') },
        EventSourceArn: rescoreQueue('Arn'),
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('feeds every queue consumer of the shared table (the one the local stack polls) from its queue', () => {
      const queues = { 'rescore-jobs': built.stateful.rescoreQueue.queue } as const;
      for (const consumer of QUEUE_CONSUMERS) {
        const mappings = Object.values(
          template.findResources('AWS::Lambda::EventSourceMapping', {
            Properties: { FunctionName: { Ref: id(FUNCTION_OF_ENTRY[consumer.handler]) } },
          }),
        ) as { Properties: { EventSourceArn: unknown } }[];
        expect(mappings.map((mapping) => mapping.Properties.EventSourceArn)).toEqual([
          { 'Fn::ImportValue': exportOf(built.stateful, queues[consumer.queue], 'Arn') },
        ]);
      }
    });

    it('hides a message from other consumers for six times the rescore timeout while a page runs', () => {
      const timeout = resourceOf(template, id('rescore')).Properties.Timeout as number;
      const queue = Template.fromStack(built.stateful).toJSON().Resources[
        logicalIdOf(built.stateful.rescoreQueue.queue)
      ] as { Properties: { VisibilityTimeout: number } };
      expect(queue.Properties.VisibilityTimeout).toBe(6 * timeout);
    });
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

/** Name of the stateful stack's export of a resource's Ref or Arn, the one the service stack imports. */
function exportOf(stack: Stack, construct: IConstruct, attribute: 'Ref' | 'Arn'): string {
  const id = logicalIdOf(construct);
  const value = attribute === 'Ref' ? { Ref: id } : { 'Fn::GetAtt': [id, 'Arn'] };
  const outputs = Object.values(Template.fromStack(stack).findOutputs('*', { Value: value })) as {
    Export?: { Name: string };
  }[];
  const name = outputs[0]?.Export?.Name;
  if (outputs.length !== 1 || !name) throw new Error(`expected one export of ${id} ${attribute}`);
  return name;
}

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
