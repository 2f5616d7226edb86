import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadflowApp } from '../../infra/build-app';
import {
  buildServiceTemplates,
  FUNCTION_NAMES,
  type FunctionName,
  onlyOne,
  serviceHelpers,
} from './service-fixture';
import {
  actionsOf,
  logicalIdOf,
  type PolicyStatement,
  resourceOf,
  SYNTH_TIMEOUT,
  statementsOfRole,
} from './support';

describe('service stack: IAM', SYNTH_TIMEOUT, () => {
  let built: LeadflowApp;
  let template: Template;
  beforeAll(() => {
    ({ built, template } = buildServiceTemplates({ bundle: false }));
  }, SYNTH_TIMEOUT.timeout);
  const {
    roleId,
    statementsFor,
    rescoreQueue,
    webhookSecrets,
    signingSecrets,
    configurationSetName,
    transactionalSetName,
    sesArn,
    grantsOf,
  } = serviceHelpers(() => ({ built, template }));

  describe('IAM', () => {
    // Exactly what each function calls (see the bind* calls in the service stack for why).
    const GRANTS: Record<FunctionName, Record<string, string[]>> = {
      formSubmission: {
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'hot-leads': ['sqs:SendMessage'],
      },
      // GDPR erase: deletes the lead's items and kept deliveries, keeps a hashed suppression, and
      // tells direct consumers of the hot-lead queue.
      // A saved segment's list pages every lead: gsi3's keys, then BatchGetItem of the leads.
      adminLeads: {
        table: [
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        ...Object.fromEntries(
          ['gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7', 'gsi8', 'gsi9'].map((index) => [
            `table/index/${index}`,
            ['dynamodb:Query'],
          ]),
        ),
        'hot-leads': ['sqs:SendMessage'],
        // lead.erased to the fan-out.
        'integration-deliveries': ['sqs:SendMessage'],
        // An erase deletes the recent background exports' files; it reads none.
        'lead-exports-bucket/exports/*': ['s3:DeleteObject'],
      },
      activities: {
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'hot-leads': ['sqs:SendMessage'],
      },
      adminScoring: {
        // Backtests page through leads: the leads index, then the lead items (BatchGet). Adding and
        // activating a version updates the version and config index items (who and when).
        table: [
          'dynamodb:BatchGetItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        'table/index/gsi3': ['dynamodb:Query'],
        'rescore-jobs': ['sqs:SendMessage'],
      },
      rescore: {
        table: [
          'dynamodb:BatchGetItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        'table/index/gsi3': ['dynamodb:Query'],
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
      // Queries the sparse indexes (hand-offs and broadcasts in gsi1, nurture's due steps, uncounted
      // timeline entries); reads report cursors and the uncounted entries with their leads by key; the
      // email report's rollups for an A/B test's winner (Query of the table).
      tick: {
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        'table/index/gsi1': ['dynamodb:Query'],
        'table/index/gsi10': ['dynamodb:Query'],
        'table/index/gsi11': ['dynamodb:Query'],
        'table/index/gsi2': ['dynamodb:Query'],
        'hot-leads': ['sqs:SendMessage'],
        'email-jobs': ['sqs:SendMessage'],
        // One message per integration event and destination (the publisher).
        'integration-deliveries': ['sqs:SendMessage'],
        // Each counted batch of entries to the raw event archive: put only, events/ only.
        'events-bucket/events/*': ['s3:PutObject'],
      },
      webhooks: {
        table: [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
        'ad-leads': ['sqs:SendMessage'],
        'hot-leads': ['sqs:SendMessage'],
        'webhook-secrets': ['secretsmanager:GetSecretValue'],
      },
      adLeads: {
        table: [
          'dynamodb:BatchGetItem',
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
        ],
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
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'],
        'signing-secrets': ['secretsmanager:GetSecretValue'],
      },
      sesEvents: {
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'hot-leads': ['sqs:SendMessage'],
        // Lambda delivers an event the function still fails on after its retries (on-failure destination).
        'ses-events-dlq': ['sqs:SendMessage'],
      },
      sendEmail: {
        // Lead, nurture config, suppression, activity existence, broadcast (Get); lead and activities
        // (Put); a broadcast page's leads (the leads index, then BatchGet) and its count on the
        // broadcast (Update).
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'table/index/gsi3': ['dynamodb:Query'],
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
        // Double opt-in confirmations: the set the SES pause leaves on.
        'ses-configuration-set/leadflow-transactional': ['ses:SendEmail'],
      },
      adminNurture: {
        // Token, config versions, leads, suppressions, broadcasts (Get); version list (Query of the
        // table); versions, active pointer, enrolled lead, activity, broadcast (Put); preview (the
        // leads index, then BatchGet); the broadcast list (gsi1) and a cancel (Update); results
        // from the email report's rollups (Query of the table); a segment count (the segment facts
        // index gsi12, the suppression list whole from gsi13 once marked, a page at a time by
        // BatchGet before).
        table: [
          'dynamodb:BatchGetItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        'table/index/gsi1': ['dynamodb:Query'],
        'table/index/gsi3': ['dynamodb:Query'],
        'table/index/gsi12': ['dynamodb:Query'],
        'table/index/gsi13': ['dynamodb:Query'],
        // The first page of a broadcast; it never takes jobs off.
        'email-jobs': ['sqs:SendMessage'],
        'signing-secrets': ['secretsmanager:GetSecretValue'],
        'ses-identity/leadflow.example': ['ses:SendEmail'],
        'ses-configuration-set/leadflow': ['ses:SendEmail'],
      },
      // Starts an export (its job, its message) and presigns the file's download: GetObject on exports/ only.
      // A report's rollup rows and the aggregator's cursors (Query), the API token (Get): no index, no write.
      reports: { table: ['dynamodb:GetItem', 'dynamodb:Query'] },
      adminLeadExports: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem'],
        'lead-exports': ['sqs:SendMessage'],
        'lead-exports-bucket/exports/*': ['s3:GetObject'],
      },
      // Reads the rows from the list and search indexes, updates the job, writes the file: no read of files.
      leadExport: {
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        ...Object.fromEntries(
          ['gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7', 'gsi8', 'gsi9'].map((index) => [
            `table/index/${index}`,
            ['dynamodb:Query'],
          ]),
        ),
        // All from its SqsEventSource: it consumes lead-exports and never sends to it.
        'lead-exports': [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
        ],
        // Writes the file; deletes it when an erase withdrew the export while it ran.
        'lead-exports-bucket/exports/*': ['s3:DeleteObject', 's3:PutObject'],
      },
      // Makes, starts and follows imports (job Get/Put/Update, error report Query), queues the first page,
      // presigns the upload (PutObject) and reads the header row (GetObject): imports/ only, no delete.
      adminLeadImports: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
        'lead-imports': ['sqs:SendMessage'],
        'lead-exports-bucket/imports/*': ['s3:GetObject', 's3:PutObject'],
      },
      // Records rows as ad leads are recorded (no index, no Query, no delete of items), queues the next
      // page, reads the file by range and deletes it after a real run: no write of files.
      leadImport: {
        table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        'lead-imports': [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
        'lead-exports-bucket/imports/*': ['s3:DeleteObject', 's3:GetObject'],
      },
      // Webhook endpoints (one partition), their delivery log; a replay queues a delivery again.
      // Form versions, the active copy, the index of forms (UpdateItem) and the nurture config (double opt-in).
      adminForms: {
        table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'],
      },
      adminWebhooks: {
        table: ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query'],
        'integration-deliveries': ['sqs:SendMessage'],
      },
      // Reads the destination and the lead, logs the attempt, updates the endpoint's health; queues
      // its retries on its own queue and parks used-up ones on the DLQ.
      // Slack's posted marks and HubSpot's contact links too (deleted once the contact is GDPR-deleted),
      // and the Slack and HubSpot tokens.
      integrationDeliveries: {
        table: [
          'dynamodb:DeleteItem',
          'dynamodb:GetItem',
          'dynamodb:PutItem',
          'dynamodb:Query',
          'dynamodb:UpdateItem',
        ],
        'integration-secrets': ['secretsmanager:GetSecretValue'],
        'integration-deliveries': [
          'sqs:ChangeMessageVisibility',
          'sqs:DeleteMessage',
          'sqs:GetQueueAttributes',
          'sqs:GetQueueUrl',
          'sqs:ReceiveMessage',
          'sqs:SendMessage',
        ],
        'integration-deliveries-dlq': ['sqs:SendMessage'],
      },
    };

    it.each(FUNCTION_NAMES)(
      'lets the %s function call exactly its actions, each on its own resource',
      (name) => {
        expect(grantsOf(name)).toEqual(GRANTS[name]);
      },
    );

    it('lets only the admin-leads function batch-write (GDPR erase) the webhook functions delete (a delivery of a person erased since) and admin-webhooks an endpoint, none transact, and none scans', () => {
      for (const name of FUNCTION_NAMES) {
        const actions = statementsOfRole(template, roleId(name)).flatMap(actionsOf);
        expect(
          actions.filter((action) => /^dynamodb:(Delete|BatchWrite|Transact)|\*/.test(action)).sort(),
          name,
        ).toEqual(
          name === 'adminLeads'
            ? ['dynamodb:BatchWriteItem']
            : name === 'webhooks' ||
                name === 'adLeads' ||
                name === 'adminWebhooks' ||
                name === 'integrationDeliveries'
              ? ['dynamodb:DeleteItem']
              : [],
        );
        // Jobs over every lead (backtests, rescores, broadcasts and their previews) page the leads index.
        expect(
          actions.filter((action) => /^dynamodb:Scan/.test(action)),
          name,
        ).toEqual([]);
      }
    });

    it('reaches gsi1 only from the sales, tick and admin-nurture (the broadcast list) functions, gsi2, gsi10 (uncounted timeline entries) and gsi11 (unpublished ones) only from tick, gsi3 (leads) only from the jobs over every lead and the segment list and export, gsi12 (segment facts) and gsi13 (the suppression list) only from admin-nurture (segment counts), the list indexes only from admin-leads and the export worker, with Query only, and no index/* anywhere', () => {
      const leadPages: [string, string[]][] = [['table/index/gsi3', ['dynamodb:Query']]];
      const expected: Partial<Record<FunctionName, [string, string[]][]>> = {
        adminScoring: leadPages,
        rescore: leadPages,
        sendEmail: leadPages,
        // gsi12 (segment facts) and gsi13 (the suppression list): segment counts.
        adminNurture: [
          ['table/index/gsi1', ['dynamodb:Query']],
          ['table/index/gsi12', ['dynamodb:Query']],
          ['table/index/gsi13', ['dynamodb:Query']],
          ...leadPages,
        ],
        sales: [['table/index/gsi1', ['dynamodb:Query']]],
        // The lead list (three sort orders) and its search (email, name, company); the background export reads the same.
        // gsi3 too: a saved segment's list and export page every lead.
        adminLeads: ['gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7', 'gsi8', 'gsi9'].map((index) => [
          `table/index/${index}`,
          ['dynamodb:Query'],
        ]),
        leadExport: ['gsi3', 'gsi4', 'gsi5', 'gsi6', 'gsi7', 'gsi8', 'gsi9'].map((index) => [
          `table/index/${index}`,
          ['dynamodb:Query'],
        ]),
        tick: [
          ['table/index/gsi1', ['dynamodb:Query']],
          ['table/index/gsi2', ['dynamodb:Query']],
          ['table/index/gsi10', ['dynamodb:Query']],
          ['table/index/gsi11', ['dynamodb:Query']],
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

    it('lets send-email and admin-nurture (proofs), and no other function, send e-mail: ses:SendEmail on the sender identity and the leadflow configuration set, and the transactional set for send-email (confirmations) only', () => {
      const senders = FUNCTION_NAMES.filter((name) => statementsFor(name, 'ses').length > 0);
      expect(senders).toEqual(['sendEmail', 'adminNurture']);
      const marketing = [
        sesArn(':identity/leadflow.example'),
        sesArn(':configuration-set/', configurationSetName()),
      ];
      expect(statementsFor('sendEmail', 'ses')).toEqual([
        {
          Action: 'ses:SendEmail',
          Effect: 'Allow',
          Resource: [...marketing, sesArn(':configuration-set/', transactionalSetName())],
        },
      ]);
      expect(statementsFor('adminNurture', 'ses')).toEqual([
        { Action: 'ses:SendEmail', Effect: 'Allow', Resource: marketing },
      ]);
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
        'integration-secrets': logicalIdOf(built.stateful.integrationSecrets),
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
        'integration-secrets': [roleId('integrationDeliveries')],
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
});
