import type { LeadState, ProfileField } from '../leads/lead';

/**
 * What a segment reads of a lead: exactly the lead item's attributes `matches` looks at (and the
 * sample's id, name, company, stage and score, and `test`), profile fields by value only and the
 * score by total and grade. Every lead write keeps them on the lead item as one compact string
 * (`sfacts`, adapters/dynamodb/lead-item.ts) beside `stage`, and the segment facts index copies
 * those two and nothing else (table-definition.ts): a count reads ~0.3 KB a lead as one string
 * from 1 MB Query pages. `matches` takes SegmentFacts: a condition that needed another attribute
 * would not compile until it is added here (and SEGMENT_FACTS_VERSION raised).
 */
export const SEGMENT_FACTS = [
  'leadId',
  'email',
  'stage',
  'profile',
  'score',
  'marketingConsent',
  'firstTouch',
  'lastTouch',
  'lastSeen',
  'createdAt',
  'test',
] as const satisfies readonly (keyof LeadState)[];

/**
 * The shape of the stored facts: raised when SegmentFacts changes, so facts stored in an older
 * shape are not trusted (the reader takes them from the lead item instead, and
 * `leadflow leads reindex` rewrites them).
 */
export const SEGMENT_FACTS_VERSION = 1;

export type SegmentFacts = Omit<Pick<LeadState, (typeof SEGMENT_FACTS)[number]>, 'profile' | 'score'> & {
  profile: Readonly<Record<string, Pick<ProfileField, 'value'>>>;
  score: Pick<NonNullable<LeadState['score']>, 'total' | 'grade'> | null;
};

/** A lead's segment facts, and nothing more (what is stored for it). */
export function segmentFactsOf(lead: SegmentFacts): SegmentFacts {
  const profile: Record<string, Pick<ProfileField, 'value'>> = {};
  for (const [name, field] of Object.entries(lead.profile)) if (field) profile[name] = { value: field.value };
  const facts: SegmentFacts = {
    leadId: lead.leadId,
    email: lead.email,
    stage: lead.stage,
    profile,
    score: lead.score ? { total: lead.score.total, grade: lead.score.grade } : null,
    marketingConsent: lead.marketingConsent,
    firstTouch: lead.firstTouch,
    lastTouch: lead.lastTouch,
    lastSeen: lead.lastSeen,
    createdAt: lead.createdAt,
    test: lead.test,
  };
  for (const name of SEGMENT_FACTS) if (facts[name] === undefined) delete facts[name];
  return facts;
}

/**
 * A lead as a count reads it: its segment facts, and its hand-off when it has one (a broadcast
 * leaves out a lead sales has). The index copies the item's `handoff` as it is: hand-offs change
 * it with targeted updates.
 */
export type LeadFacts = SegmentFacts & Partial<Pick<LeadState, 'handoff'>>;

/** Every lead's segment facts, read a page at a time (the shards of the index in parallel). */
export interface SegmentFactsPages {
  /**
   * Calls `onPage` with each page as it arrives (pages of different shards overlap; their order is
   * the index's within a shard, none across shards) until every lead was read or `more()` turns
   * false before a page is asked for. Resolves true when every lead was read.
   */
  forEachPage(onPage: (leads: LeadFacts[]) => Promise<void> | void, more: () => boolean): Promise<boolean>;
}

/** The suppression list, asked about a page of addresses at once, or read whole. */
export interface SuppressionsAmong {
  /** Those of `emails` that are on the suppression list. */
  suppressedAmong(emails: readonly string[]): Promise<ReadonlySet<string>>;
  /**
   * The whole list as a test of an address, read at once — or undefined when it cannot be read
   * whole yet (entries from before its index, until `leadflow leads reindex` has run): then ask
   * suppressedAmong a page at a time.
   */
  wholeList(): Promise<((email: string) => boolean) | undefined>;
}
