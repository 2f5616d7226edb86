import { describe, expect, it } from 'vitest';
import { mapSesEvent, type SesAction } from '../../functions/core/consent/ses-events';
import { leadIdFor } from '../../functions/core/kernel/email';
import {
  click,
  complaint,
  delivery,
  open,
  permanentBounce,
  send,
  transientBounce,
} from '../fixtures/ses-events';

const to = 'recipient@example.com';
const leadId = leadIdFor('someone@else.example');
const actions = (event: object): SesAction[] => {
  const mapped = mapSesEvent(JSON.stringify(event));
  if (mapped.kind !== 'actions') throw new Error('malformed');
  return mapped.actions;
};
const activityOf = (event: object) => {
  const [action] = actions(event);
  if (action?.kind !== 'activity') throw new Error('not an activity');
  return action;
};

describe('SES event mapping', () => {
  it('suppresses the bounced recipients of a permanent bounce and notes email_bounced on their timeline', () => {
    const [suppress, noted, ...rest] = actions(permanentBounce({ to }));
    expect(suppress).toEqual({
      kind: 'suppress',
      email: to,
      reason: 'bounced',
      source: 'ses:bounce',
      at: '2017-08-05T00:41:02.669Z',
    });
    expect(noted).toMatchObject({
      kind: 'activity',
      leadId: leadIdFor(to),
      activity: {
        type: 'email_bounced',
        at: '2017-08-05T00:41:02.669Z',
        properties: { bounceSubType: 'General' },
      },
    });
    expect(rest).toEqual([]);
  });

  it('suppresses the complaining recipients of a complaint and notes email_complained', () => {
    const [suppress, noted, ...rest] = actions(complaint({ to }));
    expect(suppress).toEqual({
      kind: 'suppress',
      email: to,
      reason: 'complained',
      source: 'ses:complaint',
      at: '2017-08-05T00:41:02.669Z',
    });
    expect(noted).toMatchObject({
      kind: 'activity',
      activity: { type: 'email_complained', properties: { feedbackType: 'abuse' } },
    });
    expect(rest).toEqual([]);
  });

  it('copies the send’s sequence, step, template and broadcast tags into every entry of its events', () => {
    const tags = { sequence: 'welcome', step: 'day-3', template: 'welcome-2' };
    for (const event of [
      delivery({ to, leadId, tags }),
      open({ to, leadId, tags }),
      click({ to, leadId, tags }),
      permanentBounce({ to, leadId, tags }),
      complaint({ to, leadId, tags }),
    ]) {
      const activity = actions(event).find((a) => a.kind === 'activity');
      expect(activity?.kind === 'activity' && activity.activity.properties).toMatchObject({
        messageId: expect.stringMatching(/^EXAMPLE/),
        sequenceId: 'welcome',
        step: 'day-3',
        templateId: 'welcome-2',
      });
    }
    const broadcast = activityOf(
      open({ to, leadId, tags: { broadcast: 'bc_01JABC', template: 'news', step: 'broadcast' } }),
    );
    expect(broadcast.activity.properties).toEqual({
      messageId: expect.any(String),
      broadcastId: 'bc_01JABC',
      templateId: 'news',
      step: 'broadcast',
    });
  });

  it('leaves out attribution tags that SES could not have set (not tag characters)', () => {
    const activity = activityOf(open({ to, leadId, tags: { sequence: 'has space', step: '' } })).activity;
    expect(activity.properties).toEqual({ messageId: expect.any(String) });
  });

  it('only notes a transient bounce on the timeline, without suppressing', () => {
    const action = activityOf(transientBounce({ to }));
    expect(action.activity).toMatchObject({
      type: 'email_bounced_transient',
      properties: { bounceSubType: 'MailboxFull' },
    });
  });

  it('turns delivery, open and click into activities of the tagged lead, with the message id and link', () => {
    expect(activityOf(delivery({ to, leadId })).activity).toMatchObject({
      leadId,
      type: 'email_delivered',
      source: 'ses',
      at: '2016-10-19T23:20:52.240Z',
      properties: { messageId: expect.stringMatching(/^EXAMPLE/) },
    });
    expect(activityOf(open({ to, leadId })).activity.type).toBe('email_opened');
    expect(activityOf(click({ to, leadId })).activity).toMatchObject({
      type: 'email_clicked',
      properties: { link: 'https://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html' },
    });
  });

  it('records no engagement for a proof (test-send), but a proof that bounces or is complained about suppresses', () => {
    for (const event of [
      delivery({ to, purpose: 'proof' }),
      open({ to, purpose: 'proof' }),
      click({ to, purpose: 'proof' }),
    ])
      expect(actions(event)).toEqual([]);
    expect(actions(permanentBounce({ to, purpose: 'proof' }))).toEqual([
      expect.objectContaining({ kind: 'suppress', email: to }),
    ]);
    expect(actions(complaint({ to, purpose: 'proof' }))).toEqual([
      expect.objectContaining({ kind: 'suppress', email: to }),
    ]);
  });

  it('falls back to the recipient lead when the mail carries no leadId tag', () => {
    expect(activityOf(open({ to })).leadId).toBe(leadIdFor(to));
  });

  it('derives activity ids from message, type and time: a redelivery maps to the same id', () => {
    const a = activityOf(click({ to, leadId })).activity.activityId;
    expect(activityOf(click({ to, leadId })).activity.activityId).toBe(a);
    expect(activityOf(click({ to, leadId }, '2017-08-10T00:00:00.000Z')).activity.activityId).not.toBe(a);
    expect(activityOf(open({ to, leadId }, '2017-08-09T23:51:25.570Z')).activity.activityId).not.toBe(a);
    expect(activityOf(click({ to, leadId, messageId: 'other' })).activity.activityId).not.toBe(a);
  });

  it('ignores event types it does not act on', () => {
    expect(actions(send({ to }))).toEqual([]);
    expect(actions({ ...send({ to }), eventType: 'DeliveryDelay' })).toEqual([]);
    expect(actions({ ...send({ to }), eventType: 'SomethingNew' })).toEqual([]);
  });

  it('reports malformed messages instead of throwing', () => {
    for (const bad of [
      '',
      'not json',
      'null',
      '[]',
      JSON.stringify({ eventType: 'Bounce' }),
      JSON.stringify({ ...permanentBounce({ to }), bounce: undefined }),
      JSON.stringify({ ...click({ to }), click: { timestamp: 'yesterday', link: 'x' } }),
      JSON.stringify({ ...open({ to }), mail: { messageId: 1, destination: 'x' } }),
    ]) {
      expect(mapSesEvent(bad)).toEqual({ kind: 'malformed' });
    }
  });
});
