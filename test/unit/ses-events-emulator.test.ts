import { describe, expect, it } from 'vitest';
import { mapSesEvent, type SesAction } from '../../functions/core/consent/ses-events';
import { leadIdFor } from '../../functions/core/kernel/email';
import {
  bareAddress,
  type StoredEmail,
  sesEventsFor,
  simulatedOutcome,
  snsEventOf,
} from '../../functions/local/ses-events-emulator';

/** The local SES events: what the mailbox simulator publishes, read back by the real ses-events mapping. */
const NOW = new Date('2026-03-02T15:00:05.000Z');
const stored = (to: string[], extra: Partial<StoredEmail> = {}): StoredEmail => ({
  messageId: 'ses-123456789',
  from: 'Leadflow <hello@leadflow.example>',
  destination: { to, cc: [], bcc: [] },
  subject: 'Welcome to Leadflow, Ada',
  headers: [{ name: 'List-Unsubscribe', value: '<http://localhost:3000/v1/unsubscribe?t=abc>' }],
  at: Date.parse('2026-03-02T15:00:02.000Z') / 1000,
  ...extra,
});
const actionsOf = (event: Record<string, unknown>): SesAction[] => {
  const mapped = mapSesEvent(JSON.stringify(event));
  if (mapped.kind !== 'actions') throw new Error(`malformed: ${JSON.stringify(event)}`);
  return mapped.actions;
};

describe('mailbox simulator outcomes', () => {
  it.each([
    ['success@simulator.amazonses.com', 'delivery'],
    ['bounce@simulator.amazonses.com', 'bounce'],
    ['complaint@simulator.amazonses.com', 'complaint'],
    ['suppressionlist@simulator.amazonses.com', 'suppressionlist'],
    ['ooto@simulator.amazonses.com', 'delivery'],
    ['bounce+e2e-1@simulator.amazonses.com', 'bounce'],
    ['Complaint+x@Simulator.AmazonSES.com', 'complaint'],
    ['Ada <suppressionlist+a@simulator.amazonses.com>', 'suppressionlist'],
    ['unknown@simulator.amazonses.com', 'delivery'],
    ['bounce@example.com', 'delivery'],
    ['ada@acme-industries.de', 'delivery'],
  ])('%s → %s', (address, outcome) => {
    expect(simulatedOutcome(address)).toBe(outcome);
  });

  it('reads the address out of a display-name recipient', () => {
    expect(bareAddress('Ada Lovelace <ada@acme-industries.de>')).toBe('ada@acme-industries.de');
    expect(bareAddress(' ada@acme-industries.de ')).toBe('ada@acme-industries.de');
  });
});

