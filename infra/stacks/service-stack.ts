import {
  Annotations,
  CfnOutput,
  CrossStackReferences,
  ReferenceStrength,
  RemovalPolicy,
  Stack,
  type StackProps,
} from 'aws-cdk-lib';
import type { HttpApi, HttpStage, ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  IDENTITY_KEY_ENV,
  USER_POOL_CLIENT_ID_ENV,
  USER_POOL_ID_ENV,
} from '../../functions/shared/env-names';
import { ConsoleHosting, type ConsoleSignIn } from '../constructs/console-hosting';
import type { LeadflowFunction } from '../constructs/leadflow-function';
import { Operations, type OperationsThresholds } from '../constructs/operations';
import type { PublicEdge } from '../constructs/public-edge';
import { captureFunctions } from './service/capture';
import { consentFunctions } from './service/consent';
import type { ServiceContext } from './service/context';
import { bindEventSources, type ScheduledHandler } from './service/event-sources';
import { exportFunctions } from './service/exports';
import { formFunctions } from './service/forms';
import { handoffFunctions } from './service/handoff';
import { httpApi } from './service/http-api';
import { importFunctions } from './service/imports';
import { integrationFunctions } from './service/integrations';
import { nurtureFunctions } from './service/nurture';
import { checkReservations, type EmailSendingRate, emailSendingRate } from './service/props';
import { publicFunction } from './service/public';
import { reportFunctions } from './service/reports';
import { scoringFunctions } from './service/scoring';
import { webhookFunctions } from './service/webhooks';

