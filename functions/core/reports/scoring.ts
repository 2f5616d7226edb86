import type { Activity, HandoffScore } from '../leads/lead';
import { dayOf } from './days';
import { byCount, groupCounts, keyedDims, keyedRows, rate, sumCounts } from './filters';
import type {
  Increment,
  LeadContext,
  ReportContent,
  ReportDefinition,
  ReportQuery,
  ReportRow,
  RollupRow,
} from './report';
import { touchDims } from './touch';

const SQL_OR_LATER = new Set(['sql', 'opportunity', 'customer']);
const BAND_WIDTH = 20;

/** The score band of a total: `0-19`, `20-39`, ... `100+`. */
export function bandOf(total: number): string {
  const low = Math.max(0, Math.floor(total / BAND_WIDTH) * BAND_WIDTH);
  return low >= 100 ? '100+' : `${low}-${low + BAND_WIDTH - 1}`;
}

function scoreOf(entry: Activity): HandoffScore | undefined {
  if (entry.effect?.hot) return entry.effect.hot;
  const carried = entry.properties?.handoffScore as HandoffScore | undefined;
  return carried && typeof carried.total === 'number' ? carried : undefined;
}

/** What an entry says about a prediction: a hand-off made, a hand-off reaching SQL (or beyond), a won deal. */
function outcomeCounts(entry: Activity): Record<string, number> | undefined {
  if (entry.effect?.hot) return { handoffs: 1 };
  const stage = entry.effect?.stage;
  const counts: Record<string, number> = {};
  if (stage && SQL_OR_LATER.has(stage.to) && !SQL_OR_LATER.has(stage.from)) counts.reachedSql = 1;
  if (entry.type === 'sales_won') counts.won = 1;
  return Object.keys(counts).length > 0 ? counts : undefined;
}

/**
 * Scoring model quality: every hand-off with the score that made it hot (effect.hot), and every
 * sales outcome that reached SQL or won, credited to that same score (the outcome carries the
 * hand-off's score): rows per grade, score band, model version × band, and rule that scored.
 */
function increments(entry: Activity, lead: LeadContext | undefined, timeZone: string): Increment[] {
  const score = scoreOf(entry);
  const counts = score && outcomeCounts(entry);
  if (!score || !counts) return [];
  const touch = touchDims(lead?.firstTouch ?? { source: 'unknown' });
  const day = dayOf(entry.at, timeZone);
  const row = (kind: string, key: string): Increment => ({
    report: 'scoring',
    day,
    dims: keyedDims(kind, key, touch),
    counts,
  });
  return [
    row('all', '-'),
    row('grade', score.grade),
    row('band', bandOf(score.total)),
    row('cal', `${score.modelVersion}:${bandOf(score.total)}`),
    ...[...new Set(score.rules)].map((rule) => row('rule', rule)),
  ];
}

const rates = (counts: Record<string, number>) => ({
  handoffs: counts.handoffs ?? 0,
  reachedSql: counts.reachedSql ?? 0,
  won: counts.won ?? 0,
  sqlRate: rate(counts.reachedSql, counts.handoffs),
  winRate: rate(counts.won, counts.handoffs),
});
const RATE_COLUMNS = [
  { key: 'handoffs', label: 'Hand-offs', kind: 'count' },
  { key: 'reachedSql', label: 'Reached SQL', kind: 'count' },
  { key: 'won', label: 'Won', kind: 'count' },
  { key: 'sqlRate', label: 'SQL rate', kind: 'rate' },
  { key: 'winRate', label: 'Win rate', kind: 'rate' },
] as const;

function build(rows: RollupRow[], query: ReportQuery): ReportContent {
  const of = (kind: string) => groupCounts(keyedRows(rows, kind, query.filters), (row) => row.key);
  const overall = sumCounts(keyedRows(rows, 'all', query.filters));
  const overallWin = (overall.won ?? 0) / (overall.handoffs || 1);
  const sorted = (entries: ReportRow[], key: string) =>
    entries.sort((a, b) => String(a[key]).localeCompare(String(b[key]), 'en', { numeric: true }));
  return {
    series: [],
    tables: [
      {
        id: 'grades',
        title: 'Grades at hand-off',
        columns: [{ key: 'grade', label: 'Grade', kind: 'text' }, ...RATE_COLUMNS],
        rows: sorted(
          [...of('grade')].map(([grade, counts]) => ({ grade, ...rates(counts) })),
          'grade',
        ),
      },
      {
        id: 'bands',
        title: 'Score bands at hand-off',
        columns: [{ key: 'band', label: 'Score band', kind: 'text' }, ...RATE_COLUMNS],
        rows: sorted(
          [...of('band')].map(([band, counts]) => ({ band, ...rates(counts) })),
          'band',
        ),
      },
      {
        id: 'calibration',
        title: 'Calibration: model version × score band',
        columns: [
          { key: 'modelVersion', label: 'Model version', kind: 'text' },
          { key: 'band', label: 'Score band', kind: 'text' },
          ...RATE_COLUMNS,
        ],
        rows: [...of('cal')]
          .map(([key, counts]) => {
            const [version, band] = key.split(':');
            return { modelVersion: version ?? '', band: band ?? '', ...rates(counts) };
          })
          .sort(
            (a, b) =>
              Number(b.modelVersion) - Number(a.modelVersion) ||
              a.band.localeCompare(b.band, 'en', { numeric: true }),
          ),
      },
      {
        id: 'rules',
        title: 'Rules that scored at hand-off',
        columns: [
          { key: 'rule', label: 'Rule', kind: 'text' },
          ...RATE_COLUMNS,
          { key: 'lift', label: 'Win lift', kind: 'score' },
        ],
        rows: byCount(
          [...of('rule')].map(([rule, counts]) => {
            const win = (counts.won ?? 0) / (counts.handoffs || 1);
            return {
              rule,
              ...rates(counts),
              lift: overallWin > 0 && counts.handoffs ? Math.round((win / overallWin) * 100) / 100 : null,
            };
          }),
          'won',
          'rule',
        ),
      },
    ],
  };
}

export const scoringReport: ReportDefinition = { id: 'scoring', increments, build };
