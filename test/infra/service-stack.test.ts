import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type HandlerName,
  QUEUE_CONSUMERS,
  ROUTES,
  SCHEDULED,
  SNS_CONSUMERS,
} from '../../functions/shared/routes';
import { buildApp, type LeadflowApp } from '../../infra/build-app';
import { esbuildOptions } from '../../infra/constructs/bundling';
import {
  actionsOf,
  functionBehindRoute,
  logicalIdOf,
  type PolicyStatement,
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
  'sales',
  'tick',
  'webhooks',
  'adLeads',
  'unsubscribe',
  'confirm',
  'sesEvents',
  'sendEmail',
  'adminNurture',
] as const satisfies readonly FunctionName[];

/** The function each handler entry (functions/handlers/<entry>.ts) is deployed as. */
const FUNCTION_OF_ENTRY = {
  'form-submission': 'formSubmission',
  'admin-leads': 'adminLeads',
  activities: 'activities',
  'admin-scoring': 'adminScoring',
  'admin-nurture': 'adminNurture',
  rescore: 'rescore',
  public: 'public',
  sales: 'sales',
  tick: 'tick',
  webhooks: 'webhooks',
  'ad-leads': 'adLeads',
  unsubscribe: 'unsubscribe',
  confirm: 'confirm',
  'ses-events': 'sesEvents',
  'send-email': 'sendEmail',
} as const satisfies Record<
  | HandlerName
  | (typeof QUEUE_CONSUMERS)[number]['handler']
  | (typeof SNS_CONSUMERS)[number]['handler']
  | (typeof SCHEDULED)[number]['handler'],
  FunctionName
>;