export type { EmailSendingRate } from './service/props';

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
  /** lead-exports: admin-lead-exports queues one message per background export, lead-export consumes them. */
  readonly exportQueue: sqs.IQueue;
  /** The private bucket export CSVs go to (lead-export writes, admin-lead-exports presigns downloads), by name. */
  readonly exportBucketName: string;
  /** lead-imports: one message per page of a CSV import (admin-lead-imports queues the first, lead-import the rest). */
  readonly importQueue: sqs.IQueue;
  /** integration-deliveries: tick, admin-leads (lead.erased) and admin-webhooks (replays) send, the worker consumes. */
  readonly deliveryQueue: sqs.IQueue;
  /** Its DLQ: the worker parks deliveries whose retries are used up (or whose endpoint is paused). */
  readonly deliveryDeadLetterQueue: sqs.IQueue;
  /** `leadflow-<stage>/webhooks`: read by the webhooks and ad-leads functions only. */
  readonly webhookSecrets: secretsmanager.ISecret;
  /** `leadflow-<stage>/integrations` (Slack and HubSpot tokens): read by the integration-deliveries worker only. */
  readonly integrationSecrets: secretsmanager.ISecret;
  /** config/integrations.yaml as validated JSON (integrationsConfigJson): which connectors are on, channels, mappings. */
  readonly integrationsConfig: string;
  /**
   * `leadflow-<stage>/signing`: the key of the unsubscribe and double opt-in links, read by the unsubscribe and
   * confirm functions (check them), the send-email function (signs them) and the admin-nurture function
   * (previews show real links) only.
   */
  readonly signingSecrets: secretsmanager.ISecret;
  /** The identity key (lead ids, suppression keys): resolved into each function's environment. */
  readonly identityKey: secretsmanager.ISecret;
  /**
   * The `leadflow-<stage>` SES configuration set: send-email (and admin-nurture, for proofs) sends every e-mail
   * with it, so SES publishes its events.
   */
  readonly configurationSet: ses.IConfigurationSet;
  /**
   * ARN of the SES identity (domain or address) nurture e-mail is sent from: send-email and admin-nurture
   * (proofs) may send as it only.
   */
  readonly senderIdentityArn: string;
  /** The topic SES publishes the events of the `leadflow-<stage>` configuration set to: the ses-events function consumes it. */
  readonly sesEventsTopic: sns.ITopic;
  /** Where SES events the ses-events function never processed are kept (subscription DLQ and on-failure destination). */
  readonly sesEventsDeadLetterQueue: sqs.IQueue;
  /**
   * `leadflow-<stage>-transactional`: the SES configuration set double opt-in confirmations are sent with
   * (send-email), which the SES pause leaves on.
   */
  readonly transactionalConfigurationSet: ses.IConfigurationSet;
  /** The operators topic (stateful stack): every alarm of this stack notifies it. */
  readonly operatorsTopic: sns.ITopic;
  /**
   * The console's Cognito user pool and app client: the authenticated functions accept people's
   * access tokens from it (next to API tokens). @default - API tokens only
   */
  readonly userPool?: {
    readonly userPoolId: string;
    readonly clientId: string;
    /** The pool's pre token trigger: a failing one stops every sign-in, so it is alarmed with the functions here. */
    readonly preToken?: LeadflowFunction;
  };
  /**
   * The console's address and sign-in: with the public edge on, the console is served at
   * `<url>/console/` by the edge's distribution (infra/constructs/console-hosting.ts). @default - no console on AWS
   */
  readonly console?: { readonly url: string; readonly signIn: ConsoleSignIn };
  /** What the operations alarms fire on. @default OPERATIONS_DEFAULTS */
  readonly alarmThresholds?: OperationsThresholds;
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
  /** The account time zone reports count days in (IANA; `leadflow:reportTimeZone`). @default UTC */
  readonly reportTimeZone?: string;
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
  /**
   * CloudFront and AWS WAF in front of the HTTP API (infra/constructs/public-edge.ts), set up from the
   * `leadflow:*` public edge context keys. `undefined` turns it on when `leadflow:domainName` is set.
   * @default - on with a custom domain, off without
   */
  readonly publicEdge?: boolean;
  /** How fast send-email drains email-jobs, and so how fast it calls SES. */
  readonly emailSending?: EmailSendingRate;
  /**
   * The account's Lambda concurrency quota (Service Quotas, "Concurrent executions"). Needed only
   * with a reservation (`emailSending.reservedConcurrency`), which must leave 100 of it unreserved.
   * @default - unknown: any reservation is refused at synth
   */
  readonly accountConcurrency?: number;
  /** What happens to function and access logs when the stack goes. @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
}

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
    readonly adminForms: LeadflowFunction;
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
    readonly adminLeadExports: LeadflowFunction;
    readonly leadExport: LeadflowFunction;
    readonly adminLeadImports: LeadflowFunction;
    readonly leadImport: LeadflowFunction;
    readonly reports: LeadflowFunction;
    readonly adminWebhooks: LeadflowFunction;
    readonly integrationDeliveries: LeadflowFunction;
  };
  /** The EventBridge schedule of each scheduled handler. */
  readonly schedules: Record<ScheduledHandler, events.Rule>;
  /** CloudFront and WAF in front of the API, when on. */
  readonly edge?: PublicEdge;
  /** The console's bucket and behaviors on the edge, with a console URL and the edge on. */
  readonly consoleHosting?: ConsoleHosting;
  /** Where people reach the API: the operator's public URL, else the edge's, else the API endpoint. */
  readonly publicUrl: string;
  /** Alarms (each notifying the operators topic), the SES reputation pause and the dashboard. */
  readonly operations: Operations;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    // Strong (Export/ImportValue), said explicitly: the stateful stack cannot drop or replace the
    // table or a queue while these functions still use it. Must be set before any child construct exists.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const emailSending = emailSendingRate(props.emailSending ?? {});
    checkReservations(
      emailSending.reservedConcurrency === undefined
        ? {}
        : { 'send-email': emailSending.reservedConcurrency },
      props.accountConcurrency,
    );
    const context: ServiceContext = {
      stack: this,
      props,
      emailSending,
      logRemovalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    };

    // Each context creates its functions with their grants, in this order (the template's order).
    const { formSubmission, adminLeads, activities } = captureFunctions(context);
    const { adminScoring, rescore } = scoringFunctions(context);
    const { publicFn } = publicFunction(context);
    const { sales, tick } = handoffFunctions(context);
    const { webhooks, adLeads } = webhookFunctions(context);
    const { unsubscribe, confirm } = consentFunctions(context);
    const { sesEvents, sendEmail, adminNurture } = nurtureFunctions(context);
    const { adminLeadExports, leadExport } = exportFunctions(context);
    const { adminLeadImports, leadImport } = importFunctions(context);
    const { reports } = reportFunctions(context);
    const { adminWebhooks, integrationDeliveries } = integrationFunctions(context, { tick, adminLeads });
    const { adminForms } = formFunctions(context);

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
    ].concat([adLeads, unsubscribe, confirm, sesEvents, sendEmail, adminNurture, leadImport]))
      fn.function.addEnvironment(IDENTITY_KEY_ENV, identityKey);

    // People signed in to the console call the routes that check a role.
    if (props.userPool) {
      for (const fn of [
        adminLeads,
        activities,
        adminScoring,
        adminNurture,
        sales,
        adminLeadExports,
        adminLeadImports,
        reports,
        adminWebhooks,
        adminForms,
      ]) {
        fn.function.addEnvironment(USER_POOL_ID_ENV, props.userPool.userPoolId);
        fn.function.addEnvironment(USER_POOL_CLIENT_ID_ENV, props.userPool.clientId);
      }
    }

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
      adminLeadExports,
      leadExport,
      adminLeadImports,
      leadImport,
      reports,
      adminWebhooks,
      integrationDeliveries,
      adminForms,
    };
    this.schedules = bindEventSources(context, this.functions);
    const http = httpApi(context, this.functions);
    this.api = http.api;
    this.accessLogs = http.accessLogs;
    this.stage = http.stage;
    this.edge = http.edge;
    this.publicUrl = http.publicUrl;
    this.consoleHosting = this.hostConsole(props, context.logRemovalPolicy);

    this.operations = new Operations(this, 'Operations', {
      functions: {
        ...this.functions,
        ...(props.userPool?.preToken && { preToken: props.userPool.preToken }),
      },
      schedules: this.schedules,
      api: this.api,
      table: props.table,
      queues: {
        'rescore-jobs': props.rescoreQueue,
        'ad-leads': props.adLeadQueue,
        'email-jobs': props.emailJobQueue,
        'hot-leads': props.hotLeadQueue,
        'lead-exports': props.exportQueue,
        'lead-imports': props.importQueue,
        'integration-deliveries': props.deliveryQueue,
      },
      sesConfigurationSetName: props.configurationSet.configurationSetName,
      topic: props.operatorsTopic,
      ...(props.alarmThresholds !== undefined && { thresholds: props.alarmThresholds }),
      logRemovalPolicy: context.logRemovalPolicy,
    });

    new CfnOutput(this, 'ApiUrl', {
      value: this.edge ? this.publicUrl : this.stage.url,
      description: 'Leadflow API base URL',
    });
  }

  /**
   * The console beside the API on the edge's distribution, when people can sign in (a console URL
   * and user pool) and the edge is on; a user pool without the edge gets a warning, not a console.
   */
  private hostConsole(props: ServiceStackProps, removalPolicy: RemovalPolicy): ConsoleHosting | undefined {
    if (!props.console) return undefined;
    if (!this.edge) {
      Annotations.of(this).addWarningV2(
        'leadflow:console-not-hosted',
        'The console sign-in (user pool) exists, but the console is served only behind the public edge: ' +
          'set leadflow:domainName (or leadflow:publicEdge=true) to host it at <url>/console/.',
      );
      return undefined;
    }
    return new ConsoleHosting(this, 'Console', {
      distribution: this.edge.distribution,
      accessLogs: this.edge.accessLogs,
      url: props.console.url,
      signIn: props.console.signIn,
      removalPolicy,
    });
  }
}
