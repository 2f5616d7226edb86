import { describe, expect, it } from 'vitest';
import type { Activity } from '../../functions/core/leads/lead';
import { sumRows } from '../../functions/core/reports/aggregate';
import { funnelReport } from '../../functions/core/reports/funnel';
import type { LeadContext, ReportDefinition, ReportQuery } from '../../functions/core/reports/report';
import { salesReport } from '../../functions/core/reports/sales';
import { bandOf, scoringReport } from '../../functions/core/reports/scoring';
import { sourcesReport } from '../../functions/core/reports/sources';

const TZ = 'Europe/Berlin';
const query: ReportQuery = {
  from: '2026-11-01',
  to: '2026-11-30',
  interval: 'week',
  compare: false,
  filters: {},
};
const google: LeadContext = {
  leadId: 'ld_a',
  createdAt: '2026-11-02T09:00:00.000Z',
  firstTouch: { source: 'google', campaign: 'spring', formId: 'demo-request' },
};
const meta: LeadContext = {
  leadId: 'ld_b',
  createdAt: '2026-11-03T23:30:00.000Z',
  firstTouch: { source: 'meta', platform: 'meta' },
};
const leads = new Map([google, meta].map((lead) => [lead.leadId, lead]));
const entry = (
  leadId: string,
  id: string,
  type: string,
  at: string,
  rest: Partial<Activity> = {},
): Activity => ({
  activityId: id,
  leadId,
  type,
  at,
  source: 'form:demo-request',
  ...rest,
});
const hot = { total: 85, grade: 'A', modelVersion: 3, rules: ['trial', 'business-email'] };
const TIMELINE: Activity[] = [
  entry('ld_a', 'a1', 'form_submitted', '2026-11-02T09:00:00.000Z', {
    attribution: { utm_source: 'google', utm_campaign: 'spring' },
    effect: { created: 'lead' },
  }),
  entry('ld_a', 'a2', 'trial_started', '2026-11-02T19:00:00.000Z', {
    effect: { stage: { from: 'lead', to: 'mql', since: '2026-11-02T09:00:00.000Z' }, handoff: 1, hot },
  }),
  entry('ld_a', 'a3', 'sales_claimed', '2026-11-02T19:30:00.000Z', {
    source: 'sales:ravi',
    properties: { handoff: 1, becameHotAt: '2026-11-02T19:00:00.000Z', rep: 'ravi' },
  }),
  entry('ld_a', 'a4', 'sales_won', '2026-11-04T10:00:00.000Z', {
    source: 'sales:ravi',
    properties: { handoff: 1, rep: 'ravi', handoffScore: hot, claimedAt: '2026-11-02T19:30:00.000Z' },
    effect: { stage: { from: 'mql', to: 'customer', since: '2026-11-02T19:00:00.000Z' } },
  }),
  // Created at 00:30 Berlin time on the 4th (23:30 UTC the day before): its day is the 4th.
  entry('ld_b', 'b1', 'form_submitted', '2026-11-03T23:30:00.000Z', {
    source: 'meta',
    formId: 'meta:77',
    attribution: { utm_source: 'meta', campaign_id: 'c9' },
    effect: { created: 'subscriber' },
  }),
  entry('ld_b', 'b2', 'sales_claimed', '2026-11-04T02:00:00.000Z', {
    source: 'sales:sofia',
    properties: {
      handoff: 1,
      becameHotAt: '2026-11-04T01:00:00.000Z',
      rep: 'sofia',
      previousClaim: { rep: 'ravi', claimedAt: '2026-11-04T01:10:00.000Z' },
    },
  }),
];

function rowsOf(definition: ReportDefinition) {
  return sumRows(TIMELINE.flatMap((e) => definition.increments(e, leads.get(e.leadId), TZ))).map(
    ({ day, dims, counts }) => ({ day, dims, counts }),
  );
}
const table = (definition: ReportDefinition, id: string) =>
  definition.build(rowsOf(definition), query).tables.find((t) => t.id === id);

