import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import {
  CLAIM_WINDOW_SECONDS_ENV,
  CONFIG_DEFAULTS,
  NURTURE_MAX_PER_TICK_ENV,
  REPORT_TIME_ZONE_ENV,
  SIGNING_SECRETS_ARN_ENV,
} from '../../../functions/shared/env-names';
import { REPORTS_INDEX } from '../../../functions/shared/table-definition';
import { bindQueue, bindSecret, bindTable } from '../../constructs/bind';
import { bindEventArchive, eventsBucketName } from '../../constructs/event-archive';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import type { ServiceContext } from './context';
import { claimWindow } from './props';
import { reportTimeZone } from './reports';

/** Jobs one in-flight send-email slot finishes a minute (about 200 ms each): what tick queues per slot. */
const NURTURE_JOBS_PER_SLOT_PER_MINUTE = 300;

/**
 * Hand-off to sales: the sales API (claims, outcomes, queue counts), and tick, which re-sends pending
 * hand-offs from the outbox (and queues nurture's due steps, every minute).
 */
export function handoffFunctions({ stack, props, emailSending, logRemovalPolicy }: ServiceContext) {
  const { table, hotLeadQueue, emailJobQueue, signingSecrets } = props;
  const sales = new LeadflowFunction(stack, 'Sales', {
    entry: 'sales',
    description: 'Leadflow: hot-lead claims, outcomes and queue counts (sales token)',
    logRemovalPolicy,
    environment: {
      [CLAIM_WINDOW_SECONDS_ENV]: claimWindow(props.claimWindowSeconds ?? CONFIG_DEFAULTS.claimWindowSeconds),
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

  const tick = new LeadflowFunction(stack, 'Tick', {
    entry: 'tick',
    description:
      'Leadflow: every minute, re-sends pending hand-offs from the outbox, queues due nurture steps and counts new timeline entries into the report rollups',
    logRemovalPolicy,
    // One run may re-send a backlog of hand-offs; the next one starts a minute later anyway.
    timeout: Duration.seconds(60),
    environment: {
      // Queue no more a minute than send-email drains (a job slot sends about 5 a second): a bigger
      // backlog would outlive its 15-minute leases and be queued twice (harmless, wasted work).
      [NURTURE_MAX_PER_TICK_ENV]: String(NURTURE_JOBS_PER_SLOT_PER_MINUTE * emailSending.maxConcurrency),
      // The rollups count days in the account time zone.
      [REPORT_TIME_ZONE_ENV]: reportTimeZone(props.reportTimeZone),
    },
  });
  // Finds pending hand-offs on gsi1 and marks each sent (Update); finds leads with nurture steps due
  // on gsi2 and leases each (Update). Counts timeline entries into the report rollups: uncounted
  // entries on gsi10 (Query), the entries and their leads (BatchGet, consistent), the shard's cursor
  // (Get), then cursor, rollup rows, once-keys and the entries' index keys (conditional Updates).
  // Query of the table: an A/B test's winner is read from the email report's rollup rows.
  bindTable(tick.function, table, {
    actions: ['UpdateItem', 'GetItem', 'BatchGetItem', 'Query'],
    indexes: { gsi1: ['Query'], gsi2: ['Query'], [REPORTS_INDEX]: ['Query'] },
  });
  bindQueue(tick.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
  // Each batch of entries it counts goes to the raw event archive (the stateful stack's events bucket).
  bindEventArchive(tick.function, s3.Bucket.fromBucketName(stack, 'EventsBucket', eventsBucketName(stack)));
  // One job per leased lead, ten to a SendMessageBatch (authorized as SendMessage).
  bindQueue(tick.function, emailJobQueue, { name: 'email-jobs', actions: ['SendMessage'] });

  return { sales, tick };
}
