import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  HttpApi,
  type HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  LogGroupLogDestination,
  type ThrottleSettings,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  CLAIM_WINDOW_SECONDS_ENV,
  CONFIG_DEFAULTS,
  IDENTITY_KEY_ENV,
  LINKEDIN_API_URL_ENV,
  META_GRAPH_URL_ENV,
  META_GRAPH_VERSION_ENV,
  NURTURE_MAX_PER_TICK_ENV,
  PUBLIC_URL_ENV,
  RATE_LIMIT_PER_EMAIL_PER_MIN_ENV,
  RATE_LIMIT_PER_IP_PER_MIN_ENV,
  SIGNING_SECRETS_ARN_ENV,
  WEBHOOK_SECRETS_ARN_ENV,
} from '../../functions/shared/env-names';
import {
  type HandlerName,
  QUEUE_CONSUMERS,
  ROUTES,
  SCHEDULED,
  SNS_CONSUMERS,
} from '../../functions/shared/routes';
import {
  bindEmailSending,
  bindQueue,
  bindQueueConsumer,
  bindSecret,
  bindTable,
  bindTopicConsumer,
  type QueueConsumerBinding,
  type TopicConsumerBinding,
} from '../constructs/bind';
import { LeadflowFunction } from '../constructs/leadflow-function';
import { CONSUMER_TIMEOUT, type QueueName } from './consumer-timeouts';

export interface ServiceStackProps extends StackProps {
  readonly table: dynamodb.ITable;
  /** The rescore-jobs queue: admin-scoring and rescore send pages to it, rescore consumes it. */
  readonly rescoreQueue: sqs.IQueue;
  /** hot-leads.fifo: capture and tick send hand-offs to it, the sales function claims from it. */
  readonly hotLeadQueue: sqs.IQueue;
  /** ad-leads: the webhooks function queues platform leads to fetch, the ad-leads function consumes them. */
  readonly adLeadQueue: sqs.IQueue;
  /**
   * email-jobs: tick queues one job per lead with nurture steps due, and admin-nurture the first page of a
   * broadcast (send-email queues each next one); the send-email function consumes them.
   */
  readonly emailJobQueue: sqs.IQueue;
  /** `leadflow/webhooks`: read by the webhooks and ad-leads functions only. */
  readonly webhookSecrets: secretsmanager.ISecret;
  /**
   * `leadflow/signing`: the key of the unsubscribe and double opt-in links, read by the unsubscribe and
   * confirm functions (check them), the send-email function (signs them) and the admin-nurture function
   * (previews show real links) only.
   */
  readonly signingSecrets: secretsmanager.ISecret;
  /** The identity key (lead ids, suppression keys): resolved into each function's environment. */
  readonly identityKey: secretsmanager.ISecret;
  /**
   * The `leadflow` SES configuration set: send-email (and admin-nurture, for proofs) sends every e-mail
   * with it, so SES publishes its events.
   */
  readonly configurationSet: ses.IConfigurationSet;
  /**
   * ARN of the SES identity (domain or address) nurture e-mail is sent from: send-email and admin-nurture
   * (proofs) may send as it only.
   */
  readonly senderIdentityArn: string;
  /** The topic SES publishes the events of the `leadflow` configuration set to: the ses-events function consumes it. */
  readonly sesEventsTopic: sns.ITopic;
  /** Where SES events the ses-events function never processed are kept (subscription DLQ and on-failure destination). */
  readonly sesEventsDeadLetterQueue: sqs.IQueue;
  /** Base URL of Meta's Graph API (tests and staging may point it at a fake). @default 'https://graph.facebook.com' */
  readonly metaGraphUrl?: string;
  /** Graph API version leads are fetched with. @default 'v21.0' */
  readonly metaGraphVersion?: string;
  /** Base URL of LinkedIn's API, for Lead Sync form responses. @default 'https://api.linkedin.com' */
  readonly linkedinApiUrl?: string;
  /**
   * How long a claim keeps a hot lead from other reps (the visibility timeout of the receive), in
   * seconds. At most 12 hours, the longest SQS allows. @default 1800 (30 minutes)
   */
  readonly claimWindowSeconds?: number;
  /** Stage-wide API throttling. @default { rateLimit: 50, burstLimit: 100 } */
  readonly throttle?: ThrottleSettings;
  /** Form submissions accepted per client IP per minute. @default 30 */
  readonly rateLimitPerIpPerMinute?: number;
  /** Form submissions accepted per email address per minute. @default 5 */
  readonly rateLimitPerEmailPerMinute?: number;
  /**
   * Base URL the unsubscribe links in e-mails point at, e.g. a custom domain in front of the API.
   * @default - the HTTP API's own endpoint
   */
  readonly publicUrl?: string;
  /** How fast send-email drains email-jobs, and so how fast it calls SES. */
  readonly emailSending?: EmailSendingRate;
  /** What happens to function and access logs when the stack goes. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * The knobs that hold send-email under the account's SES sending rate. send-email runs the records
 * of a batch one after another, so at most `maxConcurrency` jobs are in flight; a bigger batch only
 * means fewer invocations for the same pace.
 */
export interface EmailSendingRate {
  /** Jobs (one lead, or one broadcast page, each) per invocation, run in turn; SQS allows 1 to 10. @default 5 */
  readonly batchSize?: number;
  /** Invocations email-jobs runs at once: the event source's maximum concurrency (2 to 1000). @default 2 */
  readonly maxConcurrency?: number;
  /**
   * Reserved concurrency of send-email, its ceiling whoever invokes it (a DLQ redrive, a manual run).
   * At least `maxConcurrency`: below it Lambda throttles the event source and jobs go back to the
   * queue, towards its dead-letter queue. @default maxConcurrency
   */
  readonly reservedConcurrency?: number;
}

/** One access log line per request; no user agent, no body, no query string (they can hold PII). */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLength: '$context.responseLength',
  integrationLatency: '$context.integrationLatency',
  integrationError: '$context.integrationErrorMessage',
};

