import type { LeadState } from '../../core/leads/lead';
import { SEGMENT_FACTS_VERSION, type SegmentFacts, segmentFactsOf } from '../../core/segments/segments';

/**
 * The lead item's segment facts (core/segments/facts.ts) as one JSON string, `sfacts`, with the
 * shape's version `v`. `stage` is not in it: handoff-store changes a lead's stage with its own
 * targeted UpdateItem, so the index copies the item's `stage` attribute beside `sfacts`, and that
 * update needs nothing more. Every whole lead write sets it (toLeadItem); `leads reindex` writes
 * it on leads stored before it existed.
 */
export const SEGMENT_FACTS_ATTRIBUTE = 'sfacts';

export function segmentFactsAttribute(lead: LeadState): { sfacts: string } {
  const { stage: _stage, ...facts } = segmentFactsOf(lead);
  return { sfacts: JSON.stringify({ v: SEGMENT_FACTS_VERSION, ...facts }) };
}

/** The facts of an index entry (`sfacts` and `stage`), or undefined when it has none of this shape. */
export function segmentFactsOfEntry(entry: Record<string, unknown>): SegmentFacts | undefined {
  if (typeof entry.sfacts !== 'string' || typeof entry.stage !== 'string') return undefined;
  try {
    const { v, ...facts } = JSON.parse(entry.sfacts) as { v?: unknown } & Omit<SegmentFacts, 'stage'>;
    if (v !== SEGMENT_FACTS_VERSION) return undefined;
    return { ...facts, stage: entry.stage as SegmentFacts['stage'] };
  } catch {
    return undefined;
  }
}
