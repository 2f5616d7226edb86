import type { Clock } from '../kernel/clock';
import { addDays, dayOf } from './days';
import type { RollupStore } from './ports';
import { parseTouchDims } from './touch';

/** The days the forms list counts submissions over: today and the six before, in the report time zone. */
export const FORM_CAPTURE_DAYS = 7;

/**
 * Submissions each form captured in the last 7 days (today included, in the report time zone),
 * from the sources report's rollup (its `last` touch rows: one per capture, by form): one Query
 * per month the week touches, never the timeline. A tick behind, like every report.
 */
export async function formCapturesLastWeek(deps: {
  rollups: Pick<RollupStore, 'read'>;
  clock: Clock;
  timeZone: string;
}): Promise<Map<string, number>> {
  const to = dayOf(deps.clock.now().toISOString(), deps.timeZone);
  const rows = await deps.rollups.read('sources', addDays(to, -(FORM_CAPTURE_DAYS - 1)), to);
  const out = new Map<string, number>();
  for (const row of rows) {
    if (!row.dims.startsWith('last|')) continue;
    const formId = parseTouchDims(row.dims.slice('last|'.length)).formId;
    if (formId) out.set(formId, (out.get(formId) ?? 0) + (row.counts.captures ?? 0));
  }
  return out;
}
