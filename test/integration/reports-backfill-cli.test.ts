import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toActivityItem } from '../../functions/adapters/dynamodb/lead-item';
import type { LocalStack } from '../../functions/local/stack';
import { api, type Json, startTestStack } from '../fixtures/local-api';

/**
 * `leadflow reports backfill` against the local stack: timeline entries stored before the reports
 * (no uncounted key) are not in the reports until the command has run and a tick has counted
 * them; entries counted already are left alone, and a second run queues nothing.
 */
const run = promisify(execFile);
let stack: LocalStack;
let db: DynamoDBDocumentClient;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ tickSeconds: 1 });
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

/** Captures the sources report credits to a last-touch source (all time up to today). */
async function captures(source: string): Promise<number> {
  const res = await api(stack).get('/v1/admin/reports/sources?from=2026-01-01', stack.tokens.marketing);
  const last = res.json.tables.find((t: Json) => t.id === 'last_touch');
  return last.rows.find((r: Json) => r.dimension === 'source' && r.value === source)?.captures ?? 0;
}

describe('leadflow reports backfill', () => {
  it('queues entries written before the reports, once, and the next ticks count them', async () => {
    const signUp = await api(stack).submit('newsletter', { email: 'backfill.new@acme.io', consent: true });
    expect(signUp.status).toBe(202);
    const leadId = signUp.json.leadId as string;
    for (const n of [1, 2, 3]) {
      const {
        gsi10pk: _pk,
        gsi10sk: _sk,
        ...legacy
      } = toActivityItem({
        activityId: `act_legacy_${n}`,
        leadId,
        type: 'form_submitted',
        at: `2026-11-0${n}T10:00:00.000Z`,
        source: 'form:newsletter',
        formId: 'newsletter',
        attribution: { utm_source: 'legacy-src' },
      });
      await db.send(new PutCommand({ TableName: stack.tableName, Item: legacy }));
    }
    await stack.afterTicks(2);
    expect(await captures('legacy-src')).toBe(0);

    const first = await cli(['reports', 'backfill']);
    expect(first.stdout).toMatch(/^page 1: scanned \d+, queued \d+$/m);
    expect(first.stdout.trim().split('\n').at(-1)).toMatch(/^queued 3 timeline entries for the reports/);
    await stack.afterTicks(2);
    expect(await captures('legacy-src')).toBe(3);

    const second = await cli(['reports', 'backfill']);
    expect(second.stdout.trim().split('\n').at(-1)).toMatch(/^queued 0 timeline entries/);
    await stack.afterTicks(1);
    expect(await captures('legacy-src')).toBe(3);
  }, 90_000);
});
