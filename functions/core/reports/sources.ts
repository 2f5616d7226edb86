import type { Activity } from '../leads/lead';
import { dayOf } from './days';
import { byCount, groupCounts, rowsOfKind } from './filters';
import type {
  Increment,
  LeadContext,
  ReportContent,
  ReportDefinition,
  ReportQuery,
  ReportTable,
  RollupRow,
} from './report';
import { parseTouchDims, type Touch, touchDims, touchOf } from './touch';

/** Entries that capture a lead: a form submission or an ad platform's lead (their touch is the entry's own). */
const isCapture = (entry: Activity) => entry.type === 'form_submitted' && entry.attribution !== undefined;

/** What an entry converts: a new lead, an MQL, a hand-off, a won deal. */
function conversions(entry: Activity): Record<string, number> {
  const counts: Record<string, number> = {};
  if (entry.effect?.created) counts.newLeads = 1;
  if (entry.effect?.stage?.to === 'mql') counts.mqls = 1;
  if (entry.effect?.handoff) counts.handoffs = 1;
  if (entry.type === 'sales_won') counts.won = 1;
  return counts;
}

/**
 * First touch: every conversion, credited to the lead's first touch (`first|<touch>`). Last touch:
 * every capture, credited to its own touch (`last|<touch>`), with the conversions that capture
 * caused at once (a new lead, an MQL, a hand-off); a won deal is recorded by sales, never by a
 * capture, so last touch has no won column.
 */
function increments(entry: Activity, lead: LeadContext | undefined, timeZone: string): Increment[] {
  const day = dayOf(entry.at, timeZone);
  const counts = conversions(entry);
  const out: Increment[] = [];
  if (Object.keys(counts).length > 0)
    out.push({
      report: 'sources',
      day,
      dims: `first|${touchDims(lead?.firstTouch ?? { source: 'unknown' })}`,
      counts,
    });
  if (isCapture(entry)) {
    const { won: _won, ...caused } = counts;
    const touch = touchOf(entry.source, entry.attribution, entry.formId);
    out.push({
      report: 'sources',
      day,
      dims: `last|${touchDims(touch)}`,
      counts: { captures: 1, ...caused },
    });
  }
  return out;
}

const DIMENSIONS: { key: keyof Touch; label: string }[] = [
  { key: 'source', label: 'source' },
  { key: 'campaign', label: 'campaign' },
  { key: 'formId', label: 'form' },
  { key: 'platform', label: 'platform' },
];

function touchTable(rows: RollupRow[], query: ReportQuery, kind: 'first' | 'last'): ReportTable {
  const mine = rowsOfKind(rows, kind, query.filters).map((row) => ({
    ...row,
    touch: parseTouchDims(row.dims.slice(kind.length + 1)),
  }));
  const out = DIMENSIONS.flatMap(({ key, label }) =>
    byCount(
      [...groupCounts(mine, (row) => row.touch[key] ?? '(none)')].map(([value, counts]) => ({
        dimension: label,
        value,
        ...(kind === 'last' ? { captures: counts.captures ?? 0 } : {}),
        newLeads: counts.newLeads ?? 0,
        mqls: counts.mqls ?? 0,
        handoffs: counts.handoffs ?? 0,
        ...(kind === 'first' ? { won: counts.won ?? 0 } : {}),
      })),
      'newLeads',
      'value',
    ),
  );
  return {
    id: `${kind}_touch`,
    title: kind === 'first' ? 'First touch' : 'Last touch (each capture)',
    columns: [
      { key: 'dimension', label: 'Dimension', kind: 'text' },
      { key: 'value', label: 'Value', kind: 'text' },
      ...(kind === 'last' ? [{ key: 'captures', label: 'Captures', kind: 'count' as const }] : []),
      { key: 'newLeads', label: 'New leads', kind: 'count' },
      { key: 'mqls', label: 'MQLs', kind: 'count' },
      { key: 'handoffs', label: 'Hand-offs', kind: 'count' },
      ...(kind === 'first' ? [{ key: 'won', label: 'Won', kind: 'count' as const }] : []),
    ],
    rows: out,
  };
}

function build(rows: RollupRow[], query: ReportQuery): ReportContent {
  return { series: [], tables: [touchTable(rows, query, 'first'), touchTable(rows, query, 'last')] };
}

export const sourcesReport: ReportDefinition = { id: 'sources', increments, build };
