/**
 * The shape of the one Leadflow table, as plain data: the CDK stateful stack
 * (infra/stacks/stateful-stack.ts) and the local stack (functions/local/resources.ts) both build
 * their table from it. Every key attribute is a string.
 */

export type IndexProjection = 'ALL' | 'KEYS_ONLY' | 'INCLUDE';

export interface TableIndex {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly projection: IndexProjection;
  /** With INCLUDE: the attributes copied into the index besides the keys. */
  readonly nonKeyAttributes?: readonly string[];
}

export interface TableDefinition {
  readonly partitionKey: string;
  readonly sortKey: string;
  /**
   * Set for AWS housekeeping only: readers check expiry themselves (DynamoDB deletes late, and the
   * local emulator has no TTL at all).
   */
  readonly timeToLiveAttribute: string;
  readonly globalSecondaryIndexes: readonly TableIndex[];
}

/** The index of every lead (sharded, keys only): what lead pages query; grants name it too. */
export const LEADS_INDEX = 'gsi3';

/**
 * The segment facts index: the leads index's keys (gsi3pk shard, gsi3sk lead id) with the
 * attributes a segment reads copied in (core/segments/facts.ts): what segment counts query.
 */
export const SEGMENT_FACTS_INDEX = 'gsi12';

/**
 * The suppression list's index (sparse, keys only: gsi13pk SUPPRESSED#<shard>, gsi13sk the entry's
 * hash): a segment count reads the whole list in a few Queries instead of asking about each page.
 */
export const SUPPRESSION_INDEX = 'gsi13';

/**
 * The lead list's indexes (lead-list.ts): one per sort order, sharing their partition key (one of
 * LIST_SHARDS shards, every lead item has one entry in each), and one per search field (entries
 * under the field's first two characters, sorted by the lower-cased value; sparse: no value, no
 * entry).
 */
export const LIST_INDEXES = { newest: 'gsi4', score: 'gsi5', activity: 'gsi6' } as const;
export const SEARCH_INDEXES = { email: 'gsi7', name: 'gsi8', company: 'gsi9' } as const;
/** Timeline entries not yet counted by the reports (sparse, keys only): the reports aggregator's queue. */
export const REPORTS_INDEX = 'gsi10';

/** Timeline entries standing for an event not yet fanned out to the destinations (sparse, keys only). */
export const PUBLISH_INDEX = 'gsi11';

/** The list row on every lead item: the one attribute the list indexes copy. */
export const LIST_ROW_ATTRIBUTE = 'lrow';

export const TABLE_DEFINITION: TableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    // Sparse: only leads with an open hand-off set gsi1pk (HANDOFF#<status>), so the outbox and the
    // sales queue counts read hand-offs only.
    { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
    // Sparse too: nurture's due index, one entry per lead with a step scheduled (sharded gsi2pk, due
    // time in gsi2sk). Keys only: tick needs the lead id and the entry it leases, nothing else, and
    // every lead write would otherwise copy the whole lead into the index.
    { name: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk', projection: 'KEYS_ONLY' },
    // Sparse as well: every lead item (and nothing else) has one entry under one of 16 shards
    // (gsi3pk LEADS#<shard>, gsi3sk the lead id), so broadcasts, backtests and rescores page through
    // leads without reading timelines, deliveries or tokens. Keys only, like gsi2: the pages read the
    // lead items themselves (BatchGetItem), and a lead write never copies the lead into the index.
    { name: LEADS_INDEX, partitionKey: 'gsi3pk', sortKey: 'gsi3sk', projection: 'KEYS_ONLY' },
    // The lead list: readers use the entry's keys and its `lrow` (the row and what the filters
    // test) only, so only `lrow` is copied (~0.5 KB a lead, not the whole item with its aggregate
    // and nurture state): a lead write costs each index a row, and a 1 MB Query counts more rows.
    ...[
      { name: LIST_INDEXES.newest, partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
      { name: LIST_INDEXES.score, partitionKey: 'gsi4pk', sortKey: 'gsi5sk' },
      { name: LIST_INDEXES.activity, partitionKey: 'gsi4pk', sortKey: 'gsi6sk' },
      { name: SEARCH_INDEXES.email, partitionKey: 'gsi7pk', sortKey: 'gsi7sk' },
      { name: SEARCH_INDEXES.name, partitionKey: 'gsi8pk', sortKey: 'gsi8sk' },
      { name: SEARCH_INDEXES.company, partitionKey: 'gsi9pk', sortKey: 'gsi9sk' },
    ].map((index) => ({ ...index, projection: 'INCLUDE' as const, nonKeyAttributes: [LIST_ROW_ATTRIBUTE] })),
    // Sparse: timeline entries not yet counted by the reports (gsi10pk RPT#<shard>, gsi10sk
    // <at>#<activityId>), removed once counted. Keys only: the aggregator reads the entries with a
    // consistent BatchGetItem anyway (an index read may still show an entry already counted), so
    // copying the entry would only double every timeline write's index cost.
    { name: REPORTS_INDEX, partitionKey: 'gsi10pk', sortKey: 'gsi10sk', projection: 'KEYS_ONLY' },
    // Sparse: timeline entries that stand for an integration event not yet fanned out (gsi11pk
    // PUB#<shard>, gsi11sk <at>#<activityId>), removed once queued. Keys only, like gsi10.
    { name: PUBLISH_INDEX, partitionKey: 'gsi11pk', sortKey: 'gsi11sk', projection: 'KEYS_ONLY' },
    // Segment counts and broadcast previews: gsi3's keys again (every lead item, nothing else),
    // with what `matches` reads copied in as one compact string (`sfacts`, ~0.3-0.6 KB of a lead
    // item's 1.5-4 KB), `stage` and `handoff` (only hot leads have one: a broadcast leaves out a
    // lead sales has), so a count is 1 MB Query pages over the 16 shards in parallel, one string
    // decoded a lead. `stage` and `handoff` apart: hand-offs change them with targeted updates.
    // A second index rather than gsi3 changed: a GSI's projection cannot change in place, and on
    // AWS DynamoDB fills a new index from the existing items by itself.
    {
      name: SEGMENT_FACTS_INDEX,
      partitionKey: 'gsi3pk',
      sortKey: 'gsi3sk',
      projection: 'INCLUDE',
      nonKeyAttributes: ['sfacts', 'stage', 'handoff'],
    },
    // Sparse: every suppression list entry (by its keyed hash, never an address), sharded four
    // ways. Keys only: the hash is what a count tests each lead's address against.
    { name: SUPPRESSION_INDEX, partitionKey: 'gsi13pk', sortKey: 'gsi13sk', projection: 'KEYS_ONLY' },
  ],
};

/** Every key attribute of the table and its indexes, once each, in declaration order. */
export function keyAttributes(definition: TableDefinition = TABLE_DEFINITION): string[] {
  const names = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  return [...new Set(names)];
}
