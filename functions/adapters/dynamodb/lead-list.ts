import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ValidationError } from '../../core/kernel/errors';
import type { LeadList, LeadListPage, LeadListQuery, LeadRow } from '../../core/leads/lead-list';
import { LIST_INDEXES, SEARCH_INDEXES } from '../../shared/table-definition';
import { leadKey } from './lead-item';
import { listExpression } from './lead-list-filter';
import {
  LIST_SHARDS,
  leadIdOfSortKey,
  listIndexPk,
  rowOfStored,
  SEARCH_FIELDS,
  SEARCH_KEY_ATTRIBUTES,
  SORT_KEY_ATTRIBUTE,
  searchPk,
  sortKeyOf,
} from './lead-list-keys';

/** Query calls one page may make before it answers with what it has (a very selective filter). */
const PAGE_CALLS = 48;
/** Query calls (Select COUNT, up to 1 MB read each) the first page may spend on the total. */
const COUNT_CALLS = 12;
/** Matches a search reads at most; more and the answer says the total is not exact. */
export const SEARCH_MAX = 1000;
const SEARCH_CALLS = 30;

/** A shard's place: not started (null), after this sort key, or read to the end ('end'). */
type Position = string | null | 'end';
interface ListCursor {
  f: string;
  t: number;
  x: boolean;
  /** Sort orders: each shard's position. */
  p?: Position[];
  /** Search: rows already answered. */
  o?: number;
}

/**
 * The lead list on DynamoDB, no Scan. Without `q`: the sort order's index (gsi4 newest, gsi5 score,
 * gsi6 last activity), LIST_SHARDS shards merged by the sort key (descending; ties by lead id,
 * which ends every key); each shard is read from its cursor position with the filters as a
 * FilterExpression, and the cursor keeps every shard's position (the last row it gave), so a page
 * costs a Query per shard for a broad filter. With `q`: the email, name and company indexes
 * (gsi7-9), whose partition is the term's first two characters, read with begins_with; the
 * matches (at most SEARCH_MAX) are sorted like the list and paged by offset.
 * The total: on the first page, Select COUNT on the same conditions within COUNT_CALLS; then
 * carried by the cursor.
 */
export class DynamoLeadList implements LeadList {
  /** Items DynamoDB read (before filters) for the last page: what the bench reports. */
  lastRead = { items: 0, calls: 0 };

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async page(query: LeadListQuery): Promise<LeadListPage> {
    this.lastRead = { items: 0, calls: 0 };
    const fingerprint = fingerprintOf(query);
    const cursor = query.cursor ? decodeCursor(query.cursor, fingerprint) : undefined;
    return query.filter.q ? this.search(query, fingerprint, cursor) : this.sorted(query, fingerprint, cursor);
  }

  private async query(input: ConstructorParameters<typeof QueryCommand>[0]) {
    const result = await this.db.send(new QueryCommand(input));
    this.lastRead.items += result.ScannedCount ?? 0;
    this.lastRead.calls += 1;
    return result;
  }

