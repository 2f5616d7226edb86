import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { LocalStack } from '../../functions/local/stack';
import { startTestStack } from '../fixtures/local-api';

/** The scoring admin API on the whole local stack: the rescore job runs through the real queue. */
// biome-ignore lint/suspicious/noExplicitAny: the tests read arbitrary JSON answers
type Json = any;
let stack: LocalStack;
let shipped: Record<string, unknown>;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack();
  shipped = parse(await readFile(resolve('config/scoring.yaml'), 'utf8'));
  await post(
    '/v1/forms/newsletter/submissions',
    { email: 'reader@gmail.com', firstName: 'Reed', consent: 'true' },
    false,
  );
  await post(
    '/v1/forms/demo-request/submissions',
    {
      email: 'cto@globex.de',
      firstName: 'Carla',
      lastName: 'Tor',
      company: 'Globex',
      jobTitle: 'CTO',
      country: 'DE',
    },
    false,
  );
});
afterAll(async () => stack?.stop());

async function post(path: string, body: unknown, auth = true) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: stack.apiUrl,
      ...(auth ? { authorization: `Bearer ${stack.tokens.marketing}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Json };
}
async function get(path: string) {
  const res = await fetch(`${stack.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${stack.tokens.marketing}` },
  });
  return { status: res.status, json: (await res.json()) as Json };
}

describe('scoring over HTTP on the local stack', () => {
  it('answers an unknown version as nurture does: 404 version_not_found; a non-number is 400', async () => {
    const unknown = await post('/v1/admin/scoring/versions/999/activate', {});
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'version_not_found']);
    const malformed = await post('/v1/admin/scoring/versions/1.5/activate', {});
    expect([malformed.status, malformed.json.error.details]).toEqual([
      400,
      [{ path: 'version', message: 'is not a version number' }],
    ]);
  });

  it('makes the CTO demo request hot and keeps the free-mail newsletter reader cold, explainably', async () => {
    const cto = (await get('/v1/admin/leads?email=cto@globex.de')).json;
    expect(cto.score).toMatchObject({ hot: true, grade: expect.stringMatching(/^[AB]$/) });
    // Sent to the queue at once by the request that made it hot.
    expect(cto.handoff).toMatchObject({ status: 'sent', number: 1, sentAt: expect.any(String) });
    const reader = (await get('/v1/admin/leads?email=reader@gmail.com')).json;
    expect(reader.score).toMatchObject({ hot: false, mql: false });
    for (const lead of [cto, reader]) {
      const sum = lead.score.breakdown.reduce((total: number, e: { points: number }) => total + e.points, 0);
      expect(Math.round(sum * 10) / 10).toBe(lead.score.total);
    }
  });
});

describe('scoring admin API', () => {
  it('shows the active model (config/scoring.yaml as version 1) and its history', async () => {
    const { status, json } = await get('/v1/admin/scoring');
    expect(status).toBe(200);
    expect(json.active).toMatchObject({ version: 1, document: { thresholds: { hot: 80 } } });
    expect(json.versions.map((v: { version: number }) => v.version)).toEqual([1]);
  });

  it('refuses a bad model with the path of each error, and warns when hot cannot be reached', async () => {
    const bad = await post('/v1/admin/scoring/versions', {
      model: { ...shipped, fit: [{ id: 'x', points: 5, when: { field: 'jobTitle', matches: '.*' } }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].path).toMatch(/^model\.fit\.0\.when/);
    const unreachable = await post('/v1/admin/scoring/validate', {
      model: { ...shipped, engagement: [], thresholds: { mql: 40, hot: 500 } },
    });
    expect(unreachable.json.valid).toBe(true);
    expect(unreachable.json.warnings[0].path).toMatch(/thresholds/);
  });

  it('simulates a sketched lead under a draft model without storing anything', async () => {
    const { status, json } = await post('/v1/admin/scoring/simulate', {
      lead: {
        email: 'vp@initech.com',
        profile: { jobTitle: 'VP Sales', country: 'US', company: 'Initech' },
        activities: [{ type: 'form_submitted', formId: 'demo-request', at: new Date().toISOString() }],
      },
    });
    expect(status).toBe(200);
    expect(json).toMatchObject({ modelVersion: 1, stage: 'mql', score: { hot: true } });
    expect((await get('/v1/admin/leads?email=vp@initech.com')).status).toBe(404);
  });

  it('backtests a draft: who would change and who would turn hot', async () => {
    const generous = { ...shipped, thresholds: { mql: 5, hot: 5 } };
    const { json } = await post('/v1/admin/scoring/backtest', { model: generous, limit: 50 });
    expect(json.scanned).toBe(2);
    expect(json.changes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ turnsHot: true, to: expect.objectContaining({ hot: true }) }),
      ]),
    );
  });

  it('rescores every stored lead after activating a new version, with progress and timeline entries', async () => {
    const model = {
      ...shipped,
      engagement: [
        ...(shipped.engagement as unknown[]),
        { id: 'newsletter-bonus', points: 20, when: { activity: 'form_submitted', formId: 'newsletter' } },
      ],
    };
    const added = await post('/v1/admin/scoring/versions', { model });
    expect(added.status).toBe(201);
    expect(added.json.version).toBe(2);
    const activated = await post(`/v1/admin/scoring/versions/${added.json.version}/activate`, {});
    expect(activated.status).toBe(202);
    let job: Record<string, unknown> | null = null;
    for (let i = 0; i < 60 && job?.status !== 'done'; i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      job = (await get('/v1/admin/scoring/rescore')).json.job;
    }
    expect(job).toMatchObject({ version: 2, status: 'done', scanned: 2, rescored: 2 });
    const reader = (await get('/v1/admin/leads?email=reader@gmail.com')).json;
    expect(reader.score.modelVersion).toBe(2);
    expect(reader.score.breakdown.map((e: { rule: string }) => e.rule)).toContain('newsletter-bonus');
    expect(reader.timeline[0]).toMatchObject({
      type: 'score_changed',
      source: 'model:v2',
      effect: { score: { modelVersion: 2 } },
    });
  });

  it('reports the rescore of a rollback as the latest job after an older version is activated again', async () => {
    const activated = await post('/v1/admin/scoring/versions/1/activate', {});
    expect(activated.status).toBe(202);
    let job: Record<string, unknown> | null = null;
    for (let i = 0; i < 60 && !(job?.version === 1 && job.status === 'done'); i += 1) {
      await new Promise((r) => setTimeout(r, 250));
      job = (await get('/v1/admin/scoring/rescore')).json.job;
    }
    // Version 2's job (done, a higher key) must not hide the job that started last.
    expect(job).toMatchObject({ version: 1, status: 'done', scanned: 2, rescored: 2 });
    const reader = (await get('/v1/admin/leads?email=reader@gmail.com')).json;
    expect(reader.score.modelVersion).toBe(1);
    expect(reader.score.breakdown.map((e: { rule: string }) => e.rule)).not.toContain('newsletter-bonus');
  });

  it('answers 403 to a sales token', async () => {
    const res = await fetch(`${stack.apiUrl}/v1/admin/scoring`, {
      headers: { authorization: `Bearer ${stack.tokens.sales}` },
    });
    expect(res.status).toBe(403);
  });
});
