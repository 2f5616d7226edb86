import { describe, expect, it } from 'vitest';
import { twoProportionZ, Z_95 } from '../../functions/core/kernel/ab-significance';
import type { Activity } from '../../functions/core/leads/lead';
import { emailDims, emailReport } from '../../functions/core/reports/email';
import type { Increment, ReportQuery, RollupRow } from '../../functions/core/reports/report';

/**
 * The email report splits an A/B step by variant: sends and unique opens and clicks counted from the
 * timeline entries that name the variant (the sent entry and the SES events carry it from the tags),
 * with the broadcasts' z-test saying whether the leader is ahead at 95%.
 */
let n = 0;
const entry = (type: string, properties: Record<string, unknown>, leadId: string): Activity => {
  n += 1;
  return { activityId: `act_${n}`, leadId, type, at: '2026-11-02T10:00:00.000Z', source: 'test', properties };
};

function fold(entries: Activity[]): RollupRow[] {
  const rows = new Map<string, RollupRow>();
  const claimed = new Set<string>();
  for (const e of entries)
    for (const inc of emailReport.increments(e, undefined, 'UTC') as Increment[]) {
      if (inc.once && claimed.has(inc.once)) continue;
      if (inc.once) claimed.add(inc.once);
      const row = rows.get(inc.dims) ?? { day: inc.day, dims: inc.dims, counts: {} };
      for (const [k, v] of Object.entries(inc.counts)) row.counts[k] = (row.counts[k] ?? 0) + v;
      rows.set(inc.dims, row);
    }
  return [...rows.values()];
}

const query = (sequence?: string): ReportQuery => ({
  from: '2026-11-01',
  to: '2026-11-30',
  interval: 'day',
  compare: false,
  filters: sequence ? { sequence } : {},
});

/** `sent` sends of a variant of welcome's `getting-started` step, the first `opened` opened (twice each). */
function sends(variant: string, template: string, sent: number, opened: number, clicked = 0): Activity[] {
  const at = { sequenceId: 'welcome', step: 'getting-started', templateId: template, variant };
  return Array.from({ length: sent }, (_, i) => {
    const lead = `ld_${variant}_${i}`;
    const p = { ...at, messageId: `m_${variant}_${i}` };
    return [
      entry('email_sent', p, lead),
      ...(i < opened ? [entry('email_opened', p, lead), entry('email_opened', p, lead)] : []),
      ...(i < clicked ? [entry('email_clicked', p, lead)] : []),
    ];
  }).flat();
}

describe('email report: A/B variants of a sequence step', () => {
  it('keeps the dims of mail without a variant as they were, and adds var= for an A/B step', () => {
    expect(emailDims({ sequenceId: 'welcome', step: 'welcome', templateId: 'welcome' })).toBe(
      'seq=welcome|step=welcome|tpl=welcome|bc=-',
    );
    expect(emailDims({ sequenceId: 'welcome', step: 's', templateId: 't', variant: 'b' })).toBe(
      'seq=welcome|step=s|tpl=t|bc=-|var=b',
    );
  });

  it('splits the step by variant with unique opens, clicks and rates per send, and says A leads at 95%', () => {
    const rows = fold([
      ...sends('a', 'getting-started', 200, 80, 20),
      ...sends('b', 'case-study', 200, 40, 18),
    ]);
    const variants = emailReport.build(rows, query('welcome')).tables.find((t) => t.id === 'variants');
    // Hand-computed: opens 80/200 against 40/200, pooled 0.3, z = 0.2 / sqrt(0.21 * 0.01) = 4.36.
    expect(twoProportionZ(80, 200, 40, 200)).toBeCloseTo(4.364, 3);
    expect(twoProportionZ(20, 200, 18, 200)).toBeLessThan(Z_95);
    expect(variants?.rows).toEqual([
      {
        step: 'getting-started',
        variant: 'a',
        sent: 200,
        opened: 80,
        clicked: 20,
        openRate: 0.4,
        clickRate: 0.1,
        openSignificance: 'variant A leads at 95% confidence',
        clickSignificance: 'not yet significant (under 95% confidence)',
      },
      {
        step: 'getting-started',
        variant: 'b',
        sent: 200,
        opened: 40,
        clicked: 18,
        openRate: 0.2,
        clickRate: 0.09,
        openSignificance: 'variant A leads at 95% confidence',
        clickSignificance: 'not yet significant (under 95% confidence)',
      },
    ]);
    // The step's own row still counts both variants' mail.
    const steps = emailReport.build(rows, query('welcome')).tables.find((t) => t.id === 'steps');
    expect(steps?.rows[0]).toMatchObject({ step: 'getting-started', sent: 400, opened: 120, clicked: 38 });
  });

  it('shows the variants table only for one sequence, and no rows for steps without variants', () => {
    const plain = entry(
      'email_sent',
      { sequenceId: 'welcome', step: 'welcome', templateId: 'welcome' },
      'ld',
    );
    const rows = fold([plain, ...sends('a', 'x', 3, 1), ...sends('b', 'y', 3, 1)]);
    expect(emailReport.build(rows, query()).tables.map((t) => t.id)).not.toContain('variants');
    const variants = emailReport.build(rows, query('welcome')).tables.find((t) => t.id === 'variants');
    expect(variants?.rows.map((r) => [r.step, r.variant, r.sent])).toEqual([
      ['getting-started', 'a', 3],
      ['getting-started', 'b', 3],
    ]);
    expect(variants?.rows[0]?.openSignificance).toBe('not yet significant (under 95% confidence)');
    expect(emailReport.build(rows, query('other')).tables.find((t) => t.id === 'variants')?.rows).toEqual([]);
  });

  it('names a leader by its name when it is not a letter', () => {
    const rows = fold([...sends('short-subject', 'x', 50, 40), ...sends('case-study', 'y', 50, 5)]);
    const variants = emailReport.build(rows, query('welcome')).tables.find((t) => t.id === 'variants');
    expect(variants?.rows.map((r) => [r.variant, r.openSignificance])).toEqual([
      ['case-study', 'variant "short-subject" leads at 95% confidence'],
      ['short-subject', 'variant "short-subject" leads at 95% confidence'],
    ]);
  });
});
