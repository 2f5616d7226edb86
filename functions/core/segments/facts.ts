import type { LeadState } from '../leads/lead';
import { CLICKED, OPENED } from './matches';
import type { SegmentDefinition } from './segment-schema';

/**
 * What a segment reads of a lead: exactly the lead item's attributes `matches` looks at (and the
 * sample's id, name, company, stage and score, and `test`). The segment facts index projects these
 * and nothing else (table-definition.ts), so a count reads ~0.5 KB a lead from 1 MB Query pages
 * instead of the whole item by BatchGetItem. `matches` takes SegmentFacts: a condition that needed
 * another attribute would not compile until it is added here (and to the index).
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

export type SegmentFacts = Pick<LeadState, (typeof SEGMENT_FACTS)[number]>;

/** Every lead's segment facts, read a page at a time (the shards of the index in parallel). */
export interface SegmentFactsPages {
  /**
   * Calls `onPage` with each page as it arrives (pages of different shards overlap; their order is
   * the index's within a shard, none across shards) until every lead was read or `more()` turns
   * false before a page is asked for. Resolves true when every lead was read. With `paths`, each
   * lead carries those paths only (see factPaths; `profile` is there, if empty).
   */
  forEachPage(
    onPage: (leads: SegmentFacts[]) => Promise<void> | void,
    more: () => boolean,
    paths?: readonly FactPath[],
  ): Promise<boolean>;
}

/** The suppression list, asked about a page of addresses at once. */
export interface SuppressionsAmong {
  /** Those of `emails` that are on the suppression list. */
  suppressedAmong(emails: readonly string[]): Promise<ReadonlySet<string>>;
}

/** An attribute of the facts, or a path into one (`['profile', 'country']`). */
export type FactPath = readonly [(typeof SEGMENT_FACTS)[number], ...string[]];

/** What a sample row shows (SegmentLead): the id, name, company, stage and score. */
const SAMPLE_PATHS: FactPath[] = [
  ['leadId'],
  ['stage'],
  ['score', 'total'],
  ...['firstName', 'lastName', 'fullName', 'name', 'company'].map((name): FactPath => ['profile', name]),
];

/**
 * The paths of the facts a count of `segment` reads: what its conditions look at (as `matches`
 * reads them) and what a sample row shows. A count asks the index for these only (a projection):
 * the index entry is read whole either way, but less is sent and decoded. A path inside another
 * one is left out (DynamoDB refuses overlapping paths).
 */
export function factPaths(segment: SegmentDefinition): FactPath[] {
  const paths: FactPath[] = [...SAMPLE_PATHS];
  for (const condition of segment.conditions) {
    switch (condition.type) {
      case 'field':
        if (condition.field === 'email' || condition.field === 'createdAt') paths.push([condition.field]);
        else paths.push(['profile', condition.field]);
        break;
      case 'stage':
        break;
      case 'grade':
      case 'score':
        paths.push(['score']);
        break;
      case 'source':
        paths.push([condition.touch === 'last' ? 'lastTouch' : 'firstTouch']);
        break;
      case 'activity':
        paths.push(['lastSeen', condition.activity]);
        break;
      case 'email':
        paths.push(['lastSeen', OPENED], ['lastSeen', CLICKED]);
        break;
      case 'consent':
        paths.push(['marketingConsent']);
        break;
      case 'suppressed':
        paths.push(['marketingConsent'], ['email']);
        break;
    }
  }
  return withoutOverlaps(paths);
}

function withoutOverlaps(paths: FactPath[]): FactPath[] {
  const key = (path: readonly string[]) => JSON.stringify(path);
  const unique = [...new Map(paths.map((path) => [key(path), path])).values()];
  // A path under a shorter one that is also asked for is already in it.
  return unique.filter(
    (path) =>
      !unique.some((other) => other.length < path.length && other.every((name, i) => name === path[i])),
  );
}
