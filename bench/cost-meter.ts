import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION, type TableIndex } from '../functions/shared/table-definition';
import { noUsage, type UnitUsage } from './cost-model';

type Item = Record<string, unknown>;
type Client = {
  middlewareStack: { add: (mw: never, options: { step: 'initialize'; name: string }) => void };
};

const inIndex = (index: TableIndex, item: Item | undefined) =>
  item !== undefined && item[index.partitionKey] !== undefined && item[index.sortKey] !== undefined;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Index writes one item write costs, by DynamoDB's rules, from the item before and after it and
 * the indexes of table-definition.ts: an entry put or deleted is one write, a moved entry (a key
 * changed) two, an entry whose projected attributes changed one (ALL: any attribute; INCLUDE: the
 * copied ones; KEYS_ONLY: none). One write unit each (entries of ≤ 1 KB).
 */
export function indexWrites(before: Item | undefined, after: Item | undefined): number {
  let writes = 0;
  for (const index of TABLE_DEFINITION.globalSecondaryIndexes) {
    const was = inIndex(index, before);
    const is = inIndex(index, after);
    if (!was && !is) continue;
    if (was !== is) writes += 1;
    else if (
      !same(before?.[index.partitionKey], after?.[index.partitionKey]) ||
      !same(before?.[index.sortKey], after?.[index.sortKey])
    )
      writes += 2;
    else if (
      index.projection === 'ALL'
        ? !same(before, after)
        : (index.nonKeyAttributes ?? []).some((a) => !same(before?.[a], after?.[a]))
    )
      writes += 1;
  }
  return writes;
}

// The document client's commands run on the low-level client's stack: either name may show.
const SINGLE_WRITES = new Set([
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
]);
const BATCH_WRITES = new Set(['BatchWriteCommand', 'BatchWriteItemCommand']);
/** A key as the document client gives it, whether or not it is marshalled yet. */
const plain = (value: unknown) => {
  const v = value as Record<string, unknown> | undefined;
  return v && typeof v === 'object' && typeof v.S === 'string' ? v.S : value;
};

/** The keys an item write names: one for Put/Update/Delete, each request's for BatchWrite. */
function writtenKeys(name: string, input: Item): { table: string; key: Item }[] {
  const keyOf = (item: Item) => ({ pk: plain(item.pk), sk: plain(item.sk) });
  if (SINGLE_WRITES.has(name))
    return [{ table: String(input.TableName), key: keyOf((input.Item ?? input.Key) as Item) }];
  if (!BATCH_WRITES.has(name)) return [];
  return Object.entries((input.RequestItems ?? {}) as Record<string, Item[]>).flatMap(([table, requests]) =>
    requests.map((r) => ({
      table,
      key: keyOf(
        ((r.PutRequest as Item | undefined)?.Item ?? (r.DeleteRequest as Item | undefined)?.Key) as Item,
      ),
    })),
  );
}

/**
 * Counts what the handlers ask of AWS on the shared clients — DynamoDB capacity units (the
 * emulator's ConsumedCapacity for the table, plus the index writes each item write costs, read
 * from the item before and after it on a client of its own that is not counted), SQS requests
 * (FIFO apart), SES sends — and the bytes written to stdout/stderr (what Lambda ships to
 * CloudWatch Logs). Call after the emulators' endpoints are in the environment.
 */
export function installMeter(clients: { dynamo: Client; sqs: Client; ses: Client }) {
  const total = noUsage();
  const peek = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  const read = (table: string, key: Item) =>
    peek.send(new GetCommand({ TableName: table, Key: key, ConsistentRead: true })).then((r) => r.Item);
  clients.dynamo.middlewareStack.add(
    ((next: (a: { input: Item }) => Promise<{ output: Item }>, context: { commandName?: string }) =>
      async (args: { input: Item }) => {
        const name = context.commandName ?? '';
        const keys = writtenKeys(name, args.input);
        const before = await Promise.all(keys.map(({ table, key }) => read(table, key)));
        args.input.ReturnConsumedCapacity ??= 'TOTAL';
        const result = await next(args);
        const consumed = result.output.ConsumedCapacity as
          | { CapacityUnits?: number }
          | { CapacityUnits?: number }[]
          | undefined;
        const units = [consumed ?? []].flat().reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
        if (keys.length > 0) {
          const after = await Promise.all(keys.map(({ table, key }) => read(table, key)));
          total.dynamoWriteUnits += Math.max(keys.length, units);
          keys.forEach((_, i) => {
            total.dynamoWriteUnits += indexWrites(before[i], after[i]);
          });
        } else total.dynamoReadUnits += Math.max(0.5, units);
        return result;
      }) as never,
    { step: 'initialize', name: 'cost-meter' },
  );
  clients.sqs.middlewareStack.add(
    ((next: (a: { input: Item }) => Promise<unknown>) => (args: { input: Item }) => {
      if (String(args.input.QueueUrl ?? '').endsWith('.fifo')) total.sqsFifoRequests += 1;
      else total.sqsStandardRequests += 1;
      return next(args);
    }) as never,
    { step: 'initialize', name: 'cost-meter' },
  );
  clients.ses.middlewareStack.add(
    ((next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => {
      if (context.commandName === 'SendEmailCommand') total.sesEmails += 1;
      return next(args);
    }) as never,
    { step: 'initialize', name: 'cost-meter' },
  );
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (...a: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      total.logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
  return { snapshot: (): UnitUsage => ({ ...total }), stop: () => peek.destroy() };
}