  private async sorted(
    query: LeadListQuery,
    f: string,
    cursor: ListCursor | undefined,
  ): Promise<LeadListPage> {
    const { filter, sort, limit } = query;
    const skAttribute = SORT_KEY_ATTRIBUTE[sort];
    const positions: Position[] = cursor?.p ?? Array.from({ length: LIST_SHARDS }, () => null);
    const shards = positions.map((position, shard) => ({
      shard,
      buffer: [] as { sk: string; row: LeadRow }[],
      next: position === 'end' ? undefined : position === null ? ('start' as const) : position,
      given: position,
      reads: 0,
    }));
    const expressions = shards.map((s) =>
      listExpression(filter, sort, { attribute: 'gsi4pk', value: listIndexPk(s.shard) }),
    );
    let calls = 0;
    const fill = async (s: (typeof shards)[number]) => {
      if (s.next === undefined) return;
      const e = expressions[s.shard];
      if (!e) return;
      calls += 1;
      s.reads += 1;
      const start = s.next === 'start' ? undefined : startKey(skAttribute, s.shard, s.next);
      const result = await this.query({
        TableName: this.tableName,
        IndexName: LIST_INDEXES[sort],
        KeyConditionExpression: e.key,
        FilterExpression: e.filter,
        ExpressionAttributeNames: e.names,
        ExpressionAttributeValues: e.values,
        ExclusiveStartKey: start,
        ScanIndexForward: false,
        // Broad filters fill a page from the first read; selective ones read more at each turn.
        Limit: Math.min(1000, (limit + 1) * 2 ** (s.reads - 1)),
      });
      for (const item of result.Items ?? [])
        s.buffer.push({
          sk: String(item[skAttribute]),
          row: rowOfStored(item.lrow as Record<string, unknown>),
        });
      const last = result.LastEvaluatedKey?.[skAttribute];
      s.next = typeof last === 'string' ? last : undefined;
    };
    const rows: { shard: number; sk: string; row: LeadRow }[] = [];
    while (rows.length <= limit) {
      const empty = shards.filter((s) => s.buffer.length === 0 && s.next !== undefined);
      if (empty.length > 0) {
        // A very selective filter: answer what this page found (the cursor goes on from there).
        if (calls + empty.length > PAGE_CALLS) break;
        await Promise.all(empty.map(fill));
        continue;
      }
      let best: (typeof shards)[number] | undefined;
      for (const s of shards) {
        const head = s.buffer[0];
        if (head && (!best || head.sk > (best.buffer[0]?.sk ?? ''))) best = s;
      }
      const head = best?.buffer.shift();
      if (!best || !head) break;
      rows.push({ shard: best.shard, ...head });
    }
    const page = rows.slice(0, limit);
    // A shard with nothing left in hand resumes after the last item it read (given or filtered
    // out); one with rows in hand, after the last row it gave (the rest are read again).
    const next: Position[] = shards.map((s) => {
      const inHand = s.buffer.length > 0 || rows.slice(limit).some((r) => r.shard === s.shard);
      if (!inHand) return s.next === undefined ? 'end' : s.next === 'start' ? null : s.next;
      return page.findLast((r) => r.shard === s.shard)?.sk ?? s.given;
    });
    const more = next.some((p) => p !== 'end');
    const counted = cursor ? { total: cursor.t, exact: cursor.x } : await this.count(query);
    // An estimate is never below what this page shows.
    if (!counted.exact) counted.total = Math.max(counted.total, page.length + (more ? 1 : 0));
    return {
      leads: page.map((r) => r.row),
      total: counted.total,
      totalExact: counted.exact,
      cursor: more ? encodeCursor({ f, t: counted.total, x: counted.exact, p: next }) : null,
    };
  }

  /**
   * Select COUNT per shard: shard 0 first, then the others with what is left of COUNT_CALLS.
   * Exact when every shard was counted to its end; else shards are uniform samples (a hash of the
   * lead id places a lead), so the counted shards stand for all, and a shard counted in part gives
   * a lower bound.
   */
  private async count(query: LeadListQuery): Promise<{ total: number; exact: boolean }> {
    const { filter, sort } = query;
    let budget = COUNT_CALLS;
    const countShard = async (shard: number, calls: number) => {
      const e = listExpression(filter, sort, { attribute: 'gsi4pk', value: listIndexPk(shard) });
      let count = 0;
      let start: Record<string, unknown> | undefined;
      for (let i = 0; i < calls; i += 1) {
        const result = await this.query({
          TableName: this.tableName,
          IndexName: LIST_INDEXES[sort],
          KeyConditionExpression: e.key,
          FilterExpression: e.filter,
          ExpressionAttributeNames: e.names,
          ExpressionAttributeValues: e.values,
          Select: 'COUNT',
          // In the page's order: a count cut short has counted the leads the first pages show.
          ScanIndexForward: false,
          ExclusiveStartKey: start,
        });
        count += result.Count ?? 0;
        start = result.LastEvaluatedKey;
        if (!start) return { count, done: true, calls: i + 1 };
      }
      return { count, done: false, calls };
    };
    const first = await countShard(0, budget);
    budget -= first.calls;
    if (!first.done) return { total: first.count * LIST_SHARDS, exact: false };
    const each = Math.floor(budget / (LIST_SHARDS - 1));
    const rest =
      each > 0
        ? await Promise.all(Array.from({ length: LIST_SHARDS - 1 }, (_, i) => countShard(i + 1, each)))
        : [];
    const all = [first, ...rest];
    const done = all.filter((c) => c.done);
    if (done.length === LIST_SHARDS) return { total: sum(done.map((c) => c.count)), exact: true };
    const perShard = sum(done.map((c) => c.count)) / done.length;
    const partial = all.filter((c) => !c.done);
    const estimate = sum(done.map((c) => c.count)) + sum(partial.map((c) => Math.max(c.count, perShard)));
    return { total: Math.round(estimate + perShard * (LIST_SHARDS - all.length)), exact: false };
  }

