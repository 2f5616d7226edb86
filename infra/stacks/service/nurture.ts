import { Duration } from 'aws-cdk-lib';
import { SIGNING_SECRETS_ARN_ENV } from '../../../functions/shared/env-names';
import { SEGMENT_FACTS_INDEX, SUPPRESSION_INDEX } from '../../../functions/shared/table-definition';
import { bindEmailSending, bindQueue, bindSecret, bindTable } from '../../constructs/bind';
import { LeadflowFunction } from '../../constructs/leadflow-function';
import { CONSUMER_TIMEOUT } from '../consumer-timeouts';
import type { ServiceContext } from './context';

/** Nurture e-mail: SES events, the send-email consumer of email-jobs and the nurture admin API. */
export function nurtureFunctions({ stack, props, emailSending, logRemovalPolicy }: ServiceContext) {
  const { table, hotLeadQueue, emailJobQueue, signingSecrets, configurationSet, senderIdentityArn } = props;
  // Double opt-in confirmations (a transactional sequence, sent by send-email) go through the
  // transactional set, which the SES pause leaves on; everything else through the marketing set.
  const sending = {
    identityArn: senderIdentityArn,
    transactionalConfigurationSet: props.transactionalConfigurationSet,
  };
  const sesEvents = new LeadflowFunction(stack, 'SesEvents', {
    entry: 'ses-events',
    description:
      'Leadflow: SES events (bounce, complaint, delivery, open, click...) to suppressions, timeline and engagement',
    logRemovalPolicy,
  });
  // Reads the lead, the scoring model and a suppression (Get); suppresses bounced and complained
  // addresses, writes the rescored lead and the event's activity (Put); marks a hand-off sent (Update).
  bindTable(sesEvents.function, table, { actions: ['BatchGetItem', 'GetItem', 'PutItem', 'UpdateItem'] });
  // A click can make a lead hot: it is handed off at once.
  bindQueue(sesEvents.function, hotLeadQueue, { name: 'hot-leads', actions: ['SendMessage'] });

  const sendEmail = new LeadflowFunction(stack, 'SendEmail', {
    entry: 'send-email',
    description:
      'Leadflow: sends the due nurture e-mails of one lead, or enrolls one page of a broadcast, per email-jobs message (SES)',
    logRemovalPolicy,
    timeout: CONSUMER_TIMEOUT['email-jobs'],
    ...(emailSending.reservedConcurrency !== undefined && {
      reservedConcurrentExecutions: emailSending.reservedConcurrency,
    }),
    // A broadcast page queues the next page on email-jobs, the queue send-email consumes: a broadcast
    // of more than ~16 pages is such a loop. It ends: every page advances the broadcast's cursor through
    // the leads and the last page queues nothing; a page is counted only once (conditional on the cursor
    // it started from), and a redelivered page enrolls nobody twice.
    allowRecursiveLoop: { because: 'each page advances the cursor; the last page queues nothing' },
    // LEADFLOW_PUBLIC_URL is set by httpApi (http-api.ts), once the HTTP API exists.
  });
  // Reads the lead, the active nurture config, the suppression of the lead's address and whether a
  // claimed step's `email_sent` entry exists (Get); writes the lead, conditional on its version, and
  // the steps' activities (Put). A broadcast page reads the broadcast (Get), pages through leads
  // (the leads index, then the lead items), enrolls each recipient on its lead (Put) and counts the page on the broadcast (Update).
  bindTable(sendEmail.function, table, { actions: ['GetItem', 'PutItem', 'UpdateItem'], pagesLeads: true });
  // Each broadcast page asks for the next one on the same queue. The URL variable is the one the
  // event source binding sets too (same name, same value); this adds SendMessage only.
  bindQueue(sendEmail.function, emailJobQueue, { name: 'email-jobs', actions: ['SendMessage'] });
  // Every e-mail carries a one-click unsubscribe link signed with UNSUBSCRIBE_KEY; a confirmation
  // e-mail also its double opt-in link, signed with a key derived from it.
  bindSecret(sendEmail.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });
  bindEmailSending(sendEmail.function, configurationSet, sending);

  const adminNurture = new LeadflowFunction(stack, 'AdminNurture', {
    entry: 'admin-nurture',
    description:
      'Leadflow: nurture config versions, sequence previews, proofs, manual enrollment, broadcasts (marketing token)',
    logRemovalPolicy,
    // A broadcast preview counts the segment by paging through every lead (up to 50 Scan pages and a
    // suppression read per candidate) within the request: more than the 10 s default may take on a
    // large table. 30 s is the HTTP API's integration timeout, so no run outlives its request.
    timeout: Duration.seconds(30),
    // LEADFLOW_PUBLIC_URL only with a publicUrl prop, set by httpApi (http-api.ts).
  });
  // Reads the token, config versions (and the active pointer), leads, suppressions and broadcasts
  // (Get); lists config versions (Query of the table); writes config versions and the active pointer,
  // an enrolled lead (conditional on its version), its activity and a new broadcast (Put); counts a
  // broadcast's recipients by paging through leads (the leads index, then the lead items); lists
  // broadcasts (their entries in gsi1), cancels one (Update); reads a broadcast's results from the
  // email report's rollups (Query of the table). Counts a segment from the segment facts index
  // (Query), reading the suppression list whole from its index (Query) — or, until `leadflow leads
  // reindex` has marked it complete (GetItem), a page at a time (BatchGetItem) — and reading a lead
  // stored before its segment facts were (BatchGetItem, until that reindex).
  bindTable(adminNurture.function, table, {
    actions: ['GetItem', 'PutItem', 'Query', 'UpdateItem'],
    indexes: { gsi1: ['Query'], [SEGMENT_FACTS_INDEX]: ['Query'], [SUPPRESSION_INDEX]: ['Query'] },
    pagesLeads: true,
  });
  // Starting a broadcast queues its first page; send-email does the rest.
  bindQueue(adminNurture.function, emailJobQueue, { name: 'email-jobs', actions: ['SendMessage'] });
  // A sequence preview for a stored lead shows its real signed unsubscribe link.
  bindSecret(adminNurture.function, signingSecrets, { variable: SIGNING_SECRETS_ARN_ENV });
  // Proofs (test sends) go out as the same identity, with the marketing configuration set (a proof is
  // never a confirmation: the transactional set is send-email's alone).
  bindEmailSending(adminNurture.function, configurationSet, { identityArn: senderIdentityArn });
  return { sesEvents, sendEmail, adminNurture };
}
