import { api } from '../api';
import type { ReportBody } from '../reports/types';
import type { SequenceNumbers } from './types';

/** The reports allow a year at most: the sequences report over the last 366 days is "now" for active counts. */
const YEAR_DAYS = 365;
const day = (d: Date) => d.toISOString().slice(0, 10);

/** Each sequence's live numbers (enrolled, active, completed, exited by reason) from the sequences report. */
export async function sequenceNumbers(now = new Date()): Promise<Map<string, SequenceNumbers>> {
  const from = day(new Date(now.getTime() - YEAR_DAYS * 86_400_000));
  const body = await api.get<ReportBody>(`/v1/admin/reports/sequences?from=${from}&to=${day(now)}`);
  const rows = body.tables.find((t) => t.id === 'sequences')?.rows ?? [];
  return new Map(rows.map((row) => [String(row.sequence), row]));
}

/** "12 handed to sales, 3 goal met": the exit reasons with a count, in words. */
export function exitedBy(row: SequenceNumbers | undefined): string {
  if (!row) return '';
  return Object.entries(row)
    .filter(([key, value]) => key.startsWith('exited_') && typeof value === 'number' && value > 0)
    .map(([key, value]) => `${value} ${EXIT_WORDS[key.slice(7)] ?? key.slice(7).replace(/_/g, ' ')}`)
    .join(', ');
}

const EXIT_WORDS: Record<string, string> = {
  handoff: 'handed to sales',
  stage_reached: 'reached an exit stage',
  activity: 'had an exit activity',
  goal_met: 'met the goal',
  unsubscribed: 'unsubscribed',
  suppressed: 'suppressed',
  no_consent: 'without consent',
  sequence_removed: 'sequence removed or off',
  erased: 'erased',
  other: 'other',
};
