import type { SuppressionStore } from '../consent/suppression';
import type { Clock } from '../kernel/clock';
import type { LeadState } from '../leads/lead';
import { toLeadRow } from '../leads/lead-list';
import type { LeadPages } from '../scoring/rescore-job';
import { matches, needsSuppression } from './matches';
import type { SegmentLead, SegmentPreview } from './responses';
import type { SegmentDefinition } from './segment-schema';

export interface SegmentPreviewDeps {
  leads: LeadPages;
  suppressions: Pick<SuppressionStore, 'lookup'>;
  clock: Clock;
}

/** Leads read per page: the leads index gives the keys, BatchGetItem the items (100 a call). */
export const SEGMENT_PAGE = 500;
export const SAMPLE_SIZE = 20;
/** A count stops here and says `complete: false`: the HTTP API gives up on an integration after 30 s. */
export const PREVIEW_BUDGET_MS = 20_000;

/**
 * How many leads are in a segment now, and the first of them.
 * 1. Page through every lead (the leads index, no Scan), SEGMENT_PAGE at a time.
 * 2. Test each lead with `matches`; the suppression list is read only when the segment asks
 *    about it (one read per lead).
 * 3. Keep the first SAMPLE_SIZE matches as summaries (no email: a sample is shown on screen).
 * 4. Stop after the last page or when `budgetMs` is spent, with `complete: false` then.
 */
export async function previewSegment(
  deps: SegmentPreviewDeps,
  segment: SegmentDefinition,
  budgetMs = PREVIEW_BUDGET_MS,
): Promise<SegmentPreview> {
  const started = deps.clock.now().getTime();
  const lookup = needsSuppression(segment);
  const sample: SegmentLead[] = [];
  let count = 0;
  let scanned = 0;
  let cursor: string | null = null;
  do {
    const page = await deps.leads.page(cursor, SEGMENT_PAGE);
    const now = deps.clock.now();
    const suppressed = lookup
      ? await Promise.all(
          page.leads.map(async (lead) => (await deps.suppressions.lookup(lead.email)) !== undefined),
        )
      : undefined;
    page.leads.forEach((lead, i) => {
      if (!matches(lead, segment, now, suppressed?.[i])) return;
      count += 1;
      if (sample.length < SAMPLE_SIZE) sample.push(summary(lead));
    });
    scanned += page.leads.length;
    cursor = page.cursor;
  } while (cursor && deps.clock.now().getTime() - started < budgetMs);
  return { count, complete: cursor === null, scanned, sample, tookMs: deps.clock.now().getTime() - started };
}

function summary(lead: LeadState): SegmentLead {
  const row = toLeadRow(lead);
  return { leadId: row.leadId, name: row.name, company: row.company, stage: row.stage, score: row.score };
}
