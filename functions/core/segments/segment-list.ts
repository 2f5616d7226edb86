import type { Clock } from '../kernel/clock';
import { ValidationError } from '../kernel/errors';
import {
  type LeadList,
  type LeadListPage,
  type LeadListQuery,
  type LeadRow,
  toLeadRow,
} from '../leads/lead-list';
import type { LeadPages } from '../scoring/rescore-job';
import { matches } from './matches';
import { activeSegment, type SegmentVersions } from './requests';

/** The list with `segment=` stops reading after this long and answers what it found, with its cursor. */
const LIST_BUDGET_MS = 10_000;

/**
 * The lead list filtered by a saved segment (`GET /v1/admin/leads?segment=<id>`); any other list
 * goes to `list` unchanged.
 * 1. Resolve the segment in the active nurture config (404 segment_not_found).
 * 2. Page through the leads index from the cursor, each page no larger than the rows still
 *    wanted (so no match is read and dropped), keeping the leads `matches` holds for and test
 *    leads only with `test=true`.
 * 3. Stop at `limit` rows, the last lead, or LIST_BUDGET_MS: the rows come in the index's order (not
 *    by a sort), `total` counts the rows so far and is exact only on the last page.
 * Other filters do not combine with a segment yet: a 400 names them.
 */
export function withSegments(
  list: LeadList,
  deps: { leads: LeadPages; versions: SegmentVersions; clock: Clock },
): LeadList {
  return {
    async page(query: LeadListQuery): Promise<LeadListPage> {
      const { segment: segmentId, test, ...others } = query.filter;
      if (segmentId === undefined) return list.page(query);
      const extra = Object.keys(others);
      if (extra.length > 0)
        throw new ValidationError(
          extra.map((key) => ({
            path: key,
            message: 'does not combine with segment: put it in the segment',
          })),
          'The lead list query has invalid values.',
        );
      const { definition } = await activeSegment(deps.versions, segmentId);
      const started = deps.clock.now().getTime();
      const rows: LeadRow[] = [];
      let cursor = query.cursor;
      do {
        const page = await deps.leads.page(cursor, query.limit - rows.length);
        const now = deps.clock.now();
        for (const lead of page.leads)
          if ((test || lead.test !== true) && matches(lead, definition, now)) rows.push(toLeadRow(lead));
        cursor = page.cursor;
      } while (cursor && rows.length < query.limit && deps.clock.now().getTime() - started < LIST_BUDGET_MS);
      return { leads: rows, total: rows.length, totalExact: cursor === null, cursor };
    },
  };
}
