import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadKey } from '../../functions/adapters/dynamodb/lead-item';
import { archiveKeyKey, DynamoUnreportedEntries } from '../../functions/adapters/dynamodb/report-entries';
import { ARCHIVE_COLUMNS, archiveRef } from '../../functions/adapters/files/event-archive';
import type { LocalStack } from '../../functions/local/stack';
import { api, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * The raw event archive on the local stack (`--events-dir`): tick's report aggregator writes each
 * counted batch in the S3 bucket's layout, so the layout the Glue table projects is tested here.
 */
const dir = mkdtempSync(join(tmpdir(), 'leadflow-events-dir-'));
let stack: LocalStack;
let db: DynamoDBDocumentClient;
const tag = Date.now().toString(36);
let leadId = '';
let ref = '';

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  stack = await startTestStack({ tickSeconds: 1, eventsDir: dir });
  db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: stack.endpoints.dynamodb }));
});
afterAll(async () => {
  db?.destroy();
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const files = () =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.endsWith('.tmp'))
    .map((d) => relative(dir, join(d.parentPath, d.name)).split('\\').join('/'));
// biome-ignore lint/suspicious/noExplicitAny: archive lines are arbitrary JSON
const lines = (): Record<string, any>[] =>
  files().flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );

describe('raw events in a local folder (--events-dir)', () => {
  it('writes parseable JSON lines under events/dt=YYYY-MM-DD/shard=<s>/seq=<n>.jsonl as tick counts the timeline', async () => {
    const email = `ada.archive.${tag}@acme-industries.de`;
    const res = await api(stack).submit('newsletter', { email, firstName: 'Ada', consent: true });
    expect(res.status).toBe(202);
    leadId = res.json.leadId as string;

    // The aggregator gave the lead its archive key (an item of its own in the lead's partition).
    const key = await waitFor(
      'the lead’s archive key',
      async () =>
        (await db.send(new GetCommand({ TableName: stack.tableName, Key: archiveKeyKey(leadId) }))).Item
          ?.archiveKey as string | undefined,
      20_000,
    );
    ref = archiveRef(key, leadId);
    // The sign-up, then the welcome email's send and its delivery, reach the archive within ticks.
    const mine = await waitFor(
      'the lead’s entries in the archive',
      async () => {
        const found = lines().filter((l) => l.lead_ref === ref);
        const types = new Set(found.map((l) => l.type));
        return types.has('form_submitted') && types.has('email_sent') && types.has('email_delivered')
          ? found
          : undefined;
      },
      20_000,
    );
    for (const file of files())
      expect(file).toMatch(/^events\/dt=\d{4}-\d{2}-\d{2}\/shard=[0-3]\/seq=\d+\.jsonl$/);
    // Each line lies in the file of its own UTC day, with the table's columns only.
    for (const file of files()) {
      const day = /dt=([\d-]+)\//.exec(file)?.[1];
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line);
        expect(parsed.at.slice(0, 10)).toBe(day);
        for (const key of Object.keys(parsed)) expect(ARCHIVE_COLUMNS).toContain(key);
      }
    }
    expect(mine.find((l) => l.type === 'email_sent')).toMatchObject({
      sequence_id: 'welcome',
      step: 'welcome',
      template_id: 'welcome',
      message_id: expect.any(String),
    });
    expect(mine.find((l) => l.type === 'form_submitted')).toMatchObject({ form_id: 'newsletter' });
    // No personal data: the address and the name never reach the archive.
    const all = files()
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    expect(all).not.toContain(email);
    expect(all).not.toContain('Ada');
    // Nor the lead's id or its entries' ids (recomputable from the address): HMACs under its key.
    expect(all).not.toContain(leadId);
    for (const line of mine) {
      expect(line).not.toHaveProperty('lead_id');
      expect(line).not.toHaveProperty('activity_id');
      expect(line.event_id).toMatch(/^[0-9a-f]{32}$/);
    }
    // One lead's entries are in one shard (so in order within it).
    const shards = new Set(
      files()
        .filter((f) => readFileSync(join(dir, f), 'utf8').includes(ref))
        .map((f) => f.split('/')[2]),
    );
    expect(shards.size).toBe(1);
  }, 40_000);

  it('an erase deletes the lead’s archive key with its partition: its archived lines stay, tied to no one', async () => {
    const before = lines().filter((l) => l.lead_ref === ref).length;
    expect(before).toBeGreaterThan(0);
    const res = await fetch(`${stack.apiUrl}/v1/admin/leads/${leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.tokens.marketing}` },
    });
    expect(res.status).toBe(200);
    const partition = async () =>
      (
        await db.send(
          new QueryCommand({
            TableName: stack.tableName,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': archiveKeyKey(leadId).pk },
            ConsistentRead: true,
          }),
        )
      ).Items ?? [];
    expect(await partition()).toEqual([]);
    // Ticks after the erase make no new key for the lead (its lead item is gone).
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await partition()).toEqual([]);
    expect(lines().filter((l) => l.lead_ref === ref)).toHaveLength(before);
  }, 20_000);

  it('keeps no key for a lead erased while its key was being made (the erase may have listed the partition already)', async () => {
    // A lead item without timeline entries: the stack's own tick never reads it.
    const raced = `ld_${Date.now().toString(16).padStart(24, '0')}`;
    await db.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...leadKey(raced), entity: 'lead', leadId: raced, createdAt: new Date().toISOString() },
      }),
    );
    const keyItem = () =>
      db.send(
        new GetCommand({ TableName: stack.tableName, Key: archiveKeyKey(raced), ConsistentRead: true }),
      );
    // An erase marks the lead right after the key is written (an injected interleaving: the
    // emulator cannot be paused between two calls).
    const racing = {
      send: async (command: { input: { Key?: { sk?: string } } }) => {
        const result = await db.send(command as never);
        if (command instanceof UpdateCommand && command.input.Key?.sk === 'ARCHIVEKEY')
          await db.send(
            new UpdateCommand({
              TableName: stack.tableName,
              Key: leadKey(raced),
              UpdateExpression: 'SET erasing = :now',
              ExpressionAttributeValues: { ':now': new Date().toISOString() },
            }),
          );
        return result;
      },
    } as unknown as DynamoDBDocumentClient;
    const { contexts, archiveKeys } = await new DynamoUnreportedEntries(racing, stack.tableName).batchLeads([
      raced,
    ]);
    expect(contexts.has(raced)).toBe(true);
    expect(archiveKeys.has(raced)).toBe(false);
    const { Item } = await keyItem();
    expect(Item).not.toHaveProperty('archiveKey');
    expect(Item?.expiresAt).toEqual(expect.any(Number));
    // A lead already being erased gets no key at all.
    expect(
      (await new DynamoUnreportedEntries(db, stack.tableName).batchLeads([raced])).archiveKeys.size,
    ).toBe(0);
  }, 30_000);
});
