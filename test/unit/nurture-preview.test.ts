import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readNurtureConfig } from '../../functions/adapters/files/config-dir';
import type { LeadState } from '../../functions/core/leads/lead';
import type { NurtureConfig, Sequence } from '../../functions/core/nurture/config-schema';
import { previewSequence, SAMPLE_UNSUBSCRIBE_URL } from '../../functions/core/nurture/preview';
import { sampleVars } from '../../functions/core/nurture/render';
import { leadVars, profileVars } from '../../functions/core/nurture/template-vars';
import { emptyAggregate } from '../../functions/core/scoring/score';

// Friday 2026-11-27 15:00 UTC = 10:00 in New York (the shipped window: Mon–Fri 09:00–17:00 there).
const now = new Date('2026-11-27T15:00:00.000Z');
const LINK = 'https://leadflow.example/v1/unsubscribe?t=signed';
let config: NurtureConfig;
let welcome: Sequence;

beforeAll(async () => {
  const shipped = await readNurtureConfig(resolve('config'));
  if (!shipped) throw new Error('config/settings.yaml is missing');
  config = shipped.config;
  const found = config.sequences.find((s) => s.id === 'welcome');
  if (!found) throw new Error('config/sequences/welcome.yaml is missing');
  welcome = found;
});

function lead(parts: Partial<LeadState> = {}): LeadState {
  const at = '2026-11-01T10:00:00.000Z';
  return {
    leadId: 'ld_0123456789abcdef01234567',
    email: 'grace@example.com',
    stage: 'subscriber',
    profile: { firstName: { value: 'Grace', source: 'form:newsletter', at } },
    createdAt: at,
    updatedAt: at,
    version: 3,
    aggregate: emptyAggregate(),
    score: null,
    ...parts,
  };
}

describe('sequence preview', () => {
  it('renders every step of the sample profile with a fake unsubscribe link and the sender headers', () => {
    const steps = previewSequence(config, welcome, { vars: sampleVars(SAMPLE_UNSUBSCRIBE_URL) }, now);
    expect(steps.map((s) => [s.stepId, s.template])).toEqual([
      ['welcome', 'welcome'],
      ['getting-started', 'getting-started'],
      ['case-study', 'case-study'],
    ]);
    expect(steps[0]?.html).toContain('Hi Ada,');
    expect(steps[0]?.html).toContain(SAMPLE_UNSUBSCRIBE_URL);
    expect(steps[0]?.text).toContain(config.settings.postalAddress);
    expect(steps[0]?.headers).toEqual([
      { name: 'List-Unsubscribe', value: `<${SAMPLE_UNSUBSCRIBE_URL}>` },
      { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      { name: 'From', value: `${config.settings.sender.name} <${config.settings.sender.email}>` },
      { name: 'Reply-To', value: config.settings.replyTo },
    ]);
    // No lead: conditions are not evaluated.
    expect(steps[2]?.condition).toBeUndefined();
  });

  it('walks the waits from now and moves each step into the send window unless it ignores it', () => {
    const when = previewSequence(config, welcome, { vars: sampleVars(SAMPLE_UNSUBSCRIBE_URL) }, now).map(
      (s) => s.when,
    );
    expect(when).toEqual([
      // At once, whatever the window.
      '2026-11-27T15:00:00.000Z',
      // Two days later is a Sunday: Monday 09:00 in New York.
      '2026-11-30T14:00:00.000Z',
      // Five days after that is a Saturday: the next Monday 09:00.
      '2026-12-07T14:00:00.000Z',
    ]);
  });

  it("reads the window in a sketched profile's own time zone", () => {
    const vars = profileVars({ firstName: 'Kenji', timezone: 'Asia/Tokyo' }, SAMPLE_UNSUBSCRIBE_URL);
    const steps = previewSequence(config, welcome, { vars, timezone: 'Asia/Tokyo' }, now);
    expect(steps[0]?.html).toContain('Hi Kenji,');
    // Two days after Saturday 00:00 in Tokyo: Monday, whose window opens at 09:00 there.
    expect(steps[1]?.when).toBe('2026-11-30T00:00:00.000Z');
  });

  it("evaluates a stored lead's step conditions: a step that does not hold is skipped at its due time", () => {
    const attended = lead({ nurture: { enrollments: {}, sent: [], seen: ['webinar_attended'] } });
    const steps = previewSequence(config, welcome, { lead: attended, vars: leadVars(attended, LINK) }, now);
    expect(steps[0]?.html).toContain('Hi Grace,');
    expect(steps[0]?.headers[0]).toEqual({ name: 'List-Unsubscribe', value: `<${LINK}>` });
    expect(steps[2]?.condition).toEqual({ holds: false });
    // Saturday: skipped then, not moved to Monday.
    expect(steps[2]?.when).toBe('2026-12-05T14:00:00.000Z');
    const fresh = lead();
    expect(
      previewSequence(config, welcome, { lead: fresh, vars: leadVars(fresh, LINK) }, now)[2]?.condition,
    ).toEqual({ holds: true });
  });

  it("counts the lead's recent sends against the frequency cap", () => {
    const mailed = lead({ nurture: { enrollments: {}, sent: ['2026-11-27T14:00:00.000Z'], seen: [] } });
    const steps = previewSequence(config, welcome, { lead: mailed, vars: leadVars(mailed, LINK) }, now);
    // One a day: 24 hours after the last send (the welcome ignores the window).
    expect(steps[0]?.when).toBe('2026-11-28T14:00:00.000Z');
    expect(steps[1]?.when).toBe('2026-11-30T14:00:00.000Z');
  });

  it('reports a template that fails to render on its step instead of failing the preview', () => {
    // Validation refuses unknown filters; a stored version predating a check would still render this way.
    const broken: NurtureConfig = {
      ...config,
      templates: config.templates.map((t) =>
        t.id === 'welcome' ? { ...t, text: '{{ firstName | shout }}' } : t,
      ),
    };
    const steps = previewSequence(broken, welcome, { vars: sampleVars(SAMPLE_UNSUBSCRIBE_URL) }, now);
    expect(steps[0]?.error).toMatch(/welcome/);
    expect(steps[0]?.subject).toBeUndefined();
    expect(steps[1]?.subject).toBeDefined();
  });
});