  private async search(
    query: LeadListQuery,
    f: string,
    cursor: ListCursor | undefined,
  ): Promise<LeadListPage> {
    const { filter, sort, limit } = query;
    const q = filter.q ?? '';
    const found = new Map<string, LeadRow>();
    let calls = 0;
    let capped = false;
    for (const field of SEARCH_FIELDS) {
      const keys = SEARCH_KEY_ATTRIBUTES[field];
      const e = listExpression(
        filter,
        sort,
        { attribute: keys.pk, value: searchPk(field, q) },
        { attribute: keys.sk, prefix: q },
      );
      let start: Record<string, unknown> | undefined;
      do {
        if (calls >= SEARCH_CALLS || found.size >= SEARCH_MAX) {
          capped = true;
          break;
        }
        calls += 1;
        const result = await this.query({
          TableName: this.tableName,
          IndexName: SEARCH_INDEXES[field],
          KeyConditionExpression: e.key,
          FilterExpression: e.filter,
          ExpressionAttributeNames: e.names,
          ExpressionAttributeValues: e.values,
          ExclusiveStartKey: start,
        });
        for (const item of result.Items ?? []) {
          const row = rowOfStored(item.lrow as Record<string, unknown>);
          found.set(row.leadId, row);
        }
        start = result.LastEvaluatedKey;
      } while (start);
    }
    const ordered = [...found.values()]
      .map((row) => ({ row, key: sortKeyOf(row, sort) }))
      .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
      .map((entry) => entry.row);
    const offset = cursor?.o ?? 0;
    const total = cursor ? cursor.t : ordered.length;
    const exact = cursor ? cursor.x : !capped;
    const end = offset + limit;
    return {
      leads: ordered.slice(offset, end),
      total,
      totalExact: exact,
      cursor: end < ordered.length ? encodeCursor({ f, t: total, x: exact, o: end }) : null,
    };
  }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

/** The whole key of an index entry: its own keys and the lead item's table keys. */
function startKey(skAttribute: string, shard: number, sk: string) {
  return { gsi4pk: listIndexPk(shard), [skAttribute]: sk, ...leadKey(leadIdOfSortKey(sk)) };
}

/** What a cursor belongs to: the filter and the sort, not the page size. */
function fingerprintOf(query: LeadListQuery): string {
  const { filter, sort } = query;
  const ordered = Object.fromEntries(Object.entries(filter).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify({ ordered, sort })).digest('base64url').slice(0, 16);
}

const SORT_KEY = /^[0-9A-Za-z:.+-]+#ld_[0-9a-f]{24}$/;
const encodeCursor = (cursor: ListCursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(value: string, fingerprint: string): ListCursor {
  let cursor: Partial<ListCursor> | undefined;
  try {
    cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    cursor = undefined;
  }
  const positions = cursor?.p;
  const valid =
    cursor &&
    typeof cursor.t === 'number' &&
    typeof cursor.x === 'boolean' &&
    (positions === undefined ||
      (Array.isArray(positions) &&
        positions.length === LIST_SHARDS &&
        positions.every((p) => p === null || p === 'end' || (typeof p === 'string' && SORT_KEY.test(p))))) &&
    (cursor.o === undefined || (Number.isInteger(cursor.o) && cursor.o >= 0));
  if (!valid || !cursor)
    throw new ValidationError([{ path: 'cursor', message: 'is not a cursor of the lead list' }]);
  if (cursor.f !== fingerprint)
    throw new ValidationError([
      { path: 'cursor', message: 'belongs to another filter or sort: start again without it' },
    ]);
  return cursor as ListCursor;
}
