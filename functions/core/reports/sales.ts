import type { Activity } from '../leads/lead';
import { SALES_OUTCOMES } from '../leads/lead';
import { dayOf, hoursBetween } from './days';
import { byCount, groupCounts, keyedDims, keyedRows, sumCounts } from './filters';
import { bucketKey, quantileHours } from './histogram';
import type {
  Increment,
  LeadContext,
  ReportContent,
  ReportDefinition,
  ReportQuery,
  ReportTable,
  RollupRow,
} from './report';
import { touchDims } from './touch';

const OUTCOME_TYPES = new Map(SALES_OUTCOMES.map((outcome) => [`sales_${outcome}`, outcome]));
const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * Sales follow-up, from hand-off entries (effect.handoff), claims (sales_claimed) and outcomes
 * (sales_<outcome>). Rows `<kind>|<key>|<first touch>`: `all|-` (hand-offs, first claims with the
 * time to claim as buckets `ttc_h<b>`, expired claims), `out|-` (outcomes), `grade|<grade at the
 * hand-off>`, `rep|<rep>` (claims, outcomes, expired claims, SLA breaches). An SLA breach: a claim
 * made more than `slaMinutes` after the lead became hot, or a claim first answered by an outcome
 * more than `slaMinutes` after it was made.
 */
export function salesReport(slaMinutes: number): ReportDefinition {
  const slaHours = slaMinutes / 60;
  function increments(entry: Activity, lead: LeadContext | undefined, timeZone: string): Increment[] {
    const touch = touchDims(lead?.firstTouch ?? { source: 'unknown' });
    const row = (kind: string, key: string, counts: Record<string, number>): Increment => ({
      report: 'sales',
      day: dayOf(entry.at, timeZone),
      dims: keyedDims(kind, key, touch),
      counts,
    });
    const props = entry.properties ?? {};
    const out: Increment[] = [];
    if (entry.effect?.handoff) out.push(row('all', '-', { handoffs: 1 }));
    if (entry.type === 'sales_claimed') {
      const rep = text(props.rep) ?? entry.source.replace(/^sales:/, '');
      const hot = text(props.becameHotAt);
      const waited = hot ? hoursBetween(hot, entry.at) : 0;
      const previous = props.previousClaim as { rep?: unknown } | undefined;
      if (previous) {
        out.push(row('all', '-', { claimsExpired: 1 }));
        out.push(row('rep', text(previous.rep) ?? '-', { claimsExpired: 1 }));
      } else out.push(row('all', '-', { claimed: 1, [bucketKey('ttc_h', waited)]: 1 }));
      out.push(row('rep', rep, { claims: 1, slaBreaches: !previous && waited > slaHours ? 1 : 0 }));
    }
    const outcome = OUTCOME_TYPES.get(entry.type);
    if (outcome) {
      const rep = text(props.rep) ?? entry.source.replace(/^sales:/, '');
      const claimedAt = text(props.claimedAt);
      const late = claimedAt !== undefined && hoursBetween(claimedAt, entry.at) > slaHours;
      const grade = text((props.handoffScore as { grade?: unknown } | undefined)?.grade) ?? '-';
      out.push(row('out', '-', { [outcome]: 1 }));
      out.push(row('grade', grade, { [outcome]: 1 }));
      out.push(row('rep', rep, { outcomes: 1, slaBreaches: late ? 1 : 0 }));
    }
    return out;
  }

  function outcomesTable(
    id: string,
    title: string,
    label: string,
    rows: { key: string; counts: Record<string, number> }[],
  ): ReportTable {
    return {
      id,
      title,
      columns: [
        {
          key: label,
          label: label === 'source' ? 'Source (first touch)' : 'Grade at hand-off',
          kind: 'text',
        },
        ...SALES_OUTCOMES.map((outcome) => ({
          key: outcome,
          label: outcome.replace('_', ' '),
          kind: 'count' as const,
        })),
      ],
      rows: byCount(
        rows.map(({ key, counts }) => ({
          [label]: key,
          ...Object.fromEntries(SALES_OUTCOMES.map((outcome) => [outcome, counts[outcome] ?? 0])),
        })),
        'won',
        label,
      ),
    };
  }

  function build(rows: RollupRow[], query: ReportQuery): ReportContent {
    const all = sumCounts(keyedRows(rows, 'all', query.filters));
    const outcomes = keyedRows(rows, 'out', query.filters);
    const bySource = groupCounts(outcomes, (row) => row.touch.source);
    const byGrade = groupCounts(keyedRows(rows, 'grade', query.filters), (row) => row.key);
    const reps = groupCounts(keyedRows(rows, 'rep', query.filters), (row) => row.key);
    return {
      series: [],
      tables: [
        {
          id: 'summary',
          title: 'Hand-offs and claims',
          columns: [
            { key: 'handoffs', label: 'Hand-offs', kind: 'count' },
            { key: 'claimed', label: 'Claimed', kind: 'count' },
            { key: 'ttcP50Hours', label: 'Time to first claim, median', kind: 'hours' },
            { key: 'ttcP90Hours', label: 'Time to first claim, p90', kind: 'hours' },
            { key: 'claimsExpired', label: 'Claims expired', kind: 'count' },
          ],
          rows: [
            {
              handoffs: all.handoffs ?? 0,
              claimed: all.claimed ?? 0,
              ttcP50Hours: quantileHours(all, 'ttc_h', 0.5),
              ttcP90Hours: quantileHours(all, 'ttc_h', 0.9),
              claimsExpired: all.claimsExpired ?? 0,
            },
          ],
        },
        outcomesTable(
          'outcomes_by_source',
          'Outcomes by source',
          'source',
          [...bySource].map(([key, counts]) => ({ key, counts })),
        ),
        outcomesTable(
          'outcomes_by_grade',
          'Outcomes by grade',
          'grade',
          [...byGrade].map(([key, counts]) => ({ key, counts })),
        ),
        {
          id: 'reps',
          title: 'Reps',
          columns: [
            { key: 'rep', label: 'Rep', kind: 'text' },
            { key: 'claims', label: 'Claims', kind: 'count' },
            { key: 'outcomes', label: 'Outcomes', kind: 'count' },
            { key: 'claimsExpired', label: 'Claims expired', kind: 'count' },
            { key: 'slaBreaches', label: 'SLA breaches', kind: 'count' },
          ],
          rows: byCount(
            [...reps].map(([rep, counts]) => ({
              rep,
              claims: counts.claims ?? 0,
              outcomes: counts.outcomes ?? 0,
              claimsExpired: counts.claimsExpired ?? 0,
              slaBreaches: counts.slaBreaches ?? 0,
            })),
            'claims',
            'rep',
          ),
        },
      ],
    };
  }

  return { id: 'sales', increments, build };
}