type ScheduledHandler = (typeof SCHEDULED)[number]['handler'];
type TopicName = (typeof SNS_CONSUMERS)[number]['topic'];

/** Stateless part: functions, the HTTP API in front of them and their schedules. */
export class ServiceStack extends Stack {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly functions: {
    readonly formSubmission: LeadflowFunction;
    readonly adminLeads: LeadflowFunction;
    readonly activities: LeadflowFunction;
    readonly adminScoring: LeadflowFunction;
    readonly rescore: LeadflowFunction;
    readonly public: LeadflowFunction;
    readonly sales: LeadflowFunction;
    readonly tick: LeadflowFunction;
    readonly webhooks: LeadflowFunction;
    readonly adLeads: LeadflowFunction;
    readonly unsubscribe: LeadflowFunction;
    readonly confirm: LeadflowFunction;
    readonly sesEvents: LeadflowFunction;
    readonly sendEmail: LeadflowFunction;
    readonly adminNurture: LeadflowFunction;
  };
  /** The EventBridge schedule of each scheduled handler. */
  readonly schedules: Record<ScheduledHandler, events.Rule>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    // Strong (Export/ImportValue), said explicitly: the stateful stack cannot drop or replace the
    // table or a queue while these functions still use it. Must be set before any child construct exists.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const {
      table,
      rescoreQueue,
      hotLeadQueue,
      adLeadQueue,
      emailJobQueue,
      webhookSecrets,
      signingSecrets,
      sesEventsTopic,
      sesEventsDeadLetterQueue,
      configurationSet,
      senderIdentityArn,
    } = props;
    const emailSending = emailSendingRate(props.emailSending ?? {});
    const logRemovalPolicy = props.logRemovalPolicy ?? RemovalPolicy.RETAIN;

    const formSubmission = new LeadflowFunction(this, 'FormSubmission', {
      entry: 'form-submission',
      description: 'Leadflow: form submissions and their CORS preflight',
      logRemovalPolicy,
      environment: {
        [RATE_LIMIT_PER_IP_PER_MIN_ENV]: positiveInteger(
          'rateLimitPerIpPerMinute',
          props.rateLimitPerIpPerMinute ?? CONFIG_DEFAULTS.rateLimitPerIpPerMinute,
        ),
        [RATE_LIMIT_PER_EMAIL_PER_MIN_ENV]: positiveInteger(
          'rateLimitPerEmailPerMinute',
          props.rateLimitPerEmailPerMinute ?? CONFIG_DEFAULTS.rateLimitPerEmailPerMinute,
        ),
      },
    });
    // Reads forms, the scoring model and the lead; writes lead, activity and rate-limit counters,
    // and marks a hand-off sent.
    bindTable(formSubmission.function, table, { actions: ['GetItem', 'PutItem', 'UpdateItem'] });
    // Sends the hand-off the moment a submission makes a lead hot.
    bindQueue(formSubmission.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });

    const adminLeads = new LeadflowFunction(this, 'AdminLeads', {
      entry: 'admin-leads',
      description: 'Leadflow: lead lookup for marketing and sales, GDPR erase for marketing',
      logRemovalPolicy,
    });
    // Reads the token (by hash), the lead with its timeline and its suppression (Get, Query). Erasing
    // a lead (GDPR) marks it first (a conditional Put: no email step can be claimed any more), keeps a
    // hashed suppression with the erase time (Update: an upsert that keeps the first reason), then
    // deletes the kept webhook deliveries linked to the lead and everything in the lead's partition
    // (BatchWrite of deletes).
    bindTable(adminLeads.function, table, {
      actions: ['GetItem', 'Query', 'BatchWriteItem', 'PutItem', 'UpdateItem'],
    });
    // An erased lead that was ever handed off: the erase event for direct consumers of the queue.
    bindQueue(adminLeads.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });

    const activities = new LeadflowFunction(this, 'Activities', {
      entry: 'activities',
      description: 'Leadflow: behavioural events from the product (ingest token)',
      logRemovalPolicy,
    });
    // Reads the token, the scoring model and the lead; writes the lead and its activities, and
    // marks a hand-off sent.
    bindTable(activities.function, table, { actions: ['GetItem', 'PutItem', 'UpdateItem'] });
    // Sends the hand-off the moment an activity makes a lead hot.
    bindQueue(activities.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });

    const adminScoring = new LeadflowFunction(this, 'AdminScoring', {
      entry: 'admin-scoring',
      description: 'Leadflow: scoring model versions, simulation, backtests, rescore progress',
      logRemovalPolicy,
    });
    // Reads the token and model versions, scans leads for backtests, writes versions and the rescore job.
    bindTable(adminScoring.function, table, { actions: ['GetItem', 'PutItem', 'Query', 'Scan'] });
    // Activating a version starts a rescore by sending its first page.
    bindQueue(adminScoring.function, rescoreQueue, { name: 'rescore-jobs', actions: ['SendMessage'] });

    const rescore = new LeadflowFunction(this, 'Rescore', {
      entry: 'rescore',
      description: 'Leadflow: rescores one page of leads under the active scoring model',
      logRemovalPolicy,
      // Rebuilding each lead's score from its timeline is CPU-bound; more memory is more CPU.
      memorySize: 1024,
      timeout: CONSUMER_TIMEOUT['rescore-jobs'],
    });
    // Pages through leads (Scan), rebuilds each from its timeline (Query) and writes it back
    // conditionally; reads the model and updates the job's progress.
    bindTable(rescore.function, table, { actions: ['GetItem', 'PutItem', 'Query', 'Scan', 'UpdateItem'] });
    // Each page asks for the next one on the same queue.
    bindQueue(rescore.function, rescoreQueue, { name: 'rescore-jobs', actions: ['SendMessage'] });

    // Health, OpenAPI document, contract JSON Schemas and the form embed script: static answers, no table access.
    const publicFn = new LeadflowFunction(this, 'Public', {
      entry: 'public',
      description: 'Leadflow: health, OpenAPI document, contract schemas, form embed script',
      logRemovalPolicy,
    });

    const sales = new LeadflowFunction(this, 'Sales', {
      entry: 'sales',
      description: 'Leadflow: hot-lead claims, outcomes and queue counts (sales token)',
      logRemovalPolicy,
      environment: {
        [CLAIM_WINDOW_SECONDS_ENV]: claimWindow(
          props.claimWindowSeconds ?? CONFIG_DEFAULTS.claimWindowSeconds,
        ),
      },
    });
    // Reads the token and the lead (Get) with its timeline (Query), counts the open hand-offs on
    // gsi1 (Query); moves the hand-off (Update) and puts the outcome activity on the timeline (Put).
    bindTable(sales.function, table, {
      actions: ['GetItem', 'Query', 'UpdateItem', 'PutItem'],
      indexes: { gsi1: ['Query'] },
    });
    // A claim is a receive, extend and release change its visibility, an outcome deletes it. It
    // never sends: hand-offs come from capture and tick only.
    bindQueue(sales.function, hotLeadQueue, {
      name: 'hot-leads',
      actions: ['ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility'],
    });
    // Claim tokens are signed and checked with an HMAC key derived (per purpose) from UNSUBSCRIBE_KEY.
    bindSecret(sales.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });

    const tick = new LeadflowFunction(this, 'Tick', {
      entry: 'tick',
      description:
        'Leadflow: every minute, re-sends pending hand-offs from the outbox and queues due nurture steps',
      logRemovalPolicy,
      // One run may re-send a backlog of hand-offs; the next one starts a minute later anyway.
      timeout: Duration.seconds(60),
      environment: {
        // Queue no more a minute than send-email drains (a job slot sends about 5 a second): a bigger
        // backlog would outlive its 15-minute leases and be queued twice (harmless, wasted work).
        [NURTURE_MAX_PER_TICK_ENV]: String(NURTURE_JOBS_PER_SLOT_PER_MINUTE * emailSending.maxConcurrency),
      },
    });
    // Finds pending hand-offs on gsi1 and marks each sent (Update); finds leads with nurture steps due
    // on gsi2 and leases each (Update). It reads indexes only, never the table itself.
    bindTable(tick.function, table, {
      actions: ['UpdateItem'],
      indexes: { gsi1: ['Query'], gsi2: ['Query'] },
    });
    bindQueue(tick.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
    // One job per leased lead, ten to a SendMessageBatch (authorized as SendMessage).
    bindQueue(tick.function, emailJobQueue, { name: 'email-jobs', actions: ['SendMessage'] });

    // What the webhook receivers and the ad-leads consumer share: where to fetch leads from, and the
    // secrets (one JSON secret, read once per cold start).
    const platformEnv = {
      [META_GRAPH_URL_ENV]: httpsUrl('metaGraphUrl', props.metaGraphUrl ?? CONFIG_DEFAULTS.metaGraphUrl),
      [META_GRAPH_VERSION_ENV]: graphVersion(props.metaGraphVersion ?? CONFIG_DEFAULTS.metaGraphVersion),
      [LINKEDIN_API_URL_ENV]: httpsUrl(
        'linkedinApiUrl',
        props.linkedinApiUrl ?? CONFIG_DEFAULTS.linkedinApiUrl,
      ),
    };

    const webhooks = new LeadflowFunction(this, 'Webhooks', {
      entry: 'webhooks',
      description: 'Leadflow: ad-platform lead webhooks (Meta, Google Ads, LinkedIn, TikTok)',
      logRemovalPolicy,
      environment: platformEnv,
    });
    // Keeps each delivery (Put, then Get and Update of its status) and links it to its lead (Put),
    // reads the scoring model, the lead and its suppression, writes the lead and its activity, and
    // marks a hand-off sent. A delivery of a person erased since it was sent is deleted (DeleteItem).
    bindTable(webhooks.function, table, { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] });
    // Meta sends lead ids only: they are fetched later, from ad-leads (SendMessageBatch is authorized
    // as SendMessage), so a slow Graph API never delays the 200 Meta waits for.
    bindQueue(webhooks.function, adLeadQueue, { name: 'ad-leads', actions: ['SendMessage'] });
    // A Google or TikTok lead is captured inline and may turn hot: it is handed off at once.
    bindQueue(webhooks.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
    bindSecret(webhooks.function, webhookSecrets, { variable: WEBHOOK_SECRETS_ARN_ENV });

    const adLeads = new LeadflowFunction(this, 'AdLeads', {
      entry: 'ad-leads',
      description:
        'Leadflow: fetches queued ad-platform leads (Meta Graph API, LinkedIn Lead Sync) and captures them',
      logRemovalPolicy,
      timeout: CONSUMER_TIMEOUT['ad-leads'],
      environment: platformEnv,
    });
    // Captures the fetched lead as the webhooks function does (DeleteItem: the delivery of a person
    // erased since) and marks its delivery processed.
    bindTable(adLeads.function, table, { actions: ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem'] });
    bindQueue(adLeads.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
    // The Meta access token the Graph API wants is in the same secret.
    bindSecret(adLeads.function, webhookSecrets, { variable: WEBHOOK_SECRETS_ARN_ENV });

    const unsubscribe = new LeadflowFunction(this, 'Unsubscribe', {
      entry: 'unsubscribe',
      description: 'Leadflow: unsubscribe page and RFC 8058 one-click unsubscribe (signed links)',
      logRemovalPolicy,
    });
    // Reads the lead and its suppression (Get); puts the suppression, the lead with its consent
    // withdrawn and the `unsubscribed` activity (Put); Update for changes to the lead in place.
    bindTable(unsubscribe.function, table, { actions: ['GetItem', 'PutItem'] });
    // The link's token is checked against its HMAC, keyed with UNSUBSCRIBE_KEY.
    bindSecret(unsubscribe.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });

    const confirm = new LeadflowFunction(this, 'Confirm', {
      entry: 'confirm',
      description: 'Leadflow: double opt-in confirmation page and confirmation (signed, expiring links)',
      logRemovalPolicy,
    });
    // Reads the lead, the scoring model and the nurture config (Get); writes the lead, conditional on
    // its version, with consent granted and its sequences enrolled, and the `consent_confirmed`
    // activity (Put). No hot-leads grant: a lead the confirmation makes hot keeps its pending
    // hand-off in the lead item (the outbox), and tick sends it within a minute.
    bindTable(confirm.function, table, { actions: ['GetItem', 'PutItem'] });
    // The link's token is checked against its HMAC, keyed (per purpose) from UNSUBSCRIBE_KEY.
    bindSecret(confirm.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });

    const sesEvents = new LeadflowFunction(this, 'SesEvents', {
      entry: 'ses-events',
      description:
        'Leadflow: SES events (bounce, complaint, delivery, open, click...) to suppressions, timeline and engagement',
      logRemovalPolicy,
    });
    // Reads the lead, the scoring model and a suppression (Get); suppresses bounced and complained
    // addresses, writes the rescored lead and the event's activity (Put); marks a hand-off sent (Update).
    bindTable(sesEvents.function, table, { actions: ['GetItem', 'PutItem', 'UpdateItem'] });
    // A click can make a lead hot: it is handed off at once.
    bindQueue(sesEvents.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });

    const sendEmail = new LeadflowFunction(this, 'SendEmail', {
      entry: 'send-email',
      description:
        'Leadflow: sends the due nurture e-mails of one lead, or enrolls one page of a broadcast, per email-jobs message (SES)',
      logRemovalPolicy,
      timeout: CONSUMER_TIMEOUT['email-jobs'],
      reservedConcurrentExecutions: emailSending.reservedConcurrency,
      // LEADFLOW_PUBLIC_URL is set below, once the HTTP API exists.
    });
    // Reads the lead, the active nurture config, the suppression of the lead's address and whether a
    // claimed step's `email_sent` entry exists (Get); writes the lead, conditional on its version, and
    // the steps' activities (Put). A broadcast page reads the broadcast (Get), pages through leads
    // (Scan), enrolls each recipient on its lead (Put) and counts the page on the broadcast (Update).
    bindTable(sendEmail.function, table, { actions: ['GetItem', 'PutItem', 'Scan', 'UpdateItem'] });
    // Each broadcast page asks for the next one on the same queue. The URL variable is the one the
    // event source binding sets too (same name, same value); this adds SendMessage only.
    bindQueue(sendEmail.function, emailJobQueue, { name: 'email-jobs', actions: ['SendMessage'] });
    // Every e-mail carries a one-click unsubscribe link signed with UNSUBSCRIBE_KEY; a confirmation
    // e-mail also its double opt-in link, signed with a key derived from it.
    bindSecret(sendEmail.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });
    bindEmailSending(sendEmail.function, configurationSet, { identityArn: senderIdentityArn });

    const adminNurture = new LeadflowFunction(this, 'AdminNurture', {
      entry: 'admin-nurture',
      description:
        'Leadflow: nurture config versions, sequence previews, proofs, manual enrollment, broadcasts (marketing token)',
      logRemovalPolicy,
      // A broadcast preview counts the segment by paging through every lead (up to 50 Scan pages and a
      // suppression read per candidate) within the request: more than the 10 s default may take on a
      // large table. 30 s is the HTTP API's integration timeout, so no run outlives its request.
      timeout: Duration.seconds(30),
      // LEADFLOW_PUBLIC_URL only with a publicUrl prop, below.
    });
    // Reads the token, config versions (and the active pointer), leads, suppressions and broadcasts
    // (Get); lists config versions (Query of the table); writes config versions and the active pointer,
    // an enrolled lead (conditional on its version), its activity and a new broadcast (Put); counts a
    // broadcast's recipients by paging through leads (Scan).
    bindTable(adminNurture.function, table, { actions: ['GetItem', 'PutItem', 'Query', 'Scan'] });
    // Starting a broadcast queues its first page; send-email does the rest.
    bindQueue(adminNurture.function, emailJobQueue, { name: 'email-jobs', actions: ['SendMessage'] });
    // A sequence preview for a stored lead shows its real signed unsubscribe link.
    bindSecret(adminNurture.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });
    // Proofs (test sends) go out as the same identity, with the same configuration set.
    bindEmailSending(adminNurture.function, configurationSet, { identityArn: senderIdentityArn });

    // Every function but the public one derives lead ids or suppression keys. CloudFormation resolves
    // the key at deploy time (a dynamic reference: the value is in neither template nor cdk.out) into
    // the functions' environment, which Lambda encrypts at rest: no Secrets Manager read, and no SDK
    // client for it, on the capture path's cold start.
    const identityKey = props.identityKey.secretValue.unsafeUnwrap();
    for (const fn of [
      formSubmission,
      adminLeads,
      activities,
      adminScoring,
      rescore,
      sales,
      tick,
      webhooks,
    ].concat([adLeads, unsubscribe, confirm, sesEvents, sendEmail, adminNurture]))
      fn.function.addEnvironment(IDENTITY_KEY_ENV, identityKey);

    this.functions = {
      formSubmission,
      adminLeads,
      activities,
      adminScoring,
      rescore,
      public: publicFn,
      sales,
      tick,
      webhooks,
      adLeads,
      unsubscribe,
      confirm,
      sesEvents,
      sendEmail,
      adminNurture,
    };

    // Queue consumers come from functions/shared/routes.ts, the table the local stack polls too. Each
    // event source grants receive, delete and visibility changes on its own queue only.
    const consumers: Record<QueueName, { fn: lambda.Function; queue: sqs.IQueue } & QueueConsumerBinding> = {
      // One page per invocation and at most two at once: a rescore of every lead trickles through
      // instead of taking the account's concurrency and a burst of table traffic away from capture.
      'rescore-jobs': {
        fn: rescore.function,
        queue: rescoreQueue,
        name: 'rescore-jobs',
        batchSize: 1,
        maxConcurrency: 2,
      },
      // Five leads a batch, five batches at once: a burst of Meta deliveries drains steadily without
      // hammering the Graph API's rate limits; a lead whose fetch fails is retried alone.
      'ad-leads': {
        fn: adLeads.function,
        queue: adLeadQueue,
        name: 'ad-leads',
        batchSize: 5,
        maxConcurrency: 5,
      },
      // The pace of nurture e-mail. With the defaults (five jobs per invocation run in turn, two
      // invocations at once) about two sends are in flight; each takes ~150 ms (SES ~100 ms, plus the lead's reads and conditional
      // writes), so ~13 a second at most: under SES's starting production rate of 14/s. Reserved
      // concurrency holds it there whoever invokes the function; a send SES still throttles waits for
      // the step's backoff (30 s, doubling). Raise the three together with the account's quota.
      'email-jobs': {
        fn: sendEmail.function,
        queue: emailJobQueue,
        name: 'email-jobs',
        batchSize: emailSending.batchSize,
        maxConcurrency: emailSending.maxConcurrency,
      },
    };
    for (const { queue } of QUEUE_CONSUMERS) {
      const { fn, queue: consumed, ...binding } = consumers[queue];
      bindQueueConsumer(fn, consumed, binding);
    }

    // Topic consumers come from functions/shared/routes.ts too. Each subscription lets its topic alone
    // invoke the function; what it never processes lands on the dead-letter queue.
    const topicConsumers: Record<
      TopicName,
      { fn: lambda.Function; topic: sns.ITopic } & TopicConsumerBinding
    > = {
      'ses-events': {
        fn: sesEvents.function,
        topic: sesEventsTopic,
        deadLetterQueue: sesEventsDeadLetterQueue,
      },
    };
    for (const { topic } of SNS_CONSUMERS) {
      const { fn, topic: consumed, ...binding } = topicConsumers[topic];
      bindTopicConsumer(fn, consumed, binding);
    }

    // Schedules come from functions/shared/routes.ts, the table the local server runs too.
    const scheduled: Record<ScheduledHandler, LeadflowFunction> = { tick };
    this.schedules = Object.fromEntries(
      SCHEDULED.map(({ handler }) => [
        handler,
        new events.Rule(this, `${scheduled[handler].node.id}Schedule`, {
          description: `Leadflow: runs ${handler} every minute`,
          schedule: events.Schedule.rate(Duration.minutes(1)),
          // A failed or throttled run is not retried: the next one comes a minute later and does its work.
          targets: [new targets.LambdaFunction(scheduled[handler].function, { retryAttempts: 0 })],
        }),
      ]),
    ) as Record<ScheduledHandler, events.Rule>;

    // No corsPreflight here: API-level CORS would allow the same origins for every form, but each
    // form lists its own allowed origins, so the form function answers CORS (and OPTIONS) itself.
    this.api = new HttpApi(this, 'HttpApi', {
      apiName: 'leadflow',
      description: 'Leadflow public API (v1)',
      createDefaultStage: false,
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: logRemovalPolicy,
    });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });
    // Unsubscribe links point at the API. No cycle: send-email is behind a queue, not a route, so the
    // API does not depend on it.
    const publicUrl = props.publicUrl === undefined ? undefined : httpsUrl('publicUrl', props.publicUrl);
    sendEmail.function.addEnvironment(PUBLIC_URL_ENV, publicUrl ?? this.api.apiEndpoint);
    // admin-nurture is behind routes of this API: its endpoint in the function's environment would be a
    // dependency cycle. Without a public URL the function links to the domain the request came in on.
    if (publicUrl !== undefined) adminNurture.function.addEnvironment(PUBLIC_URL_ENV, publicUrl);

    // Routes come from functions/shared/routes.ts, the table the local server serves too.
    const integrations: Record<HandlerName, HttpLambdaIntegration> = {
      'form-submission': new HttpLambdaIntegration('FormSubmissionIntegration', formSubmission.function),
      'admin-leads': new HttpLambdaIntegration('AdminLeadsIntegration', adminLeads.function),
      activities: new HttpLambdaIntegration('ActivitiesIntegration', activities.function),
      'admin-scoring': new HttpLambdaIntegration('AdminScoringIntegration', adminScoring.function),
      'admin-nurture': new HttpLambdaIntegration('AdminNurtureIntegration', adminNurture.function),
      public: new HttpLambdaIntegration('PublicIntegration', publicFn.function),
      sales: new HttpLambdaIntegration('SalesIntegration', sales.function),
      webhooks: new HttpLambdaIntegration('WebhooksIntegration', webhooks.function),
      unsubscribe: new HttpLambdaIntegration('UnsubscribeIntegration', unsubscribe.function),
      confirm: new HttpLambdaIntegration('ConfirmIntegration', confirm.function),
    };
    for (const route of ROUTES) {
      const [added] = this.api.addRoutes({
        path: route.path,
        methods: [route.method as HttpMethod],
        integration: integrations[route.handler],
      });
      if (added) acknowledgeNoAuthorizer([added], NO_AUTHORIZER_REASON[route.handler]);
    }
    // Unknown paths get the contract's error body from the public function, not API Gateway's own.
    const fallback = new HttpRoute(this, 'DefaultRoute', {
      httpApi: this.api,
      routeKey: HttpRouteKey.DEFAULT,
      integration: integrations.public,
    });
    acknowledgeNoAuthorizer(
      [fallback],
      'Catch-all for unknown paths: the public function answers 404 route_not_found in the contract ' +
        'error body; it reads no table and holds no data.',
    );

    new CfnOutput(this, 'ApiUrl', { value: this.stage.url, description: 'Leadflow API base URL' });
  }
}

