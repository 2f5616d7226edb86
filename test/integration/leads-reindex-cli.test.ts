import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededLeads } from '../../bench/lead-list-seed';
import { toLeadItem } from '../../functions/adapters/dynamodb/lead-item';
import type { LocalStack } from '../../functions/local/stack';
import { api, startTestStack } from '../fixtures/local-api';

/**
 * `leadflow leads reindex` against the local stack: leads stored before the list indexes (no
 * list attributes) are not in GET /v1/admin/leads until the command has run, and a second run
 * writes nothing.
 */
const run = promisify(execFile);
let stack: LocalStack;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack();
  db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
}, 30_000);
afterAll(async () => {
  db?.destroy();
  await stack?.stop();
});

const cli = (args: string[]) =>
  run(process.execPath, ['bin/leadflow.mjs', ...args], {
    env: { ...process.env, LEADFLOW_TABLE_NAME: stack.tableName },
  });

describe('leadflow leads reindex', () => {
  it('backfills leads written before the list indexes, and prints the counts', async () => {
    const old = seededLeads(4, 5, 'reindexcli').map((lead) => ({ ...lead, test: false }));
    for (const lead of old) {
      const item = Object.fromEntries(
        Object.entries(toLeadItem(lead)).filter(([name]) => !/^gsi\d|^lrow/.test(name)),
      );
      await db.send(new PutCommand({ TableName: stack.tableName, Item: item }));
    }
    // Every page of the whole list: how many of the old leads it shows.
    const all = async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
        const page = (await api(stack).get(`/v1/admin/leads?limit=100${query}`, stack.tokens.marketing)).json;
        ids.push(...page.leads.map((row: { leadId: string }) => row.leadId));
        cursor = page.cursor;
      } while (cursor);
      return old.filter((lead) => ids.includes(lead.leadId)).length;
    };
    expect(await all()).toBe(0);

    const first = await cli(['leads', 'reindex']);
    expect(first.stdout).toMatch(/^page 1: scanned \d+, indexed \d+$/m);
    expect(first.stdout.trim().split('\n').at(-1)).toMatch(
      /^reindexed 4 lead\(s\) and 0 suppression entries; scanned \d+ item\(s\) in \d+ page\(s\)$/,
    );
    expect(await all()).toBe(4);

    const second = await cli(['leads', 'reindex']);
    expect(second.stdout.trim().split('\n').at(-1)).toMatch(/^reindexed 0 lead\(s\)/);
  }, 60_000);
});
