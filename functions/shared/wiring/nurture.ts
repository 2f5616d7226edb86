import { DynamoBroadcastStore } from '../../adapters/dynamodb/broadcast-store';
import { DynamoDueIndex } from '../../adapters/dynamodb/due-index';
import { NURTURE_CONFIG_ID } from '../../adapters/dynamodb/nurture-configs';
import { DynamoSendReadAhead } from '../../adapters/dynamodb/send-read-ahead';
import { SesMailer } from '../../adapters/ses/ses-mailer';
import { SqsEmailJobs } from '../../adapters/sqs/email-job-queue';
import { signConfirmationToken } from '../../core/consent/confirmation-token';
import { signUnsubscribeToken } from '../../core/consent/unsubscribe-token';
import type { BroadcastDeps } from '../../core/nurture/broadcast';
import type { NurtureConfig } from '../../core/nurture/config-schema';
import type { Mailer } from '../../core/nurture/mailer';
import type { SendDeps } from '../../core/nurture/send-step';
import { dynamo } from '../aws/dynamodb';
import { ses } from '../aws/ses';
import { sqs } from '../aws/sqs';
import { nurtureQueueConfig, publicUrl, publicUrlIfSet, queueUrl, sendingConfig } from '../config';
import { count } from '../observability/metrics';
import { signingSecrets } from '../signing-secrets';
import { clock, configStore, leadStore, segmentFacts, suppressionStore, tableName } from './kernel';
import { activeNurture } from './leads';

export const emailJobQueue = () => new SqsEmailJobs(sqs, queueUrl('email-jobs'));
export const broadcastStore = () => new DynamoBroadcastStore(dynamo, tableName());
/**
 * SES with the configuration set that publishes bounces and complaints (required; confirmations
 * use the transactional set when one is given); each e-mail SES takes is counted.
 */
export function mailer(): Mailer {
  const sets = sendingConfig();
  const sesMailer = new SesMailer(ses, sets.configurationSet, sets.transactionalConfigurationSet);
  return {
    async send(email) {
      const sent = await sesMailer.send(email);
      count('EmailsSent');
      return sent;
    },
  };
}

/** The public unsubscribe link for a lead: `base` + /v1/unsubscribe?t=<signed token>. */
export function unsubscribeLinks(base: string) {
  const root = base.replace(/\/+$/, '');
  return async (leadId: string, now: Date) => {
    const { unsubscribeKeys } = await signingSecrets();
    return `${root}/v1/unsubscribe?t=${encodeURIComponent(signUnsubscribeToken(leadId, unsubscribeKeys, now))}`;
  };
}

/**
 * The double opt-in link for a lead and form: `base` + /v1/confirm?t=<signed token>, signed with
 * the same key as unsubscribe links under a key derived for this purpose only.
 */
export function confirmLinks(base: string) {
  const root = base.replace(/\/+$/, '');
  return async (leadId: string, formId: string, now: Date, expiresInDays: number) => {
    const { unsubscribeKeys } = await signingSecrets();
    const token = signConfirmationToken({ leadId, formId }, unsubscribeKeys, now, expiresInDays);
    return `${root}/v1/confirm?t=${encodeURIComponent(token)}`;
  };
}

/**
 * What send-email needs for a lead's due steps: leads, the active nurture config, suppressions, SES,
 * signed links, and the batch reads for a batch of jobs.
 */
export function sendDeps(): SendDeps {
  const base = publicUrl();
  return {
    leads: leadStore(),
    nurture: activeNurture(),
    suppressions: suppressionStore(),
    broadcasts: broadcastStore(),
    mailer: mailer(),
    unsubscribeUrl: unsubscribeLinks(base),
    confirmUrl: confirmLinks(base),
    clock,
    readAhead: new DynamoSendReadAhead(dynamo, tableName()),
  };
}

/** The email-jobs message format is the SQS adapter's; send-email reads its messages with it. */
export { parseEmailJob } from '../../adapters/sqs/email-job-queue';

/** A real timer: the backoff before a busy lead is read again (tests pass a fake). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What send-email needs for a broadcast page; the next page goes back on email-jobs. */
export function broadcastDeps(jobs = emailJobQueue()): BroadcastDeps {
  return {
    leads: leadStore(),
    suppressions: suppressionStore(),
    broadcasts: broadcastStore(),
    requestPage: (broadcastId, cursor) => jobs.requestBroadcastPage(broadcastId, cursor),
    clock,
    sleep,
  };
}

/** What tick needs to queue due steps: the due index, email-jobs and its limits. */
export function dueStepQueueing() {
  return {
    index: new DynamoDueIndex(dynamo, tableName()),
    jobs: emailJobQueue(),
    options: { ...nurtureQueueConfig(), pageSize: 100 },
  };
}

/**
 * The nurture admin: the config's versions (never cached: what is active now), leads, suppressions,
 * broadcasts and email-jobs, SES for proofs, and where links point — LEADFLOW_PUBLIC_URL when set
 * (a custom domain), else the API the request came in on: this function serves a route, so its
 * env cannot name the API's own endpoint without a dependency cycle in CDK.
 */
export function nurtureAdminDeps() {
  const jobs = emailJobQueue();
  const configuredPublicUrl = publicUrlIfSet();
  return {
    versions: configStore().versionsOf<NurtureConfig>('nurture', NURTURE_CONFIG_ID),
    leads: leadStore(),
    segmentFacts: segmentFacts(),
    suppressions: suppressionStore(),
    broadcasts: broadcastStore(),
    mailer: mailer(),
    requestPage: (broadcastId: string, cursor: string | null) =>
      jobs.requestBroadcastPage(broadcastId, cursor),
    unsubscribeUrlFor: (requestDomain: string) =>
      unsubscribeLinks(configuredPublicUrl ?? `https://${requestDomain}`),
    clock,
  };
}
