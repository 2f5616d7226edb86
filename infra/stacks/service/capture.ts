import {
  CONFIG_DEFAULTS,
  EXPORTS_BUCKET_ENV,
  RATE_LIMIT_PER_EMAIL_PER_MIN_ENV,
  RATE_LIMIT_PER_IP_PER_MIN_ENV,
} from '../../../functions/shared/env-names';
import { LEADS_INDEX, LIST_INDEXES, SEARCH_INDEXES } from '../../../functions/shared/table-definition';
import { bindBucket, bindQueue, bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import type { ServiceContext } from './context';
import { exportBucket } from './exports';
import { positiveInteger } from './props';

/** Capture: form submissions and product activities, and the lead lookup and GDPR erase behind the admin API. */
export function captureFunctions({ stack, props, logRemovalPolicy }: ServiceContext) {
  const { table, hotLeadQueue } = props;
  const formSubmission = new LeadflowFunction(stack, 'FormSubmission', {
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
  bindTable(formSubmission.function, table, {
    actions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'],
  });
  // Sends the hand-off the moment a submission makes a lead hot.
  bindQueue(formSubmission.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });

  const adminLeads = new LeadflowFunction(stack, 'AdminLeads', {
    entry: 'admin-leads',
    description: 'Leadflow: lead list, search, export, notes and lookup for marketing and sales; GDPR erase',
    logRemovalPolicy,
  });
  // Reads the token (by hash), the lead with its timeline and its suppression (Get, Query). Erasing
  // a lead (GDPR) marks it first (a conditional Put: no email step can be claimed any more), keeps a
  // hashed suppression with the erase time (Update: an upsert that keeps the first reason), then
  // deletes the kept webhook deliveries linked to the lead and everything in the lead's partition
  // (BatchWrite of deletes).
  // The lead list, its search and the CSV export read the list indexes (one per sort order, one
  // per search field), Query only; notes are a Put in the lead's partition. A saved segment
  // (`segment=<id>`) pages every lead: the keys-only leads index, then the leads (BatchGetItem).
  bindTable(adminLeads.function, table, {
    actions: ['GetItem', 'Query', 'BatchGetItem', 'BatchWriteItem', 'PutItem', 'UpdateItem'],
    indexes: Object.fromEntries(
      [LEADS_INDEX, ...Object.values(LIST_INDEXES), ...Object.values(SEARCH_INDEXES)].map((name) => [
        name,
        ['Query'],
      ]),
    ),
  });
  // An erased lead that was ever handed off: the erase event for direct consumers of the queue.
  bindQueue(adminLeads.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
  // An erase deletes the recent background exports' files (they may list the person); reads none.
  bindBucket(adminLeads.function, exportBucket(stack, props.exportBucketName), {
    variable: EXPORTS_BUCKET_ENV,
    actions: ['DeleteObject'],
    prefix: 'exports/',
  });

  const activities = new LeadflowFunction(stack, 'Activities', {
    entry: 'activities',
    description: 'Leadflow: behavioural events from the product (ingest token)',
    logRemovalPolicy,
  });
  // Reads the token, the scoring model and the lead; writes the lead and its activities, and
  // marks a hand-off sent.
  bindTable(activities.function, table, { actions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'] });
  // Sends the hand-off the moment an activity makes a lead hot.
  bindQueue(activities.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });
  return { formSubmission, adminLeads, activities };
}
