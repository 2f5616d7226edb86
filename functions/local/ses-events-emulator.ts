import { randomUUID } from 'node:crypto';
import type { SNSEvent } from 'aws-lambda';

/**
 * Local SES event publishing. On AWS, SES publishes each sent message's fate (delivery, bounce,
 * complaint...) through the configuration set to SNS, which invokes ses-events. Locally
 * aws-ses-v2-local only stores the mail, so this poller reads its store (`GET /store`), and for
 * each message it has not seen builds the event-publishing records SES would publish
 * (docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-examples.html) and hands
 * them to the ses-events handler as an SNS event: from the handler on, the AWS code path.
 *
 * What happens to a recipient follows the SES mailbox simulator ("Using the mailbox simulator"):
 *   success@simulator.amazonses.com          Delivery
 *   bounce@simulator.amazonses.com           Bounce (Permanent, General)
 *   complaint@simulator.amazonses.com        Delivery, then Complaint
 *   suppressionlist@simulator.amazonses.com  Bounce (Permanent, OnAccountSuppressionList)
 *   ooto@simulator.amazonses.com             Delivery (the out-of-office reply goes to the sender)
 * with plus labels (`bounce+label@...`) behaving the same, and every other address Delivery:
 * the local mailbox did receive it.
 *
 * The store does not keep the EmailTags of a send: the local stack remembers them as it sends
 * (ses-tracking.ts) and passes `tagsOf`, so `mail.tags` carries them as on AWS (the lead, the
 * sequence, step, template, broadcast). A message sent before a restart has none: ses-events then
 * takes the lead from the recipient's address, as it does for any untagged message. Opens and
 * clicks come from ses-engagement.ts, through the same `deliver`.
 */

/** One message as `GET {ses}/store` returns it (aws-ses-v2-local); `at` is epoch seconds. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to?: string[]; cc?: string[]; bcc?: string[] };
  subject: string;
  headers?: { name: string; value: string }[];
  at: number;
}

export type SimulatedOutcome = 'delivery' | 'bounce' | 'complaint' | 'suppressionlist';

const SIMULATOR_DOMAIN = 'simulator.amazonses.com';
const SIMULATED: Record<string, SimulatedOutcome> = {
  success: 'delivery',
  bounce: 'bounce',
  complaint: 'complaint',
  suppressionlist: 'suppressionlist',
  ooto: 'delivery',
};
const ACCOUNT = '000000000000';
/** Read when an event is built: the local stack sets AWS_REGION after this module loads. */
const region = () => process.env.AWS_REGION ?? 'us-east-1';

/** The bare address of `Name <address>` or `address`. */
export function bareAddress(recipient: string): string {
  return (/<([^>]*)>\s*$/.exec(recipient)?.[1] ?? recipient).trim();
}

/** What the mailbox simulator does with mail to this address (anything else is delivered). */
export function simulatedOutcome(recipient: string): SimulatedOutcome {
  const address = bareAddress(recipient).toLowerCase();
  const at = address.lastIndexOf('@');
  if (address.slice(at + 1) !== SIMULATOR_DOMAIN) return 'delivery';
  const mailbox = address.slice(0, at).split('+')[0] ?? '';
  return SIMULATED[mailbox] ?? 'delivery';
}

/**
 * The SES event-publishing records for one stored message (pure): one Delivery for the
 * recipients that received it, one Bounce per kind of bounce, one Complaint, each listing
 * its recipients, all with the message's `mail` object. `now` stamps the events.
 */
export function sesEventsFor(
  email: StoredEmail,
  now: Date,
  tags?: Record<string, string[]>,
): Record<string, unknown>[] {
  const recipients = recipientsOf(email);
  const byOutcome = (...outcomes: SimulatedOutcome[]) =>
    recipients.filter((r) => outcomes.includes(simulatedOutcome(r)));
  const mail = mailOf(email, recipients, tags);
  const timestamp = now.toISOString();
  const events: Record<string, unknown>[] = [];

  const delivered = byOutcome('delivery', 'complaint');
  if (delivered.length > 0) {
    events.push({
      eventType: 'Delivery',
      mail,
      delivery: {
        timestamp,
        processingTimeMillis: Math.max(0, now.getTime() - email.at * 1000),
        recipients: delivered,
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: 'a8-70.smtp-out.amazonses.com',
      },
    });
  }
  const bounced = byOutcome('bounce');
  if (bounced.length > 0) {
    events.push(
      bounce(mail, timestamp, 'General', bounced, 'smtp; 550 5.1.1 user unknown', 'dsn; mta.example.com'),
    );
  }
  const onSuppressionList = byOutcome('suppressionlist');
  if (onSuppressionList.length > 0) {
    events.push(
      bounce(
        mail,
        timestamp,
        'OnAccountSuppressionList',
        onSuppressionList,
        'Amazon SES did not send the message to this address because it is on the suppression list for your account.',
      ),
    );
  }
  const complained = byOutcome('complaint');
  if (complained.length > 0) {
    events.push({
      eventType: 'Complaint',
      mail,
      complaint: {
        complainedRecipients: complained.map((emailAddress) => ({ emailAddress })),
        timestamp,
        feedbackId: feedbackId(email.messageId, 'complaint'),
        userAgent: 'Amazon SES Mailbox Simulator',
        complaintFeedbackType: 'abuse',
        arrivalDate: timestamp,
      },
    });
  }
  return events;
}