describe('SES event-publishing records for a stored message', () => {
  it('publishes a Delivery with the documented mail object for an ordinary address', () => {
    const [event, ...rest] = sesEventsFor(stored(['ada@acme-industries.de']), NOW);
    expect(rest).toEqual([]);
    expect(event).toEqual({
      eventType: 'Delivery',
      mail: {
        timestamp: '2026-03-02T15:00:02.000Z',
        source: 'Leadflow <hello@leadflow.example>',
        sourceArn: expect.stringMatching(/^arn:aws:ses:[a-z0-9-]+:000000000000:identity\/leadflow\.example$/),
        sendingAccountId: '000000000000',
        messageId: 'ses-123456789',
        destination: ['ada@acme-industries.de'],
        headersTruncated: false,
        headers: [
          { name: 'From', value: 'Leadflow <hello@leadflow.example>' },
          { name: 'To', value: 'ada@acme-industries.de' },
          { name: 'Subject', value: 'Welcome to Leadflow, Ada' },
          { name: 'List-Unsubscribe', value: '<http://localhost:3000/v1/unsubscribe?t=abc>' },
        ],
        commonHeaders: {
          from: ['Leadflow <hello@leadflow.example>'],
          to: ['ada@acme-industries.de'],
          messageId: 'ses-123456789',
          subject: 'Welcome to Leadflow, Ada',
        },
      },
      delivery: {
        timestamp: '2026-03-02T15:00:05.000Z',
        processingTimeMillis: 3000,
        recipients: ['ada@acme-industries.de'],
        smtpResponse: '250 2.6.0 Message received',
        reportingMTA: 'a8-70.smtp-out.amazonses.com',
      },
    });
    expect(event).not.toHaveProperty('mail.tags');
  });

  it('turns a delivery into an email_delivered activity of the recipient’s lead (no tags: by address)', () => {
    const [event] = sesEventsFor(stored(['ada@acme-industries.de']), NOW);
    expect(actionsOf(event ?? {})).toEqual([
      {
        kind: 'activity',
        leadId: leadIdFor('ada@acme-industries.de'),
        email: 'ada@acme-industries.de',
        activity: expect.objectContaining({
          type: 'email_delivered',
          at: '2026-03-02T15:00:05.000Z',
          source: 'ses',
          properties: { messageId: 'ses-123456789' },
        }),
      },
    ]);
  });

  it('bounces bounce@ permanently (General), which suppresses the address as bounced', () => {
    const to = 'bounce+e2e@simulator.amazonses.com';
    const events = sesEventsFor(stored([to]), NOW);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventType: 'Bounce',
      bounce: {
        bounceType: 'Permanent',
        bounceSubType: 'General',
        bouncedRecipients: [{ emailAddress: to, action: 'failed', status: '5.1.1' }],
        timestamp: NOW.toISOString(),
      },
    });
    expect(actionsOf(events[0] ?? {})).toEqual([
      { kind: 'suppress', email: to, reason: 'bounced', source: 'ses:bounce', at: NOW.toISOString() },
      expect.objectContaining({
        kind: 'activity',
        activity: expect.objectContaining({ type: 'email_bounced' }),
      }),
    ]);
  });

  it('delivers to complaint@ and then publishes the complaint, which suppresses it as complained', () => {
    const to = 'complaint@simulator.amazonses.com';
    const events = sesEventsFor(stored([to]), NOW);
    expect(events.map((e) => e.eventType)).toEqual(['Delivery', 'Complaint']);
    expect(events[1]).toMatchObject({
      complaint: { complainedRecipients: [{ emailAddress: to }], complaintFeedbackType: 'abuse' },
    });
    expect(actionsOf(events[1] ?? {})).toEqual([
      { kind: 'suppress', email: to, reason: 'complained', source: 'ses:complaint', at: NOW.toISOString() },
      expect.objectContaining({
        kind: 'activity',
        activity: expect.objectContaining({ type: 'email_complained' }),
      }),
    ]);
  });

  it('bounces suppressionlist@ with OnAccountSuppressionList; ooto@ and success@ are delivered', () => {
    const [listed] = sesEventsFor(stored(['suppressionlist@simulator.amazonses.com']), NOW);
    expect(listed).toMatchObject({
      eventType: 'Bounce',
      bounce: { bounceType: 'Permanent', bounceSubType: 'OnAccountSuppressionList' },
    });
    expect(actionsOf(listed ?? {})).toMatchObject([
      { kind: 'suppress', reason: 'bounced' },
      { kind: 'activity' },
    ]);
    for (const to of ['ooto@simulator.amazonses.com', 'success+x@simulator.amazonses.com']) {
      expect(sesEventsFor(stored([to]), NOW).map((e) => e.eventType)).toEqual(['Delivery']);
    }
  });

  it('lists each recipient of a message under the event that concerns it', () => {
    const events = sesEventsFor(
      stored(['success@simulator.amazonses.com'], {
        destination: {
          to: ['success@simulator.amazonses.com'],
          cc: ['bounce@simulator.amazonses.com'],
          bcc: ['Bo <complaint@simulator.amazonses.com>'],
        },
      }),
      NOW,
    );
    expect(events.map((e) => e.eventType)).toEqual(['Delivery', 'Bounce', 'Complaint']);
    expect(events[0]).toMatchObject({
      mail: {
        destination: [
          'success@simulator.amazonses.com',
          'bounce@simulator.amazonses.com',
          'complaint@simulator.amazonses.com',
        ],
      },
      delivery: { recipients: ['success@simulator.amazonses.com', 'complaint@simulator.amazonses.com'] },
    });
    expect(events[1]).toMatchObject({
      bounce: { bouncedRecipients: [{ emailAddress: 'bounce@simulator.amazonses.com' }] },
    });
  });

  it('wraps the records in an SNS event, one record per SES event, the message as a JSON string', () => {
    const events = sesEventsFor(stored(['complaint@simulator.amazonses.com']), NOW);
    const sns = snsEventOf(events, NOW);
    expect(sns.Records).toHaveLength(2);
    expect(sns.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      Sns: { Type: 'Notification', Subject: 'Amazon SES Email Event Notification' },
    });
    expect(sns.Records.map((r) => JSON.parse(r.Sns.Message))).toEqual(events);
  });
});