const DEFAULT_ENV = {
  POWERTOOLS_SERVICE_NAME: 'leadflow',
  POWERTOOLS_LOG_LEVEL: 'INFO',
  NODE_OPTIONS: '--enable-source-maps',
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
  // Table and queues as the service stack sees them: names, URLs and ARNs imported from the stateful stack.
  const imported = (construct: IConstruct, attribute: 'Ref' | 'Arn') => ({
    'Fn::ImportValue': exportOf(built.stateful, construct, attribute),
  });
  const table = (attribute: 'Ref' | 'Arn') => imported(built.stateful.table, attribute);
  const rescoreQueue = (attribute: 'Ref' | 'Arn') => imported(built.stateful.rescoreQueue.queue, attribute);
  const hotLeadQueue = (attribute: 'Ref' | 'Arn') => imported(built.stateful.hotLeadQueue.queue, attribute);
  const adLeadQueue = (attribute: 'Ref' | 'Arn') => imported(built.stateful.adLeadQueue.queue, attribute);
  const emailJobQueue = (attribute: 'Ref' | 'Arn') => imported(built.stateful.emailJobQueue.queue, attribute);
  // A secret's Ref is its ARN, and so is a topic's.
  const webhookSecrets = () => imported(built.stateful.webhookSecrets, 'Ref');
  const signingSecrets = () => imported(built.stateful.signingSecrets, 'Ref');
  const identityKeySecret = () => imported(built.stateful.identityKey, 'Ref');
  const sesEventsTopic = () => imported(built.stateful.sesEvents.topic, 'Ref');
  const sesEventsDlq = () => imported(built.stateful.sesEvents.deadLetterQueue, 'Arn');
  const configurationSetName = () => imported(built.stateful.sesEvents.configurationSet, 'Ref');
  /** An SES ARN in the deploying account and region: `arn:<partition>:ses:<region>:<account>` + rest. */
  const sesArn = (...rest: unknown[]) => ({
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        ':ses:',
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        ...rest,
      ],
    ],
  });

  /** Every resource a function may be granted something on, by a readable name. */
  const knownResources = () => ({
    table: table('Arn'),
    'table/index/gsi1': { 'Fn::Join': ['', [table('Arn'), '/index/gsi1']] },
    'table/index/gsi2': { 'Fn::Join': ['', [table('Arn'), '/index/gsi2']] },
    'rescore-jobs': rescoreQueue('Arn'),
    'hot-leads': hotLeadQueue('Arn'),
    'ad-leads': adLeadQueue('Arn'),
    'email-jobs': emailJobQueue('Arn'),
    'webhook-secrets': webhookSecrets(),
    'signing-secrets': signingSecrets(),
    'ses-events-dlq': sesEventsDlq(),
    // The sender identity defaults to the domain of sender.email in config/settings.yaml.
    'ses-identity/leadflow.example': sesArn(':identity/leadflow.example'),
    'ses-configuration-set/leadflow': sesArn(':configuration-set/', configurationSetName()),
  });
  /**
   * What the function's role may do beyond its logs and traces: resource name -> sorted actions.
   * Flattened per action and resource, so it does not depend on how statements are grouped.
   */
  const grantsOf = (name: FunctionName): Record<string, string[]> => {
    const names = Object.entries(knownResources()).map(
      ([label, resource]) => [JSON.stringify(resource), label] as const,
    );
    const labelOf = (resource: unknown) =>
      names.find(([json]) => json === JSON.stringify(resource))?.[1] ?? `unknown ${JSON.stringify(resource)}`;
    const grants: Record<string, Set<string>> = {};
    for (const statement of statementsOfRole(template, roleId(name))) {
      expect(statement.Effect).toBe('Allow');
      const actions = actionsOf(statement).filter((action) => !/^(logs|xray):/.test(action));
      const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
      for (const resource of actions.length > 0 ? resources : []) {
        const label = labelOf(resource);
        grants[label] ??= new Set();
        for (const action of actions) grants[label].add(action);
      }
    }
    return Object.fromEntries(Object.entries(grants).map(([label, actions]) => [label, [...actions].sort()]));
  };

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
      ['DELETE /v1/admin/leads/{leadId}', 'adminLeads'],
      ['GET /v1/unsubscribe', 'unsubscribe'],
      ['POST /v1/unsubscribe', 'unsubscribe'],
      ['GET /v1/confirm', 'confirm'],
      ['POST /v1/confirm', 'confirm'],
      ['POST /v1/activities', 'activities'],
      ['GET /v1/admin/scoring', 'adminScoring'],
      ['POST /v1/admin/scoring/versions/{version}/activate', 'adminScoring'],
      ['GET /v1/admin/scoring/rescore', 'adminScoring'],
      ['GET /v1/admin/nurture', 'adminNurture'],
      ['POST /v1/admin/nurture/versions/{version}/activate', 'adminNurture'],
      ['POST /v1/admin/templates/{id}/test-send', 'adminNurture'],
      ['POST /v1/admin/broadcasts', 'adminNurture'],
      ['GET /v1/admin/broadcasts/{id}', 'adminNurture'],
      ['POST /v1/sales/claims', 'sales'],
      ['POST /v1/sales/claims/{claimToken}/extend', 'sales'],
      ['POST /v1/sales/claims/{claimToken}/release', 'sales'],
      ['POST /v1/sales/leads/{leadId}/outcome', 'sales'],
      ['GET /v1/sales/queue', 'sales'],
      ['GET /v1/webhooks/meta', 'webhooks'],
      ['POST /v1/webhooks/meta', 'webhooks'],
      ['POST /v1/webhooks/google', 'webhooks'],
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

    it('sends the five sales routes, and only those, to the sales function', () => {
      const salesRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('sales'),
      );
      expect(salesRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/sales/queue',
        'POST /v1/sales/claims',
        'POST /v1/sales/claims/{claimToken}/extend',
        'POST /v1/sales/claims/{claimToken}/release',
        'POST /v1/sales/leads/{leadId}/outcome',
      ]);
    });

    it('sends every webhook route of the shared table, and nothing else, to the webhooks function', () => {
      const webhookRoutes = ROUTES.filter((route) => route.path.startsWith('/v1/webhooks/'));
      // Meta and Google at least; LinkedIn and TikTok join through the same table.
      expect(webhookRoutes.map((route) => `${route.method} ${route.path}`)).toEqual(
        expect.arrayContaining([
          'GET /v1/webhooks/meta',
          'POST /v1/webhooks/meta',
          'POST /v1/webhooks/google',
        ]),
      );
      const servedByWebhooks = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('webhooks'),
      );
      expect(servedByWebhooks).toEqual(webhookRoutes);
    });

    it('sends the eleven nurture admin routes, and only those, to the admin-nurture function', () => {
      const nurtureRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('adminNurture'),
      );
      expect(nurtureRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/admin/broadcasts/{id}',
        'GET /v1/admin/nurture',
        'GET /v1/admin/nurture/versions/{version}/diff/{other}',
        'POST /v1/admin/broadcasts',
        'POST /v1/admin/broadcasts/preview',
        'POST /v1/admin/nurture/validate',
        'POST /v1/admin/nurture/versions',
        'POST /v1/admin/nurture/versions/{version}/activate',
        'POST /v1/admin/sequences/{id}/enrollments',
        'POST /v1/admin/sequences/{id}/preview',
        'POST /v1/admin/templates/{id}/test-send',
      ]);
    });

    it('sends the two unsubscribe routes, and only those, to the unsubscribe function', () => {
      const unsubscribeRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('unsubscribe'),
      );
      expect(unsubscribeRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/unsubscribe',
        'POST /v1/unsubscribe',
      ]);
    });

    it('sends the two double opt-in confirmation routes, and only those, to the confirm function', () => {
      const confirmRoutes = ROUTES.filter(
        (route) => functionBehindRoute(template, `${route.method} ${route.path}`) === id('confirm'),
      );
      expect(confirmRoutes.map((route) => `${route.method} ${route.path}`).sort()).toEqual([
        'GET /v1/confirm',
        'POST /v1/confirm',
      ]);
    });

    it('puts no route in front of the rescore, tick, ad-leads, ses-events and send-email functions: only their queue, schedule or topic invoke them', () => {
      const routedFunctions = ROUTES.map((route) =>
        functionBehindRoute(template, `${route.method} ${route.path}`),
      );
      for (const name of ['rescore', 'tick', 'adLeads', 'sesEvents', 'sendEmail'] as const) {
        expect(routedFunctions).not.toContain(id(name));
      }
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

    it.each([
      'formSubmission',
      'adminLeads',
      'activities',
      'adminScoring',
      'public',
      'sales',
      'webhooks',
      'unsubscribe',
      'confirm',
      'sesEvents',
    ] as const)('gives the %s function the defaults of 512 MB and 10 s', (name) => {
      expect(resourceOf(template, id(name)).Properties).toMatchObject({ MemorySize: 512, Timeout: 10 });
    });

    it('gives the rescore function 1024 MB and 60 s: it rebuilds a page of leads from their timelines', () => {
      expect(resourceOf(template, id('rescore')).Properties).toMatchObject({ MemorySize: 1024, Timeout: 60 });
    });

    it('gives the tick function 60 s: one run may re-send a backlog of pending hand-offs', () => {
      expect(resourceOf(template, id('tick')).Properties).toMatchObject({ MemorySize: 512, Timeout: 60 });
    });

    it('has tick queue no more nurture jobs a minute than send-email drains (300 per in-flight slot; 2 slots)', () => {
      expect(resourceOf(template, id('tick')).Properties).toMatchObject({
        Environment: { Variables: { LEADFLOW_NURTURE_MAX_PER_TICK: '600' } },
      });
    });

    it('gives the ad-leads function 30 s: a batch of five platform fetches, each giving up after 5 s', () => {
      expect(resourceOf(template, id('adLeads')).Properties).toMatchObject({ MemorySize: 512, Timeout: 30 });
    });

    it('gives the admin-nurture function 512 MB and 30 s: a broadcast preview pages through leads within the request', () => {
      expect(resourceOf(template, id('adminNurture')).Properties).toMatchObject({
        MemorySize: 512,
        Timeout: 30,
      });
    });

    it('gives the send-email function 60 s: a job renders and sends the due e-mails of one lead', () => {
      expect(resourceOf(template, id('sendEmail')).Properties).toMatchObject({
        MemorySize: 512,
        Timeout: 60,
      });
    });

    it('reserves two concurrent executions for send-email, its ceiling whoever invokes it, and for no other function', () => {
      expect(resourceOf(template, id('sendEmail')).Properties.ReservedConcurrentExecutions).toBe(2);
      for (const name of FUNCTION_NAMES.filter((name) => name !== 'sendEmail')) {
        expect(resourceOf(template, id(name)).Properties.ReservedConcurrentExecutions, name).toBeUndefined();
      }
    });

    it.each(FUNCTION_NAMES)('gives the %s function exactly the variables it reads', (name) => {
      const tableName = { LEADFLOW_TABLE_NAME: table('Ref') };
      const hotLeads = { LEADFLOW_QUEUE_HOT_LEADS: hotLeadQueue('Ref') };
      const rescoreJobs = { LEADFLOW_QUEUE_RESCORE_JOBS: rescoreQueue('Ref') };
      const adLeads = { LEADFLOW_QUEUE_AD_LEADS: adLeadQueue('Ref') };
      const emailJobs = { LEADFLOW_QUEUE_EMAIL_JOBS: emailJobQueue('Ref') };
      const platforms = {
        LEADFLOW_WEBHOOK_SECRETS_ARN: webhookSecrets(),
        META_GRAPH_URL: 'https://graph.facebook.com',
        META_GRAPH_VERSION: 'v21.0',
        LINKEDIN_API_URL: 'https://api.linkedin.com',
      };
      const expected: Record<FunctionName, Record<string, unknown>> = {
        formSubmission: {
          ...tableName,
          ...hotLeads,
          LEADFLOW_RATE_LIMIT_PER_IP_PER_MIN: '30',
          LEADFLOW_RATE_LIMIT_PER_EMAIL_PER_MIN: '5',
        },
        adminLeads: { ...tableName, ...hotLeads },
        activities: { ...tableName, ...hotLeads },
        adminScoring: { ...tableName, ...rescoreJobs },
        rescore: { ...tableName, ...rescoreJobs },
        public: {},
        sales: {
          ...tableName,
          ...hotLeads,
          LEADFLOW_CLAIM_WINDOW_SECONDS: '1800',
          LEADFLOW_SIGNING_SECRETS_ARN: signingSecrets(),
        },
        tick: { ...tableName, ...hotLeads, ...emailJobs, LEADFLOW_NURTURE_MAX_PER_TICK: '600' },
        webhooks: { ...tableName, ...hotLeads, ...adLeads, ...platforms },
        // The ad-leads URL too: the shared webhook wiring reads it at cold start, though this function only consumes.
        adLeads: { ...tableName, ...hotLeads, ...adLeads, ...platforms },
        unsubscribe: { ...tableName, LEADFLOW_SIGNING_SECRETS_ARN: signingSecrets() },
        // No hot-leads URL: a lead the confirmation makes hot is handed off by tick from the outbox.
        confirm: { ...tableName, LEADFLOW_SIGNING_SECRETS_ARN: signingSecrets() },
        sesEvents: { ...tableName, ...hotLeads },
        // The email-jobs URL comes with the event source and with the SendMessage binding (broadcast pages).
        // Unsubscribe links point at the HTTP API's own endpoint.
        sendEmail: {
          ...tableName,
          ...emailJobs,
          LEADFLOW_SIGNING_SECRETS_ARN: signingSecrets(),
          LEADFLOW_SES_CONFIGURATION_SET: configurationSetName(),
          LEADFLOW_PUBLIC_URL: { 'Fn::GetAtt': [logicalIdOf(built.service.api), 'ApiEndpoint'] },
        },
        // No LEADFLOW_PUBLIC_URL without a publicUrl prop: the API's endpoint here would be a dependency
        // cycle (the function is behind its routes); it links to the domain of the request instead.
        adminNurture: {
          ...tableName,
          ...emailJobs,
          LEADFLOW_SIGNING_SECRETS_ARN: signingSecrets(),
          LEADFLOW_SES_CONFIGURATION_SET: configurationSetName(),
        },
      };
      const environment = resourceOf(template, id(name)).Properties.Environment as {
        Variables: Record<string, unknown>;
      };
      const { LEADFLOW_IDENTITY_KEY: identityKey, ...variables } = environment.Variables;
      expect(variables).toEqual({ ...DEFAULT_ENV, ...expected[name] });
      // The identity key: a dynamic reference to the stateful stack's secret, resolved by CloudFormation
      // at deploy time (never its value in the template), for every function but the public one.
      if (name === 'public') expect(identityKey).toBeUndefined();
      else {
        expect(JSON.stringify(identityKey)).toContain('{{resolve:secretsmanager:');
        expect(JSON.stringify(identityKey)).toContain(JSON.stringify(identityKeySecret()).slice(1, -1));
      }
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
        // Node built-ins only, with or without the node: prefix (liquidjs imports 'fs', 'path', 'stream').
        expect(staticImports.filter((specifier) => !specifier || !isBuiltin(specifier))).toEqual([]);
      },
    );
  });

  describe('IAM', () => {
    // Exactly what each function calls (see the bind* calls in the service stack for why).
    const GRANTS: Record<FunctionName, Record<string, string[]>> = {
      formSubmission: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'hot-leads': ['sqs:SendMessage'],
      },
      // GDPR erase: deletes the lead's items and kept deliveries, keeps a hashed suppression, and
      // tells direct consumers of the hot-lead queue.
      adminLeads: {
        table: [
          'dynamodb:BatchWriteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        'hot-leads': ['sqs:SendMessage'],
      },
      activities: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'hot-leads': ['sqs:SendMessage'],
      },
      adminScoring: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan'],
        'rescore-jobs': ['sqs:SendMessage'],
      },
      rescore: {
        table: [
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:UpdateItem',
        ],
        // SendMessage from bindQueue; the rest from its SqsEventSource.
        'rescore-jobs': [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
      },
      public: {},
      sales: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        'table/index/gsi1': ['dynamodb:Query'],
        'hot-leads': ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:ReceiveMessage'],
        // Claim tokens are signed with a key derived from the signing secret.
        'signing-secrets': ['secretsmanager:GetSecretValue'],
      },
      // Reads the two sparse indexes only (hand-offs, nurture's due steps), never the table itself.
      tick: {
        table: ['dynamodb:UpdateItem'],
        'table/index/gsi1': ['dynamodb:Query'],
        'table/index/gsi2': ['dynamodb:Query'],
        'hot-leads': ['sqs:SendMessage'],
        'email-jobs': ['sqs:SendMessage'],
      },
      webhooks: {
        table: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'ad-leads': ['sqs:SendMessage'],
        'hot-leads': ['sqs:SendMessage'],
        'webhook-secrets': ['secretsmanager:GetSecretValue'],
      },
      adLeads: {
        table: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        // All from its SqsEventSource: it consumes ad-leads and never sends to it.
        'ad-leads': [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        'hot-leads': ['sqs:SendMessage'],
        'webhook-secrets': ['secretsmanager:GetSecretValue'],
      },
      unsubscribe: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        'signing-secrets': ['secretsmanager:GetSecretValue'],
      },
      // Lead, scoring model, nurture config (Get); the lead with consent granted and its activity (Put).
      confirm: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        'signing-secrets': ['secretsmanager:GetSecretValue'],
      },
      sesEvents: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'hot-leads': ['sqs:SendMessage'],
        // Lambda delivers an event the function still fails on after its retries (on-failure destination).
        'ses-events-dlq': ['sqs:SendMessage'],
      },
      sendEmail: {
        // Lead, nurture config, suppression, activity existence, broadcast (Get); lead and activities
        // (Put); a broadcast page's leads (Scan) and its count on the broadcast (Update).
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Scan', 'dynamodb:UpdateItem'],
        // SendMessage from bindQueue (the next page of a broadcast); the rest from its SqsEventSource.
        'email-jobs': [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
        'signing-secrets': ['secretsmanager:GetSecretValue'],
        'ses-identity/leadflow.example': ['ses:SendEmail'],
        'ses-configuration-set/leadflow': ['ses:SendEmail'],
      },
      adminNurture: {
        // Token, config versions, leads, suppressions, broadcasts (Get); version list (Query of the
        // table); versions, active pointer, enrolled lead, activity, broadcast (Put); preview (Scan).
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:Scan'],
        // The first page of a broadcast; it never takes jobs off.
        'email-jobs': ['sqs:SendMessage'],
        'signing-secrets': ['secretsmanager:GetSecretValue'],
        'ses-identity/leadflow.example': ['ses:SendEmail'],
        'ses-configuration-set/leadflow': ['ses:SendEmail'],
      },
    };

    it.each(FUNCTION_NAMES)(
      'lets the %s function call exactly its actions, each on its own resource',
      (name) => {
        expect(grantsOf(name)).toEqual(GRANTS[name]);
      },
    );

    it('lets only the admin-leads function batch-write (GDPR erase) and the webhook functions delete (a delivery of a person erased since), none transact, and only the jobs over every lead scan', () => {
      for (const name of FUNCTION_NAMES) {
        const actions = statementsOfRole(template, roleId(name)).flatMap(actionsOf);
        expect(
          actions.filter((action) => /^dynamodb:(Delete|Batch|Transact)|\*/.test(action)).sort(),
          name,
        ).toEqual(
          name === 'adminLeads'
            ? ['dynamodb:BatchWriteItem']
            : name === 'webhooks' || name === 'adLeads'
              ? ['dynamodb:DeleteItem']
              : [],
        );
        const scans = actions.includes('dynamodb:Scan');
        // Backtests and rescores; broadcast previews and broadcast pages.
        expect(scans, name).toBe(['adminScoring', 'rescore', 'adminNurture', 'sendEmail'].includes(name));
      }
    });

    it('reaches gsi1 only from the sales and tick functions and gsi2 only from tick, with Query only, and no index/* anywhere', () => {
      const expected: Partial<Record<FunctionName, [string, string[]][]>> = {
        sales: [['table/index/gsi1', ['dynamodb:Query']]],
        tick: [
          ['table/index/gsi1', ['dynamodb:Query']],
          ['table/index/gsi2', ['dynamodb:Query']],
        ],
      };
      for (const name of FUNCTION_NAMES) {
        const indexGrants = Object.entries(grantsOf(name)).filter(([resource]) => resource.includes('index'));
        expect(indexGrants, name).toEqual(expected[name] ?? []);
      }
    });

    it('lets only tick (lead jobs), admin-nurture and send-email (broadcast pages) put jobs on email-jobs, and only send-email take them off', () => {
      const senders = FUNCTION_NAMES.filter((name) =>
        grantsOf(name)['email-jobs']?.includes('sqs:SendMessage'),
      );
      const receivers = FUNCTION_NAMES.filter((name) =>
        grantsOf(name)['email-jobs']?.includes('sqs:ReceiveMessage'),
      );
      expect(senders).toEqual(['tick', 'sendEmail', 'adminNurture']);
      expect(receivers).toEqual(['sendEmail']);
    });

    it('lets send-email and admin-nurture (proofs), and no other function, send e-mail: ses:SendEmail on the sender identity and the leadflow configuration set only', () => {
      const senders = FUNCTION_NAMES.filter((name) => statementsFor(name, 'ses').length > 0);
      expect(senders).toEqual(['sendEmail', 'adminNurture']);
      for (const name of senders) {
        expect(statementsFor(name, 'ses'), name).toEqual([
          {
            Action: 'ses:SendEmail',
            Effect: 'Allow',
            Resource: [
              sesArn(':identity/leadflow.example'),
              sesArn(':configuration-set/', configurationSetName()),
            ],
          },
        ]);
      }
    });

    it('lets only the sales function take hot leads off the queue, and it cannot put one on', () => {
      const receivers = FUNCTION_NAMES.filter((name) =>
        grantsOf(name)['hot-leads']?.includes('sqs:ReceiveMessage'),
      );
      expect(receivers).toEqual(['sales']);
      expect(grantsOf('sales')['hot-leads']).not.toContain('sqs:SendMessage');
    });

    it('keeps the scoring and nurture functions off hot-leads and the hand-off functions off rescore-jobs', () => {
      for (const name of ['adminScoring', 'rescore', 'adminNurture', 'sendEmail'] as const)
        expect(grantsOf(name)['hot-leads']).toBeUndefined();
      for (const name of ['formSubmission', 'activities', 'sales', 'tick', 'webhooks', 'adLeads'] as const) {
        expect(grantsOf(name)['rescore-jobs']).toBeUndefined();
      }
    });

    it('lets only the webhooks function put leads on ad-leads, and only the ad-leads function take them off', () => {
      const senders = FUNCTION_NAMES.filter((name) =>
        grantsOf(name)['ad-leads']?.includes('sqs:SendMessage'),
      );
      const receivers = FUNCTION_NAMES.filter((name) =>
        grantsOf(name)['ad-leads']?.includes('sqs:ReceiveMessage'),
      );
      expect(senders).toEqual(['webhooks']);
      expect(receivers).toEqual(['adLeads']);
    });

    it('lets the webhooks and ad-leads functions read the webhook secrets, with GetSecretValue on that secret only', () => {
      for (const name of ['webhooks', 'adLeads'] as const) {
        expect(statementsFor(name, 'secretsmanager')).toEqual([
          { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: webhookSecrets() },
        ]);
      }
    });

    it('lets the unsubscribe, confirm, send-email, admin-nurture and sales functions read the signing secrets, with GetSecretValue on that secret only', () => {
      for (const name of ['unsubscribe', 'confirm', 'sendEmail', 'adminNurture', 'sales'] as const) {
        expect(statementsFor(name, 'secretsmanager')).toEqual([
          { Action: 'secretsmanager:GetSecretValue', Effect: 'Allow', Resource: signingSecrets() },
        ]);
      }
    });

    it('lets no other role in either stack touch Secrets Manager: each secret is read by its functions only', () => {
      const secrets = {
        'webhook-secrets': logicalIdOf(built.stateful.webhookSecrets),
        'signing-secrets': logicalIdOf(built.stateful.signingSecrets),
      };
      const readers: Record<string, string[]> = {};
      for (const stack of [built.service, built.stateful]) {
        const policies = Template.fromStack(stack).findResources('AWS::IAM::Policy') as Record<
          string,
          { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: PolicyStatement[] } } }
        >;
        for (const policy of Object.values(policies)) {
          for (const statement of policy.Properties.PolicyDocument.Statement) {
            const resource = JSON.stringify(statement.Resource);
            const named = Object.entries(secrets).filter(([, id]) => resource.includes(id));
            const touchesService = actionsOf(statement).some(
              (action) => action.startsWith('secretsmanager:') || action === '*',
            );
            const labels =
              named.length > 0 ? named.map(([label]) => label) : touchesService ? [resource] : [];
            for (const label of labels) {
              readers[label] = [
                ...(readers[label] ?? []),
                ...policy.Properties.Roles.map((role) => role.Ref),
              ];
            }
          }
        }
      }
      expect(
        Object.fromEntries(Object.entries(readers).map(([label, roles]) => [label, roles.sort()])),
      ).toEqual({
        'webhook-secrets': [roleId('adLeads'), roleId('webhooks')].sort(),
        'signing-secrets': [
          roleId('adminNurture'),
          roleId('confirm'),
          roleId('sales'),
          roleId('sendEmail'),
          roleId('unsubscribe'),
        ].sort(),
      });
      // Nor through a resource policy on a secret: IAM alone decides who reads it.
      Template.fromStack(built.stateful).resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
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
    it('maps each queue of the shared consumer table, and no other', () => {
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', QUEUE_CONSUMERS.length);
    });

    it('feeds the rescore function from rescore-jobs one message at a time, at most two at once', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: id('rescore') },
        EventSourceArn: rescoreQueue('Arn'),
        BatchSize: 1,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('feeds the ad-leads function from ad-leads five messages at a time, at most five at once, retrying failed leads alone', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: id('adLeads') },
        EventSourceArn: adLeadQueue('Arn'),
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      });
    });

    it('feeds the send-email function from email-jobs five jobs a batch (run in turn), at most two at once, retrying failed jobs alone', () => {
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: id('sendEmail') },
        EventSourceArn: emailJobQueue('Arn'),
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('feeds every queue consumer of the shared table (the one the local stack polls) from its queue', () => {
      const queues = {
        'rescore-jobs': built.stateful.rescoreQueue.queue,
        'ad-leads': built.stateful.adLeadQueue.queue,
        'email-jobs': built.stateful.emailJobQueue.queue,
      } as const;
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

    it.each([
      ['rescore', 'rescoreQueue'],
      ['adLeads', 'adLeadQueue'],
      ['sendEmail', 'emailJobQueue'],
    ] as const)(
      'hides a message for six times the %s function timeout while its batch runs',
      (name, queue) => {
        const timeout = resourceOf(template, id(name)).Properties.Timeout as number;
        const { Properties } = Template.fromStack(built.stateful).toJSON().Resources[
          logicalIdOf(built.stateful[queue].queue)
        ] as { Properties: { VisibilityTimeout: number } };
        expect(Properties.VisibilityTimeout).toBe(6 * timeout);
      },
    );
  });

  describe('topic consumers', () => {
    const topics = () => ({ 'ses-events': built.stateful.sesEvents.topic }) as const;

    it('subscribes every topic consumer of the shared table to its topic, and nothing else', () => {
      template.resourceCountIs('AWS::SNS::Subscription', SNS_CONSUMERS.length);
      for (const consumer of SNS_CONSUMERS) {
        template.hasResourceProperties('AWS::SNS::Subscription', {
          Protocol: 'lambda',
          Endpoint: { 'Fn::GetAtt': [id(FUNCTION_OF_ENTRY[consumer.handler]), 'Arn'] },
          TopicArn: { 'Fn::ImportValue': exportOf(built.stateful, topics()[consumer.topic], 'Ref') },
        });
      }
    });

    it('parks what SNS cannot deliver to the ses-events function on ses-events-dlq', () => {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Endpoint: { 'Fn::GetAtt': [id('sesEvents'), 'Arn'] },
        TopicArn: sesEventsTopic(),
        RedrivePolicy: { deadLetterTargetArn: sesEventsDlq() },
      });
    });

    it('sends an event the ses-events function still fails on after two retries to the same dead-letter queue', () => {
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: id('sesEvents') },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: sesEventsDlq() } },
      });
    });

    it('lets the ses-events topic, and nothing else, invoke the ses-events function', () => {
      const invokers = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { FunctionName: { 'Fn::GetAtt': [id('sesEvents'), 'Arn'] } },
        }),
      ) as { Properties: Record<string, unknown> }[];
      expect(invokers.map((permission) => permission.Properties)).toEqual([
        {
          Action: 'lambda:InvokeFunction',
          FunctionName: { 'Fn::GetAtt': [id('sesEvents'), 'Arn'] },
          Principal: 'sns.amazonaws.com',
          SourceArn: sesEventsTopic(),
        },
      ]);
    });

    it('lets only the ses-events function (through Lambda) put events on ses-events-dlq, and no function read it', () => {
      const users = FUNCTION_NAMES.filter((name) => grantsOf(name)['ses-events-dlq'] !== undefined);
      expect(users).toEqual(['sesEvents']);
      expect(grantsOf('sesEvents')['ses-events-dlq']).toEqual(['sqs:SendMessage']);
    });
  });

  describe('schedules', () => {
    it('runs every scheduled handler of the shared table (the one the local server runs) from a rule of its own', () => {
      template.resourceCountIs('AWS::Events::Rule', SCHEDULED.length);
      for (const { handler } of SCHEDULED) {
        const rule = resourceOf(template, logicalIdOf(built.service.schedules[handler]));
        expect(rule.Properties.Targets).toEqual([
          expect.objectContaining({ Arn: { 'Fn::GetAtt': [id(FUNCTION_OF_ENTRY[handler]), 'Arn'] } }),
        ]);
      }
    });

    it('runs tick every minute, without retrying a failed run (the next one comes a minute later)', () => {
      expect(resourceOf(template, logicalIdOf(built.service.schedules.tick)).Properties).toMatchObject({
        ScheduleExpression: 'rate(1 minute)',
        State: 'ENABLED',
        Targets: [
          {
            Arn: { 'Fn::GetAtt': [id('tick'), 'Arn'] },
            Id: expect.any(String),
            RetryPolicy: { MaximumRetryAttempts: 0 },
          },
        ],
      });
    });

    it('lets EventBridge invoke tick from that rule only', () => {
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [id('tick'), 'Arn'] },
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [logicalIdOf(built.service.schedules.tick), 'Arn'] },
      });
      const invokers = Object.values(
        template.findResources('AWS::Lambda::Permission', {
          Properties: { FunctionName: { 'Fn::GetAtt': [id('tick'), 'Arn'] } },
        }),
      );
      expect(invokers).toHaveLength(1);
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

  it('takes the claim window of the sales function from its props', () => {
    const { service } = buildApp({ context: SKIP_BUNDLING, service: { claimWindowSeconds: 600 } });
    const sales = resourceOf(Template.fromStack(service), logicalIdOf(service.functions.sales.function));
    expect(sales.Properties.Environment).toMatchObject({
      Variables: { LEADFLOW_CLAIM_WINDOW_SECONDS: '600' },
    });
  });

  it('refuses a claim window SQS would reject as a visibility timeout (over 12 hours) or the function at cold start', () => {
    for (const claimWindowSeconds of [0, 90.5, 43_201]) {
      expect(() => buildApp({ context: SKIP_BUNDLING, service: { claimWindowSeconds } })).toThrow(
        /claimWindowSeconds must be an integer from 1 to 43200/,
      );
    }
  });

  it('takes the platform API base URLs and the Graph API version from its props, for both webhook functions', () => {
    const { service } = buildApp({
      context: SKIP_BUNDLING,
      service: {
        metaGraphUrl: 'https://graph.staging.example.com',
        metaGraphVersion: 'v22.0',
        linkedinApiUrl: 'https://linkedin.staging.example.com/api',
      },
    });
    const template = Template.fromStack(service);
    for (const fn of [service.functions.webhooks, service.functions.adLeads]) {
      expect(resourceOf(template, logicalIdOf(fn.function)).Properties.Environment).toMatchObject({
        Variables: {
          META_GRAPH_URL: 'https://graph.staging.example.com',
          META_GRAPH_VERSION: 'v22.0',
          LINKEDIN_API_URL: 'https://linkedin.staging.example.com/api',
        },
      });
    }
  });

  it('refuses a platform API URL that is not an absolute https base URL, and a malformed Graph API version', () => {
    for (const metaGraphUrl of ['http://graph.facebook.com', 'graph.facebook.com', 'https://x.test/?a=1']) {
      expect(() => buildApp({ context: SKIP_BUNDLING, service: { metaGraphUrl } })).toThrow(
        /metaGraphUrl must be an https base URL/,
      );
    }
    expect(() =>
      buildApp({ context: SKIP_BUNDLING, service: { linkedinApiUrl: 'ftp://api.linkedin.com' } }),
    ).toThrow(/linkedinApiUrl must be an https base URL/);
    for (const metaGraphVersion of ['21.0', 'v21', 'v21.0/../me']) {
      expect(() => buildApp({ context: SKIP_BUNDLING, service: { metaGraphVersion } })).toThrow(
        /metaGraphVersion must look like v21.0/,
      );
    }
  });

  it('takes the pace of send-email from its props: batch size, maximum and reserved concurrency', () => {
    const { service } = buildApp({
      context: SKIP_BUNDLING,
      service: { emailSending: { batchSize: 8, maxConcurrency: 4, reservedConcurrency: 6 } },
    });
    const template = Template.fromStack(service);
    const fn = logicalIdOf(service.functions.sendEmail.function);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: fn },
      BatchSize: 8,
      ScalingConfig: { MaximumConcurrency: 4 },
    });
    expect(resourceOf(template, fn).Properties.ReservedConcurrentExecutions).toBe(6);
    // tick follows the pace: 300 jobs a minute per invocation in flight, whatever the batch size.
    expect(resourceOf(template, logicalIdOf(service.functions.tick.function)).Properties).toMatchObject({
      Environment: { Variables: { LEADFLOW_NURTURE_MAX_PER_TICK: '1200' } },
    });
  });

  it('reserves as much concurrency as the event source may use when only maxConcurrency is given', () => {
    const { service } = buildApp({
      context: SKIP_BUNDLING,
      service: { emailSending: { maxConcurrency: 3 } },
    });
    const fn = resourceOf(Template.fromStack(service), logicalIdOf(service.functions.sendEmail.function));
    expect(fn.Properties.ReservedConcurrentExecutions).toBe(3);
  });

  it('refuses a pace SQS or Lambda would reject, or reserved concurrency below what the event source may use', () => {
    for (const [emailSending, error] of [
      [{ batchSize: 0 }, /batchSize must be an integer from 1 to 10/],
      [{ batchSize: 11 }, /batchSize must be an integer from 1 to 10/],
      [{ maxConcurrency: 1 }, /maxConcurrency must be an integer from 2 to 1000/],
      [{ maxConcurrency: 2.5 }, /maxConcurrency must be an integer from 2 to 1000/],
      [
        { maxConcurrency: 4, reservedConcurrency: 3 },
        /reservedConcurrency must be an integer of at least maxConcurrency \(4\)/,
      ],
    ] as const) {
      expect(() => buildApp({ context: SKIP_BUNDLING, service: { emailSending } })).toThrow(error);
    }
  });

  it('points unsubscribe links at a public URL from its props (a custom domain), and refuses one that is not https', () => {
    const { service } = buildApp({
      context: SKIP_BUNDLING,
      service: { publicUrl: 'https://api.leadflow.example' },
    });
    const template = Template.fromStack(service);
    // admin-nurture too (its previews sign real links); without the prop it has no LEADFLOW_PUBLIC_URL.
    for (const name of ['sendEmail', 'adminNurture'] as const) {
      const fn = resourceOf(template, logicalIdOf(service.functions[name].function));
      expect(fn.Properties.Environment, name).toMatchObject({
        Variables: { LEADFLOW_PUBLIC_URL: 'https://api.leadflow.example' },
      });
    }
    expect(() =>
      buildApp({ context: SKIP_BUNDLING, service: { publicUrl: 'http://api.leadflow.example' } }),
    ).toThrow(/publicUrl must be an https base URL/);
  });

  it('lets send-email and admin-nurture send as the sender identity from the app props or the leadflow:senderIdentity context', () => {
    const identityIn = (service: LeadflowApp['service'], name: 'sendEmail' | 'adminNurture') =>
      JSON.stringify(
        statementsOfRole(Template.fromStack(service), logicalIdOf(service.functions[name].role)).find(
          (statement) => actionsOf(statement).includes('ses:SendEmail'),
        )?.Resource,
      );
    const fromProps = buildApp({ context: SKIP_BUNDLING, senderIdentity: 'news@mail.example.com' });
    const fromContext = buildApp({
      context: { ...SKIP_BUNDLING, 'leadflow:senderIdentity': 'mail.example.com' },
    });
    for (const name of ['sendEmail', 'adminNurture'] as const) {
      expect(identityIn(fromProps.service, name)).toContain(':identity/news@mail.example.com"');
      expect(identityIn(fromContext.service, name)).toContain(':identity/mail.example.com"');
      expect(identityIn(fromContext.service, name)).not.toContain('leadflow.example');
    }
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
  // Only the exports: an output for operators (TableName) may carry the same value.
  const outputs = (
    Object.values(Template.fromStack(stack).findOutputs('*', { Value: value })) as {
      Export?: { Name: string };
    }[]
  ).filter((output) => output.Export);
  const name = outputs[0]?.Export?.Name;
  if (outputs.length !== 1 || !name) throw new Error(`expected one export of ${id} ${attribute}`);
  return name;
}

function onlyOne<T>(items: T[]): T {
  const [item, ...rest] = items;
  if (item === undefined || rest.length > 0) throw new Error(`expected exactly one, got ${items.length}`);
  return item;
}