/** Every recipient's bare address (to, cc, bcc). */
export const recipientsOf = (email: StoredEmail): string[] =>
  [...(email.destination.to ?? []), ...(email.destination.cc ?? []), ...(email.destination.bcc ?? [])].map(
    bareAddress,
  );

/** The `mail` object of every event of a message; `tags` as SES publishes them (name → [value]). */
export function mailOf(email: StoredEmail, recipients: string[], tags?: Record<string, string[]>) {
  const sender = bareAddress(email.from);
  const to = email.destination.to ?? [];
  return {
    timestamp: new Date(email.at * 1000).toISOString(),
    source: email.from,
    sourceArn: `arn:aws:ses:${region()}:${ACCOUNT}:identity/${sender.slice(sender.lastIndexOf('@') + 1)}`,
    sendingAccountId: ACCOUNT,
    messageId: email.messageId,
    destination: recipients,
    headersTruncated: false,
    headers: [
      { name: 'From', value: email.from },
      { name: 'To', value: to.join(', ') },
      { name: 'Subject', value: email.subject },
      ...(email.headers ?? []),
    ],
    commonHeaders: { from: [email.from], to, messageId: email.messageId, subject: email.subject },
    ...(tags ? { tags } : {}),
  };
}

function bounce(
  mail: ReturnType<typeof mailOf>,
  timestamp: string,
  bounceSubType: 'General' | 'OnAccountSuppressionList',
  recipients: string[],
  diagnosticCode: string,
  reportingMTA?: string,
) {
  return {
    eventType: 'Bounce',
    mail,
    bounce: {
      bounceType: 'Permanent',
      bounceSubType,
      bouncedRecipients: recipients.map((emailAddress) => ({
        emailAddress,
        action: 'failed',
        status: '5.1.1',
        diagnosticCode,
      })),
      timestamp,
      feedbackId: feedbackId(mail.messageId, bounceSubType),
      ...(reportingMTA ? { reportingMTA } : {}),
    },
  };
}

const feedbackId = (messageId: string, kind: string) =>
  `${messageId}-${kind.toLowerCase()}-000000`.replace(/[^A-Za-z0-9-]/g, '-');

/** The SNS event Lambda receives from the ses-events topic: one record per SES event. */
export function snsEventOf(events: Record<string, unknown>[], now: Date): SNSEvent {
  const topicArn = `arn:aws:sns:${region()}:${ACCOUNT}:ses-events`;
  return {
    Records: events.map((event) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: `${topicArn}:local`,
      Sns: {
        Type: 'Notification',
        MessageId: randomUUID(),
        TopicArn: topicArn,
        Subject: 'Amazon SES Email Event Notification',
        Message: JSON.stringify(event),
        Timestamp: now.toISOString(),
        SignatureVersion: '1',
        Signature: 'local',
        SigningCertUrl: 'http://127.0.0.1/local.pem',
        UnsubscribeUrl: 'http://127.0.0.1/unsubscribe',
        MessageAttributes: {},
      },
    })),
  };
}

export interface SesEventsEmulator {
  /** Publishes the events of every message stored since the last poll; returns how many messages. */
  poll(): Promise<number>;
}

/**
 * Polls the SES emulator's store and feeds `deliver` (the ses-events handler) one SNS event per
 * new message. A message whose delivery throws is not marked seen: the next poll tries it again,
 * as SNS retries a failed Lambda invocation. Only messages from the last few seconds are fetched
 * (`?since=`), so what it remembers stays small.
 */
export function sesEventsEmulator(
  sesEndpoint: string,
  deliver: (event: SNSEvent) => Promise<unknown>,
  clock: () => Date = () => new Date(),
  tagsOf: (messageId: string) => Record<string, string[]> | undefined = () => undefined,
): SesEventsEmulator {
  const seen = new Map<string, number>();
  let since = 0;
  return {
    async poll() {
      const res = await fetch(`${sesEndpoint.replace(/\/+$/, '')}/store?since=${since}`);
      if (!res.ok) throw new Error(`SES store answered ${res.status}`);
      const { emails = [] } = (await res.json()) as { emails?: StoredEmail[] };
      let published = 0;
      let failed: number | undefined;
      for (const email of emails) {
        if (seen.has(email.messageId)) continue;
        const now = clock();
        try {
          await deliver(snsEventOf(sesEventsFor(email, now, tagsOf(email.messageId)), now));
        } catch (error) {
          failed = Math.min(failed ?? email.at, email.at);
          console.error(
            `local SES events: ${email.messageId} not published (retried next tick):`,
            error instanceof Error ? error.message : error,
          );
          continue;
        }
        seen.set(email.messageId, email.at);
        published += 1;
      }
      // Next time, fetch from the oldest message still to publish, else from the newest second seen
      // (`since` is inclusive and in whole seconds: later mail of that second must not be missed).
      const newest = Math.max(since, ...emails.map((e) => e.at));
      since = failed ?? newest;
      for (const [id, at] of seen) if (at < since) seen.delete(id);
      return published;
    },
  };
}