/** Why each function's routes have no API Gateway authorizer (cdk-nag AwsSolutions-APIG4). */
const NO_AUTHORIZER_REASON: Record<HandlerName, string> = {
  'form-submission':
    'Public by contract: any website may post a form, and browsers send CORS preflight (OPTIONS) ' +
    'without credentials. Abuse is limited by stage throttling and per-IP/per-email rate limits ' +
    'in the function, which also answers CORS per form.',
  // Bearer tokens are checked by middleware inside the function, not by an API Gateway
  // authorizer: an HTTP API authorizer answers 401/403 with its own {"message": ...} body, and
  // the public contract requires {"error":{"code","message"}} on every 4xx.
  'admin-leads':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing or sales). An API Gateway authorizer cannot answer with the ' +
    'contract error body {"error":{"code","message"}}.',
  activities:
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (ingest). An API Gateway authorizer cannot answer with the contract error body ' +
    '{"error":{"code","message"}}.',
  'admin-scoring':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing). An API Gateway authorizer cannot answer with the contract error ' +
    'body {"error":{"code","message"}}.',
  'admin-nurture':
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (marketing). An API Gateway authorizer cannot answer with the contract error ' +
    'body {"error":{"code","message"}}.',
  sales:
    'Authorized inside the function: the Bearer token is SHA-256 hashed, looked up in the table and ' +
    'its role checked (sales). An API Gateway authorizer cannot answer with the contract error body ' +
    '{"error":{"code","message"}}.',
  webhooks:
    'Public by contract: Meta, Google Ads, LinkedIn and TikTok call these webhooks without AWS credentials. ' +
    'Each request is authenticated inside the function by its HMAC signature over the raw body, ' +
    'verification token or shared key (401/403, nothing stored otherwise).',
  unsubscribe:
    'Public by contract: RFC 8058 one-click unsubscribe (and the page behind the link) must work without ' +
    'login or confirmation, straight from the e-mail. Each request is authenticated inside the function by ' +
    'the HMAC-signed token in the link; a bad or tampered token changes nothing.',
  confirm:
    'Public by contract: the double opt-in link in the confirmation e-mail must work without login, straight ' +
    'from the e-mail. Each request is authenticated inside the function by the HMAC-signed, expiring token in ' +
    'the link; GET changes nothing, and a bad, tampered or expired token changes nothing.',
  public:
    'Public by contract: health check, OpenAPI document, JSON Schemas of the contracts and the form ' +
    'embed script hold no data and are fetched by browsers, CRMs and monitors without credentials.',
};

