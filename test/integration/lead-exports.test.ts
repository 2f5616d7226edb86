import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoExportStore } from '../../functions/adapters/dynamodb/export-store';
import { leadIdFor } from '../../functions/core/kernel/email';
import type { LocalStack } from '../../functions/local/stack';
import { accessTokenFor, api, type Json, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * Background lead exports on the whole local stack: the API stores the job and queues it on
 * lead-exports, the local queue poller runs the worker (as SQS runs the Lambda on AWS), the CSV
 * lands in the stack's exports folder, and the API serves it to the person who asked (or an admin).
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
const token: Record<string, string> = {};
const run = Date.now().toString(36);
const LEADS = 130;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({
    tickSeconds: 1,
    rateLimits: { perIpPerMinute: 100_000, perEmailPerMinute: 100 },
  });
  http = api(stack);
  for (const person of ['maya', 'ravi', 'alex']) token[person] = await accessTokenFor(stack, person);
  for (let i = 0; i < LEADS; i += 10) {
    await Promise.all(
      Array.from({ length: 10 }, (_, j) =>
        http.submit('newsletter', { email: `exp-${run}-${i + j}@initech.de`, consent: true }),
      ),
    );
  }
}, 120_000);
afterAll(() => stack?.stop());

const as = (person: string) => token[person] as string;
const start = async (filter: Record<string, string>, person = 'maya') => {
  const res = await fetch(`${stack.apiUrl}/v1/admin/leads/exports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${as(person)}`, 'content-type': 'application/json' },
    body: JSON.stringify(filter),
  });
  return { status: res.status, location: res.headers.get('location'), json: (await res.json()) as Json };
};
const status = (exportId: string, person = 'maya') =>
  http.get(`/v1/admin/leads/exports/${exportId}`, as(person));
const download = (url: string, person = 'maya') =>
  fetch(url, { headers: { authorization: `Bearer ${as(person)}` } });

describe('background lead exports', () => {
  it('exports every lead of a filter off the request: 202 running, then ready with the rows and a link that serves the CSV', async () => {
    const started = await start({ q: `exp-${run}`, sort: 'newest' });
    expect(started.status).toBe(202);
    expect(started.json).toMatchObject({ status: 'running', rows: 0 });
    expect(started.location).toBe(`/v1/admin/leads/exports/${started.json.exportId}`);

    const ready = await waitFor(
      'the export to be ready',
      async () => {
        const answer = await status(started.json.exportId);
        return answer.json.status === 'running' ? undefined : answer.json;
      },
      30_000,
    );

    expect(ready).toMatchObject({ status: 'ready', rows: LEADS, finishedAt: expect.any(String) });
    expect(ready.download.url).toBe(`${stack.apiUrl}/v1/admin/leads/exports/${started.json.exportId}/file`);
    const file = await download(ready.download.url);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toContain('text/csv');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${ready.download.fileName}"`);
    const [header, ...lines] = (await file.text()).trimEnd().split('\r\n');
    expect(header?.split(',').slice(0, 3)).toEqual(['leadId', 'email', 'name']);
    const emails = lines.map((line) => line.split(',')[1]).sort();
    expect(emails).toEqual(Array.from({ length: LEADS }, (_, i) => `exp-${run}-${i}@initech.de`).sort());
  });

  it("exports a saved segment's leads only: the worker evaluates the segment as the lead list does", async () => {
    // Two demo requests: leads of this stack, but not newsletter sign-ups (quiet-subscribers' source).
    for (const i of [1, 2]) {
      const res = await http.submit('demo-request', {
        email: `exp-${run}-demo${i}@initech.de`,
        firstName: 'Dana',
        lastName: `Demo${i}`,
        company: 'Initech',
      });
      expect(res.status).toBeLessThan(400);
    }
    const started = await start({ segment: 'quiet-subscribers' });
    expect(started.status).toBe(202);
    const ready = await waitFor(
      'the segment export',
      async () => {
        const answer = await status(started.json.exportId);
        return answer.json.status === 'running' ? undefined : answer.json;
      },
      30_000,
    );
    expect(ready).toMatchObject({ status: 'ready', rows: LEADS });
    const [, ...lines] = (await (await download(ready.download.url)).text()).trimEnd().split('\r\n');
    const emails = lines.map((line) => line.split(',')[1]);
    expect(emails.filter((email) => email?.includes('-demo'))).toEqual([]);
    // The list itself agrees: the same segment, first page.
    const listed = await http.get('/v1/admin/leads?segment=quiet-subscribers&limit=100', as('maya'));
    expect(listed.status).toBe(200);
    expect(listed.json.leads.some((lead: { email: string }) => lead.email.includes('-demo'))).toBe(false);
  });

  it('lets only who asked, or an admin, follow the export and download it', async () => {
    const started = await start({ q: `exp-${run}-1` });
    const done = await waitFor('the export', async () => {
      const answer = await status(started.json.exportId);
      return answer.json.status === 'ready' ? answer.json : undefined;
    });
    // exp-<run>-1, -10..-19, -100..-129
    expect(done.rows).toBe(1 + 10 + 30);

    const other = await status(started.json.exportId, 'ravi');
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('forbidden');
    expect((await download(done.download.url, 'ravi')).status).toBe(403);
    expect((await status(started.json.exportId, 'alex')).status).toBe(200);
    expect((await download(done.download.url, 'alex')).status).toBe(200);
    expect((await fetch(done.download.url)).status).toBe(401);
  });

  it('refuses a bad filter before anything starts, and says 404 for an unknown export and 409 for a file not ready', async () => {
    const bad = await start({ stage: 'nope', scoreMin: 'many' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: Json) => d.path).sort()).toEqual(['scoreMin', 'stage']);
    expect((await status('exp_01ARZ3NDEKTSV4RRFFQ69G5FAV')).json.error.code).toBe('export_not_found');

    // A job the worker has not reached yet, stored as the API stores one.
    const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));
    const store = new DynamoExportStore(db, process.env.LEADFLOW_TABLE_NAME as string);
    const exportId = 'exp_01ARZ3NDEKTSV4RRFFQ69G5FAV';
    await store.create({
      exportId,
      status: 'running',
      rows: 0,
      params: {},
      requestedBy: { name: 'Maya Lindqvist', username: 'maya' },
      createdAt: new Date().toISOString(),
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const early = await http.get(`/v1/admin/leads/exports/${exportId}/file`, as('maya'));
    expect(early.status).toBe(409);
    expect(early.json.error.code).toBe('export_not_ready');
    expect((await status(exportId)).json).toMatchObject({ status: 'running', rows: 0 });
  });

  it('withdraws a ready export when a lead is erased: the job fails with the reason and its file is gone', async () => {
    const started = await start({ q: `exp-${run}-2` });
    const done = await waitFor('the export', async () => {
      const answer = await status(started.json.exportId);
      return answer.json.status === 'ready' ? answer.json : undefined;
    });
    expect((await download(done.download.url)).status).toBe(200);

    const erased = await fetch(`${stack.apiUrl}/v1/admin/leads/${leadIdFor(`exp-${run}-2@initech.de`)}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${as('alex')}` },
    });
    expect(erased.status).toBe(200);

    const after = await status(started.json.exportId);
    expect(after.json).toMatchObject({ status: 'failed', error: expect.stringContaining('erased') });
    expect(after.json.download).toBeUndefined();
    expect((await download(done.download.url)).status).toBe(409);
    const folder = process.env.LEADFLOW_EXPORTS_DIR as string;
    expect(existsSync(join(folder, `${started.json.exportId}.csv`))).toBe(false);
  });
});
