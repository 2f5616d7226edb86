import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import {
  type FactPath,
  SEGMENT_FACTS,
  type SegmentFacts,
  type SegmentFactsPages,
} from '../../core/segments/facts';
import { SEGMENT_FACTS_INDEX } from '../../shared/table-definition';
import { LEAD_SHARDS, leadIndexPk } from './lead-item';

/**
 * Segment facts from the segment facts index (table-definition.ts: gsi3's shards and keys, the
 * attributes of SEGMENT_FACTS copied in): each shard is read by Query pages of up to 1 MB (1,000+
 * leads each), the 16 shards in parallel, and no lead item is read. A count is then as many
 * Queries as MBs of facts, where the leads index and BatchGetItem took one Query and five batches
 * per 500 leads, one after the other. Eventually consistent, like every index read.
 */
export class DynamoSegmentFacts implements SegmentFactsPages {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async forEachPage(
    onPage: (leads: SegmentFacts[]) => Promise<void> | void,
    more: () => boolean,
    paths?: readonly FactPath[],
  ): Promise<boolean> {
    const projection = paths ? projectionOf(paths) : undefined;
    const shards = Array.from({ length: LEAD_SHARDS }, (_, shard) =>
      this.readShard(shard, onPage, more, projection),
    );
    return (await Promise.all(shards)).every(Boolean);
  }

  /** One shard, page after page; false when `more()` stopped it before its last page. */
  private async readShard(
    shard: number,
    onPage: (leads: SegmentFacts[]) => Promise<void> | void,
    more: () => boolean,
    projection: Projection | undefined,
  ): Promise<boolean> {
    let start: Record<string, unknown> | undefined;
    do {
      if (!more()) return false;
      const page: QueryCommandOutput = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: SEGMENT_FACTS_INDEX,
          KeyConditionExpression: '#shard = :shard',
          ExpressionAttributeValues: { ':shard': leadIndexPk(shard) },
          ExpressionAttributeNames: { '#shard': 'gsi3pk', ...projection?.names },
          ProjectionExpression: projection?.expression,
          ExclusiveStartKey: start,
        }),
      );
      await onPage((page.Items ?? []).map(factsOf));
      start = page.LastEvaluatedKey;
    } while (start);
    return true;
  }
}

interface Projection {
  expression: string;
  names: Record<string, string>;
}

/** A ProjectionExpression of `paths`, every name a placeholder (a custom field may be any text). */
function projectionOf(paths: readonly FactPath[]): Projection {
  const names: Record<string, string> = {};
  const placeholder = new Map<string, string>();
  const nameOf = (name: string) => {
    let at = placeholder.get(name);
    if (!at) {
      at = `#p${placeholder.size}`;
      placeholder.set(name, at);
      names[at] = name;
    }
    return at;
  };
  return { expression: paths.map((path) => path.map(nameOf).join('.')).join(', '), names };
}

/**
 * The facts of an index entry: its projected attributes, without the table's and the index's
 * keys. A projection that found no profile field leaves `profile` out: it is there, empty.
 */
function factsOf(entry: Record<string, unknown>): SegmentFacts {
  const facts = Object.fromEntries(
    SEGMENT_FACTS.flatMap((name) => (entry[name] === undefined ? [] : [[name, entry[name]]])),
  );
  return { profile: {}, ...facts } as unknown as SegmentFacts;
}