function acknowledgeNoAuthorizer(routes: HttpRoute[], reason: string): void {
  for (const route of routes) Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason });
}

/** SQS takes a visibility timeout of at most 12 hours; the function rejects anything but a positive integer. */
function claimWindow(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 43_200) {
    throw new Error(
      `ServiceStack claimWindowSeconds must be an integer from 1 to 43200 (12 hours), got ${seconds}`,
    );
  }
  return String(seconds);
}

/** A platform API base URL: absolute https, so a lead's data never travels in clear. */
function httpsUrl(name: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.search || url.hash) {
    throw new Error(
      `ServiceStack ${name} must be an https base URL like https://api.example.com, without query or fragment, got "${value}"`,
    );
  }
  return value;
}

/** Jobs one in-flight send-email slot finishes a minute (about 200 ms each): what tick queues per slot. */
const NURTURE_JOBS_PER_SLOT_PER_MINUTE = 300;

/** Graph API versions look like v21.0; the function puts the value into the request path. */
function graphVersion(value: string): string {
  if (!/^v\d+\.\d+$/.test(value)) {
    throw new Error(`ServiceStack metaGraphVersion must look like v21.0, got "${value}"`);
  }
  return value;
}

/** Defaults and the limits SQS and Lambda set (batch 1 to 10, maximum concurrency 2 to 1000). */
function emailSendingRate(rate: EmailSendingRate): Required<EmailSendingRate> {
  const batchSize = rate.batchSize ?? 5;
  const maxConcurrency = rate.maxConcurrency ?? 2;
  const reservedConcurrency = rate.reservedConcurrency ?? maxConcurrency;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new Error(`ServiceStack emailSending.batchSize must be an integer from 1 to 10, got ${batchSize}`);
  }
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    throw new Error(
      `ServiceStack emailSending.maxConcurrency must be an integer from 2 to 1000, got ${maxConcurrency}`,
    );
  }
  if (!Number.isInteger(reservedConcurrency) || reservedConcurrency < maxConcurrency) {
    throw new Error(
      `ServiceStack emailSending.reservedConcurrency must be an integer of at least maxConcurrency (${maxConcurrency}), got ${reservedConcurrency}`,
    );
  }
  return { batchSize, maxConcurrency, reservedConcurrency };
}

function positiveInteger(name: string, value: number): string {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`ServiceStack ${name} must be a positive integer, got ${value}`);
  }
  return String(value);
}
