import type { Activity, Stage } from '../leads/lead';
import { dayOf, hoursBetween, periodOf, periodsIn } from './days';
import { groupCounts, rate, rowsOfKind, sumCounts } from './filters';
import { bucketKey, quantileHours } from './histogram';
import type {
  Increment,
  LeadContext,
  ReportContent,
  ReportDefinition,
  ReportQuery,
  RollupRow,
} from './report';
import { touchDims } from './touch';

/** The funnel's stages in order; `hot` is a hand-off to sales (not a stored stage). */
export const FUNNEL_STAGES = [
  'subscriber',
  'lead',
  'mql',
  'hot',
  'sql',
  'opportunity',
  'customer',
  'recycled',
  'disqualified',
] as const;
export type FunnelStage = Stage | 'hot';
/** The main path: each stage converts to the next one here. */
const PATH: readonly FunnelStage[] = ['subscriber', 'lead', 'mql', 'hot', 'sql', 'opportunity', 'customer'];
const UNKNOWN_TOUCH = { source: 'unknown' };

/** The stages an entry puts its lead in: the stage it was created in, a stage change, a hand-off. */
export function stagesEntered(entry: Activity): FunnelStage[] {
  const stages: FunnelStage[] = [];
  if (entry.effect?.created) stages.push(entry.effect.created);
  if (entry.effect?.stage) stages.push(entry.effect.stage.to);
  if (entry.effect?.handoff) stages.push('hot');
  return stages;
}

/**
 * Per entry: `stage|<first touch>` on the entry's day (leads entering each stage, the hours from
 * first seen to entering it as histogram buckets `ttr_<stage>_h<b>`, and the hours the lead spent in
 * the stage it left, `tis_<stage>_h<b>`), and `cohort|<first touch>`
 * on the day the lead was first seen (so a range of cohorts reads every stage its leads reached later).
 */
function increments(entry: Activity, lead: LeadContext | undefined, timeZone: string): Increment[] {
  const stages = stagesEntered(entry);
  if (stages.length === 0) return [];
  const touch = touchDims(lead?.firstTouch ?? UNKNOWN_TOUCH);
  const entered: Record<string, number> = {};
  for (const stage of stages) entered[`in_${stage}`] = (entered[`in_${stage}`] ?? 0) + 1;
  if (entry.effect?.created) entered.new = 1;
  const counts = { ...entered };
  // Time in stage: the stage the entry ends, from when the lead entered it.
  const left = entry.effect?.stage;
  if (left?.since) {
    const key = bucketKey(`tis_${left.from}_h`, hoursBetween(left.since, entry.at));
    counts[key] = (counts[key] ?? 0) + 1;
  }
  if (lead)
    for (const stage of stages) {
      const key = bucketKey(`ttr_${stage}_h`, hoursBetween(lead.createdAt, entry.at));
      counts[key] = (counts[key] ?? 0) + 1;
    }
  const own: Increment = { report: 'funnel', day: dayOf(entry.at, timeZone), dims: `stage|${touch}`, counts };
  if (!lead) return [own];
  return [
    own,
    { report: 'funnel', day: dayOf(lead.createdAt, timeZone), dims: `cohort|${touch}`, counts: entered },
  ];
}

function build(rows: RollupRow[], query: ReportQuery): ReportContent {
  const stageRows = rowsOfKind(rows, 'stage', query.filters);
  const totals = sumCounts(stageRows);
  const entered = (stage: string) => totals[`in_${stage}`] ?? 0;
  const perPeriod = groupCounts(stageRows, (row) => periodOf(row.day, query.interval));
  const cohorts = groupCounts(rowsOfKind(rows, 'cohort', query.filters), (row) => periodOf(row.day, 'week'));
  return {
    series: [
      {
        id: 'entered',
        title: 'Leads entering each stage',
        keys: [...FUNNEL_STAGES],
        points: periodsIn(query.from, query.to, query.interval).map((period) => {
          const counts = perPeriod.get(period) ?? {};
          return {
            period,
            values: Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, counts[`in_${stage}`] ?? 0])),
          };
        }),
      },
    ],
    tables: [
      {
        id: 'stages',
        title: 'Stages',
        columns: [
          { key: 'stage', label: 'Stage', kind: 'text' },
          { key: 'entered', label: 'Entered', kind: 'count' },
          // Entries into the next stage per entry into this one in the period: a lead may enter past a stage
          // (a demo request comes in as mql), so this can pass 100%; the cohorts table follows people.
          { key: 'conversion', label: 'Next stage entries per entry', kind: 'rate' },
          { key: 'medianHours', label: 'Median time in stage', kind: 'hours' },
          { key: 'reachMedianHours', label: 'Median time to reach (from first seen)', kind: 'hours' },
          { key: 'reachP90Hours', label: '90% reached within', kind: 'hours' },
        ],
        rows: FUNNEL_STAGES.map((stage) => {
          const next = PATH[PATH.indexOf(stage) + 1];
          return {
            stage,
            entered: entered(stage),
            conversion: next && PATH.includes(stage) ? rate(entered(next), entered(stage)) : null,
            medianHours: quantileHours(totals, `tis_${stage}_h`, 0.5),
            reachMedianHours: quantileHours(totals, `ttr_${stage}_h`, 0.5),
            reachP90Hours: quantileHours(totals, `ttr_${stage}_h`, 0.9),
          };
        }),
      },
      {
        id: 'cohorts',
        title: 'Cohorts (week first seen): leads reaching each stage',
        columns: [
          { key: 'cohort', label: 'Week first seen', kind: 'text' },
          { key: 'leads', label: 'New leads', kind: 'count' },
          ...FUNNEL_STAGES.map((stage) => ({ key: stage, label: stage, kind: 'count' as const })),
        ],
        rows: [...cohorts]
          .map(([cohort, counts]) => ({
            cohort,
            leads: counts.new ?? 0,
            ...Object.fromEntries(FUNNEL_STAGES.map((stage) => [stage, counts[`in_${stage}`] ?? 0])),
          }))
          .sort((a, b) => String(a.cohort).localeCompare(String(b.cohort))),
      },
    ],
  };
}

export const funnelReport: ReportDefinition = { id: 'funnel', increments, build };