describe('funnel report', () => {
  it('counts leads entering each stage, conversion along the path and hours from first seen, per week', () => {
    const stages = table(funnelReport, 'stages')?.rows ?? [];
    const row = (stage: string) => stages.find((r) => r.stage === stage);
    // 10 hours in lead (bucket [8, 12) reads as 12); reached at creation (bucket [0, 1) reads as 1).
    expect(row('lead')).toMatchObject({ entered: 1, conversion: 1, medianHours: 12, reachMedianHours: 1 });
    // Conversion is entries into the next stage over entries into this one, in the period.
    expect(row('subscriber')).toMatchObject({ entered: 1, conversion: 1 });
    // mql and hot 10 hours after first seen: bucket [8, 12) reads as 12.
    // 39 hours in mql before the deal was won: bucket [24, 48) reads as 48.
    expect(row('mql')).toMatchObject({ entered: 1, conversion: 1, medianHours: 48, reachMedianHours: 12 });
    expect(row('hot')).toMatchObject({ entered: 1, conversion: 0 });
    // customer 49 hours after: bucket [48, 72) reads as 72.
    expect(row('customer')).toMatchObject({
      entered: 1,
      conversion: null,
      medianHours: null,
      reachMedianHours: 72,
    });
    const series = funnelReport.build(rowsOf(funnelReport), query).series[0];
    expect(series?.points.find((p) => p.period === '2026-11-02')?.values).toMatchObject({
      lead: 1,
      subscriber: 1,
      mql: 1,
      hot: 1,
      customer: 1,
    });
    expect(table(funnelReport, 'cohorts')?.rows).toEqual([
      expect.objectContaining({
        cohort: '2026-11-02',
        leads: 2,
        subscriber: 1,
        lead: 1,
        mql: 1,
        hot: 1,
        customer: 1,
      }),
    ]);
  });

  it('filters by first touch', () => {
    const rows =
      funnelReport.build(rowsOf(funnelReport), { ...query, filters: { platform: 'meta' } }).tables[0]?.rows ??
      [];
    expect(rows.filter((r) => Number(r.entered) > 0).map((r) => r.stage)).toEqual(['subscriber']);
  });
});

describe('sources report', () => {
  it('credits conversions to the first touch and each capture to its own touch', () => {
    const first = table(sourcesReport, 'first_touch')?.rows ?? [];
    expect(first.find((r) => r.dimension === 'source' && r.value === 'google')).toEqual({
      dimension: 'source',
      value: 'google',
      newLeads: 1,
      mqls: 1,
      handoffs: 1,
      won: 1,
    });
    expect(first.find((r) => r.dimension === 'campaign' && r.value === 'spring')).toMatchObject({ won: 1 });
    expect(first.find((r) => r.dimension === 'platform' && r.value === 'meta')).toMatchObject({
      newLeads: 1,
      won: 0,
    });
    const last = table(sourcesReport, 'last_touch')?.rows ?? [];
    expect(last.find((r) => r.dimension === 'campaign' && r.value === 'c9')).toEqual({
      dimension: 'campaign',
      value: 'c9',
      captures: 1,
      newLeads: 1,
      mqls: 0,
      handoffs: 0,
    });
    expect(last.find((r) => r.dimension === 'form' && r.value === 'meta:77')).toMatchObject({ captures: 1 });
  });
});

describe('sales report', () => {
  it('counts hand-offs, first claims with time to claim, expired claims, outcomes and SLA breaches per rep', () => {
    const sales = salesReport(15);
    // 30 minutes to the first claim: bucket [0, 1) reads as 1 hour.
    expect(table(sales, 'summary')?.rows).toEqual([
      { handoffs: 1, claimed: 1, ttcP50Hours: 1, ttcP90Hours: 1, claimsExpired: 1 },
    ]);
    expect(table(sales, 'outcomes_by_grade')?.rows).toEqual([
      expect.objectContaining({ grade: 'A', won: 1, lost: 0 }),
    ]);
    expect(table(sales, 'outcomes_by_source')?.rows).toEqual([
      expect.objectContaining({ source: 'google', won: 1 }),
    ]);
    // ravi: claimed 30 minutes after hot (breach of 15), won 38 hours after the claim (breach); his
    // earlier claim on ld_b lapsed. sofia: a re-claim (no pick-up SLA).
    expect(table(sales, 'reps')?.rows).toEqual([
      { rep: 'ravi', claims: 1, outcomes: 1, claimsExpired: 1, slaBreaches: 2 },
      { rep: 'sofia', claims: 1, outcomes: 0, claimsExpired: 0, slaBreaches: 0 },
    ]);
    expect(table(salesReport(24 * 60 * 2), 'reps')?.rows?.[0]).toMatchObject({ rep: 'ravi', slaBreaches: 0 });
  });
});

describe('scoring report', () => {
  it('checks the score that made a lead hot against what sales made of it: grade, band, model version, rules', () => {
    expect(bandOf(85)).toBe('80-99');
    expect(bandOf(130)).toBe('100+');
    expect(table(scoringReport, 'grades')?.rows).toEqual([
      { grade: 'A', handoffs: 1, reachedSql: 1, won: 1, sqlRate: 1, winRate: 1 },
    ]);
    expect(table(scoringReport, 'calibration')?.rows).toEqual([
      expect.objectContaining({ modelVersion: '3', band: '80-99', handoffs: 1, won: 1 }),
    ]);
    expect(table(scoringReport, 'rules')?.rows.map((r) => [r.rule, r.won, r.lift])).toEqual([
      ['business-email', 1, 1],
      ['trial', 1, 1],
    ]);
  });
});
