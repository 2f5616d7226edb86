import type { Activity } from '../leads/lead';
import { dayOf } from './days';
import { groupCounts } from './filters';
import type { Increment, ReportColumn, ReportContent, ReportDefinition, RollupRow } from './report';

/**
 * The sequences report: per sequence, leads enrolled, still active, completed and exited (by reason).
 * Counted from timeline entries:
 * - an entry whose effect enrolled the lead (`effect.enrolled`, a trigger) or a manual
 *   `sequence_enrolled` entry → enrolled;
 * - `sequence_completed` → completed; `sequence_exited` → exited and exited_<reason>.
 * Broadcasts (`broadcast:<id>`) and double opt-in confirmations (`confirm:<formId>`) are not
 * sequences and count nowhere here. One rollup row per day and sequence: `seq=<id>`.
 * `active` is enrolled − completed − exited over the range: over a range that starts before the
 * enrollments it is the number in the sequence now (the console reads the longest range).
 */
export const SEQUENCE_EXIT_REASONS = [
  'handoff',
  'stage_reached',
  'activity',
  'goal_met',
  'unsubscribed',
  'suppressed',
  'no_consent',
  'sequence_removed',
  'erased',
] as const;

const isSequence = (id: unknown): id is string =>
  typeof id === 'string' && /^[a-z0-9][a-z0-9-]{0,63}$/.test(id);

function countsOf(entry: Activity): [string, Record<string, number>][] {
  const p = entry.properties ?? {};
  const out: [string, Record<string, number>][] = [];
  for (const id of entry.effect?.enrolled ?? []) if (isSequence(id)) out.push([id, { enrolled: 1 }]);
  if (!isSequence(p.sequenceId)) return out;
  if (entry.type === 'sequence_enrolled') out.push([p.sequenceId, { enrolled: 1 }]);
  if (entry.type === 'sequence_completed') out.push([p.sequenceId, { completed: 1 }]);
  if (entry.type === 'sequence_exited') {
    const reason = (SEQUENCE_EXIT_REASONS as readonly unknown[]).includes(p.reason) ? p.reason : 'other';
    out.push([p.sequenceId, { exited: 1, [`exited_${reason}`]: 1 }]);
  }
  return out;
}

function increments(entry: Activity, _lead: unknown, timeZone: string): Increment[] {
  const day = dayOf(entry.at, timeZone);
  return countsOf(entry).map(([sequenceId, counts]) => ({
    report: 'sequences' as const,
    day,
    dims: `seq=${sequenceId}`,
    counts,
  }));
}

const label = (reason: string) => `Exited: ${reason.replace(/_/g, ' ')}`;
const REASONS = [...SEQUENCE_EXIT_REASONS, 'other'] as const;

export const SEQUENCE_COLUMNS: ReportColumn[] = [
  { key: 'sequence', label: 'Sequence', kind: 'text' },
  { key: 'enrolled', label: 'Enrolled', kind: 'count' },
  { key: 'active', label: 'Active', kind: 'count' },
  { key: 'completed', label: 'Completed', kind: 'count' },
  { key: 'exited', label: 'Exited', kind: 'count' },
  ...REASONS.map((reason) => ({ key: `exited_${reason}`, label: label(reason), kind: 'count' as const })),
];

function build(rows: RollupRow[]): ReportContent {
  const groups = groupCounts(rows, (row) => (row.dims.startsWith('seq=') ? row.dims.slice(4) : undefined));
  const table = [...groups]
    .sort((a, b) => (b[1].enrolled ?? 0) - (a[1].enrolled ?? 0) || a[0].localeCompare(b[0]))
    .map(([sequence, t]) => {
      const n = (name: string) => t[name] ?? 0;
      const row: Record<string, string | number> = {
        sequence,
        enrolled: n('enrolled'),
        // Enrollments begun before the range may end inside it: never below zero.
        active: Math.max(0, n('enrolled') - n('completed') - n('exited')),
        completed: n('completed'),
        exited: n('exited'),
      };
      for (const reason of REASONS) row[`exited_${reason}`] = n(`exited_${reason}`);
      return row;
    });
  return {
    tables: [{ id: 'sequences', title: 'Sequences', columns: SEQUENCE_COLUMNS, rows: table }],
    series: [],
  };
}

export const sequencesReport: ReportDefinition = { id: 'sequences', increments, build };
