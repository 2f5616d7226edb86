import { describe, expect, it } from 'vitest';
import {
  attributionFromTags,
  attributionTags,
  sequenceKey,
  tagValue,
} from '../../functions/core/kernel/email-attribution';
import type { LeadState } from '../../functions/core/leads/lead';
import type { Settings } from '../../functions/core/nurture/config-schema';
import type { Enrollment } from '../../functions/core/nurture/enrollment';
import { stepAttribution, stepEmail } from '../../functions/core/nurture/step-email';
import { skipActivity, stepActivity } from '../../functions/core/nurture/timeline';

const lead = { leadId: 'ld_0123456789abcdef0123456789', email: 'ada@example.com' } as LeadState;
const settings = { sender: { name: 'Acme', email: 'news@acme.example' } } as Settings;
const rendered = { subject: 'Hi', html: '<p>Hi</p>', text: 'Hi' };
const welcome = { id: 'welcome', enabled: true, requireConsent: true, steps: [] };
const step = {
  id: 'day-3',
  template: 'welcome-2',
  wait: { days: 3, hours: 0, minutes: 0 },
  ignoreSendWindow: false,
};
const now = new Date('2026-12-01T09:00:00.000Z');

const enrollment = (over: Partial<Enrollment> = {}): Enrollment => ({
  sequenceId: 'welcome',
  number: 1,
  status: 'active',
  enrolledAt: now.toISOString(),
  step: 1,
  ...over,
});

describe('email attribution (SES tags ⇄ timeline properties)', () => {
  it('tags a sequence step’s email with the lead, sequence, step and template', () => {
    const email = stepEmail({
      lead,
      sequence: welcome,
      step,
      settings,
      rendered,
      unsubscribeUrl: 'https://u',
    });
    expect(email.tags).toEqual([
      { name: 'leadId', value: lead.leadId },
      { name: 'sequence', value: 'welcome' },
      { name: 'step', value: 'day-3' },
      { name: 'template', value: 'welcome-2' },
    ]);
  });

  it('tags a broadcast’s email with its broadcast id instead of the enrollment key', () => {
    const sequence = { ...welcome, id: 'broadcast:bc_01JDZ3V6Q1A2B3C4D5E6F7G8H9' };
    const bstep = { ...step, id: 'broadcast', template: 'december-news' };
    expect(stepAttribution(sequence, bstep)).toEqual({
      step: 'broadcast',
      templateId: 'december-news',
      broadcastId: 'bc_01JDZ3V6Q1A2B3C4D5E6F7G8H9',
    });
    const email = stepEmail({ lead, sequence, step: bstep, settings, rendered, unsubscribeUrl: 'https://u' });
    expect(email.tags.map((t) => t.name)).toEqual(['leadId', 'step', 'template', 'broadcast']);
  });

  it('keeps every tag value within SES’s characters (letters, digits, _ and -; at most 256)', () => {
    expect(tagValue('confirm:newsletter')).toBe('confirm_newsletter');
    expect(tagValue('x'.repeat(300))).toHaveLength(256);
    const tags = attributionTags({ sequenceId: 'confirm:demo form', step: 'confirm', templateId: 'c' });
    for (const tag of tags) expect(tag.value).toMatch(/^[A-Za-z0-9_-]{1,256}$/);
    expect(sequenceKey('confirm:demo form')).toBe(tags[0]?.value);
  });

  it('reads back what it wrote: tags as SES publishes them give the same attribution', () => {
    const attribution = {
      sequenceId: 'welcome',
      step: 'day-3',
      templateId: 'welcome-2',
      broadcastId: 'bc_1',
    };
    const published = Object.fromEntries(attributionTags(attribution).map((t) => [t.name, [t.value]]));
    expect(attributionFromTags({ ...published, 'ses:configuration-set': ['x'] })).toEqual(attribution);
    expect(attributionFromTags(undefined)).toEqual({});
  });

  it('names the broadcast on every nurture entry of a broadcast enrollment, and the template on a skip', () => {
    const broadcast = enrollment({
      sequenceId: 'broadcast:bc_1',
      step: 0,
      broadcast: { id: 'bc_1', template: 'december-news' },
    });
    expect(stepActivity(lead.leadId, broadcast, 'sent', now, { step: 'broadcast' }).properties).toMatchObject(
      {
        sequenceId: 'broadcast:bc_1',
        broadcastId: 'bc_1',
        step: 'broadcast',
      },
    );
    const skipped = skipActivity(lead.leadId, enrollment(), step, 'suppressed', now);
    expect(skipped.properties).toEqual({
      sequenceId: 'welcome',
      enrollment: 1,
      step: 'day-3',
      templateId: 'welcome-2',
      reason: 'suppressed',
    });
    expect(skipped.properties).not.toHaveProperty('broadcastId');
  });
});
