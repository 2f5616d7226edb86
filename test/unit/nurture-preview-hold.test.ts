import { describe, expect, it } from 'vitest';
import type { LeadState } from '../../functions/core/leads/lead';
import type { NurtureConfig, Sequence } from '../../functions/core/nurture/config-schema';
import { holdFor } from '../../functions/core/nurture/preview-hold';
import { emptyAggregate } from '../../functions/core/scoring/score';

const at = '2026-12-01T09:00:00.000Z';
const now = new Date('2026-12-03T10:00:00.000Z');
const sequence: Sequence = {
  id: 'welcome',
  name: 'Welcome',
  enabled: true,
  trigger: { on: 'manual' },
  entry: { requireConsent: true, reentry: 'never' },
  steps: [
    { id: 'one', template: 'welcome', wait: { days: 0, hours: 0, minutes: 0 }, ignoreSendWindow: false },
  ],
  exit: { onHandoff: true, stages: ['customer'], activities: [] },
};
const config = {
  settings: {
    sender: { email: 'hi@acme.io', name: 'Acme' },
    postalAddress: '1 Main Street, Springfield',
    sendWindow: { days: ['mon'], start: '09:00', end: '17:00', timezone: 'UTC' },
    frequencyCap: { perDay: 1, perWeek: 2 },
  },
  layout: { html: 'x', text: 'x' },
  templates: [],
  sequences: [sequence],
} as NurtureConfig;
const lead = (more: Partial<LeadState> = {}): LeadState => ({
  leadId: 'ld_1',
  email: 'a@example.com',
  stage: 'lead',
  profile: {},
  marketingConsent: { granted: true, at, source: 'form:newsletter' },
  createdAt: at,
  updatedAt: at,
  version: 1,
  aggregate: emptyAggregate(),
  score: null,
  ...more,
});

describe('why a preview would not send', () => {
  it('says nothing when the gate lets the first step through (a closed window only moves it)', () => {
    expect(holdFor(config, sequence, lead(), undefined, now)).toBeUndefined();
  });

  it('names the reason in words, in the order the sender checks them', () => {
    expect(holdFor(config, sequence, lead({ marketingConsent: undefined }), undefined, now)).toEqual({
      reason: 'no_consent',
      message: expect.stringMatching(/^No marketing consent/),
    });
    const hot = lead({
      handoff: { number: 1, status: 'sent', becameHotAt: at, rules: ['demo'], sentAt: at },
    } as Partial<LeadState>);
    expect(holdFor(config, sequence, hot, undefined, now)?.reason).toBe('owned_by_sales');
    expect(holdFor(config, sequence, lead({ stage: 'customer' }), undefined, now)?.reason).toBe(
      'stage_reached',
    );
    const bounced = { reason: 'bounced', source: 'ses', at } as const;
    expect(holdFor(config, sequence, lead(), bounced as never, now)?.reason).toBe('suppressed');
    const off = { ...sequence, enabled: false };
    expect(holdFor({ ...config, sequences: [off] }, off, lead(), undefined, now)?.reason).toBe(
      'sequence_disabled',
    );
  });
});
