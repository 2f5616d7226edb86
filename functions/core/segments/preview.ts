import type { Clock } from '../kernel/clock';
import { toLeadRow } from '../leads/lead-list';
import type { SegmentFacts, SegmentFactsPages, SuppressionsAmong } from './facts';
import { matches, needsSuppression } from './matches';
import type { SegmentLead, SegmentPreview } from './responses';
import type { SegmentDefinition } from './segment-schema';

export interface SegmentPreviewDeps {
  segmentFacts: SegmentFactsPages;
  suppressions: SuppressionsAmong;
  clock: Clock;
}

export const SAMPLE_SIZE = 20;
/** A count stops here and says `complete: false`: the HTTP API gives up on an integration after 30 s. */
export const PREVIEW_BUDGET_MS = 20_000;

/**
 * How many leads are in a segment now, and the first of them.
 * 1. Read every lead's segment facts (the segment facts index: one compact string a lead, 1 MB
 *    Query pages, its shards in parallel, no Scan), testing each page with `matches` as it arrives.
 * 2. Ask the suppression list only when the segment asks about it: read whole once (its index),
 *    or, until that index is complete, one batch per page.
 * 3. Keep the first SAMPLE_SIZE matches (in arrival order) as summaries (no email: a sample is shown on screen).
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
  const list = lookup ? await deps.suppressions.wholeList() : undefined;
  const complete = await deps.segmentFacts.forEachPage(
    async (leads) => {
      const suppressed =
        lookup && !list
          ? await deps.suppressions.suppressedAmong(leads.map((lead) => lead.email))
          : undefined;
      const isSuppressed = (email: string) => (list ? list(email) : suppressed?.has(email));
      const now = deps.clock.now();
      for (const lead of leads) {
        if (!matches(lead, segment, now, lookup ? isSuppressed(lead.email) : undefined)) continue;
        count += 1;
        if (sample.length < SAMPLE_SIZE) sample.push(summary(lead));
      }
      scanned += leads.length;
    },
    () => deps.clock.now().getTime() - started < budgetMs,
  );
  return { count, complete, scanned, sample, tookMs: deps.clock.now().getTime() - started };
}

function summary(lead: SegmentFacts): SegmentLead {
  const row = toLeadRow(lead);
  return { leadId: row.leadId, name: row.name, company: row.company, stage: row.stage, score: row.score };
}
