import { existsSync, readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadflowApp } from '../../infra/build-app';
import { esbuildOptions } from '../../infra/constructs/bundling';
import { integrationsConfigJson } from '../../infra/constructs/connectors';
import {
  buildServiceTemplates,
  DEFAULT_ENV,
  FUNCTION_NAMES,
  type FunctionName,
  serviceHelpers,
} from './service-fixture';
import { actionsOf, logicalIdOf, resourceOf, SYNTH_TIMEOUT } from './support';

describe('service stack: functions', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  beforeAll(() => {
    ({ built, template } = buildServiceTemplates({ bundle: true }));
  }, SYNTH_TIMEOUT.timeout);
  const {
    id,
    statementsFor,
    table,
    rescoreQueue,
    hotLeadQueue,
    adLeadQueue,
    emailJobQueue,
    exportQueue,
    importQueue,
    deliveryQueue,
    deliveryDlq,
    exportBucket,
    webhookSecrets,
    signingSecrets,
    integrationSecrets,
    identityKeySecret,
    configurationSetName,
    transactionalSetName,
  } = serviceHelpers(() => ({ built, template }));

  describe('functions', () => {
    it('runs every function (and the SES pause of operations) on Node.js 22, arm64, with active tracing', () => {
      const all = FUNCTION_NAMES.length + 1;
      template.resourceCountIs('AWS::Lambda::Function', all);
      template.resourcePropertiesCountIs(
        'AWS::Lambda::Function',
        {
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
        },
        all,
      );
      expect(id('sesEvents')).not.toBe(logicalIdOf(built.service.operations.sesPause.fn.function));
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

    it('reserves no concurrency by default (a fresh account has a quota of 10): the event source alone paces send-email', () => {
      for (const name of FUNCTION_NAMES) {
        expect(resourceOf(template, id(name)).Properties.ReservedConcurrentExecutions, name).toBeUndefined();
      }
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: id('sendEmail') },
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });

    it('lets rescore, send-email and lead-import, which queue their own next page, loop through their queue; every other function is stopped by Lambda', () => {
      for (const name of FUNCTION_NAMES) {
        const expected =
          name === 'rescore' || name === 'sendEmail' || name === 'leadImport' ? 'Allow' : undefined;
        expect(resourceOf(template, id(name)).Properties.RecursiveLoop, name).toBe(expected);
      }
    });

    it('lets every traced function put its trace segments and telemetry (X-Ray takes no resource ARN)', () => {
      for (const name of FUNCTION_NAMES) {
        expect(
          statementsFor(name, 'xray').map((statement) => [actionsOf(statement).sort(), statement.Resource]),
          name,
        ).toEqual([[['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], '*']]);
      }
    });

    it.each(FUNCTION_NAMES)('gives the %s function exactly the variables it reads', (name) => {
      const tableName = { LEADFLOW_TABLE_NAME: table('Ref') };
      // config/integrations.yaml, validated at synth: the fan-out (tick, an erase) and the worker
      // know which connectors are on; only the worker reads their tokens.
      const connectors = { LEADFLOW_INTEGRATIONS_CONFIG: integrationsConfigJson('config') };
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
        adminLeads: {
          ...tableName,
          ...hotLeads,
          LEADFLOW_EXPORTS_BUCKET: exportBucket('Ref'),
          LEADFLOW_QUEUE_INTEGRATION_DELIVERIES: deliveryQueue('Ref'),
          ...connectors,
        },
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
        tick: {
          ...tableName,
          ...hotLeads,
          ...emailJobs,
          LEADFLOW_QUEUE_INTEGRATION_DELIVERIES: deliveryQueue('Ref'),
          ...connectors,
          LEADFLOW_NURTURE_MAX_PER_TICK: '600',
          LEADFLOW_REPORT_TIME_ZONE: 'UTC',
          // The raw event archive, found by its stage name (no cross-stack token).
          LEADFLOW_EVENTS_BUCKET: {
            'Fn::Join': [
              '',
              ['leadflow-dev-events-', { Ref: 'AWS::AccountId' }, '-', { Ref: 'AWS::Region' }],
            ],
          },
        },
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
          LEADFLOW_SES_TRANSACTIONAL_CONFIGURATION_SET: transactionalSetName(),
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
        adminLeadExports: {
          ...tableName,
          LEADFLOW_QUEUE_LEAD_EXPORTS: exportQueue('Ref'),
          LEADFLOW_EXPORTS_BUCKET: exportBucket('Ref'),
        },
        // The queue URL comes with the event source (the function never sends).
        leadExport: {
          ...tableName,
          LEADFLOW_QUEUE_LEAD_EXPORTS: exportQueue('Ref'),
          LEADFLOW_EXPORTS_BUCKET: exportBucket('Ref'),
        },
        adminLeadImports: {
          ...tableName,
          LEADFLOW_QUEUE_LEAD_IMPORTS: importQueue('Ref'),
          LEADFLOW_EXPORTS_BUCKET: exportBucket('Ref'),
        },
        // The queue URL comes with the event source and with the SendMessage binding (the next page).
        leadImport: {
          ...tableName,
          LEADFLOW_QUEUE_LEAD_IMPORTS: importQueue('Ref'),
          LEADFLOW_EXPORTS_BUCKET: exportBucket('Ref'),
        },
        reports: { ...tableName, LEADFLOW_REPORT_TIME_ZONE: 'UTC' },
        adminWebhooks: { ...tableName, LEADFLOW_QUEUE_INTEGRATION_DELIVERIES: deliveryQueue('Ref') },
        // Forms are config versions in the table (and this week's submissions the sources rollup, in the
        // reports' time zone); like admin-nurture, no LEADFLOW_PUBLIC_URL without a
        // publicUrl prop (the embed snippet points at the request's domain instead).
        adminForms: { ...tableName, LEADFLOW_REPORT_TIME_ZONE: 'UTC' },
        // Retries go back on its own queue; used-up ones to its DLQ.
        integrationDeliveries: {
          ...tableName,
          LEADFLOW_QUEUE_INTEGRATION_DELIVERIES: deliveryQueue('Ref'),
          LEADFLOW_QUEUE_INTEGRATION_DELIVERIES_DLQ: deliveryDlq('Ref'),
          ...connectors,
          LEADFLOW_INTEGRATIONS_SECRET_ARN: integrationSecrets(),
        },
      };
      const environment = resourceOf(template, id(name)).Properties.Environment as {
        Variables: Record<string, unknown>;
      };
      const { LEADFLOW_IDENTITY_KEY: identityKey, ...variables } = environment.Variables;
      expect(variables).toEqual({ ...DEFAULT_ENV, ...expected[name] });
      // The identity key: a dynamic reference to the stateful stack's secret, resolved by CloudFormation
      // at deploy time (never its value in the template), for every function but the public one and the
      // export functions (they derive no lead id or suppression key).
      if (
        [
          'public',
          'adminLeadExports',
          'leadExport',
          // The import API reads files and jobs; the worker derives the lead ids.
          'adminLeadImports',
          'reports',
          'adminWebhooks',
          'integrationDeliveries',
          // Form versions and the embed snippet: no lead id is derived.
          'adminForms',
        ].includes(name)
      )
        expect(identityKey).toBeUndefined();
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
});
