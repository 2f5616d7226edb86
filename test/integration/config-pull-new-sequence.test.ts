import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { emptyDraft, newSequence } from '../../console/src/sequences/new-sequence';
import { withSequence } from '../../console/src/sequences/save';
import type { NurtureState } from '../../console/src/sequences/types';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';
import { httpEvent, invoke } from '../fixtures/http-events';

/**
 * A sequence made with the console's "New sequence" (the console's own builder and save body,
 * through the admin API's handler on dynalite: a new version, then activate) comes back from
 * `leadflow config pull` as config/sequences/<id>.yaml, a valid file that pushes as unchanged.
 */
const run = promisify(execFile);
const CLI = resolve('bin/leadflow.mjs');
let env: EmulatorEnv;
let admin: Parameters<typeof invoke>[0];
let token: string;
let work: string;
let dir: string;

const cli = (...args: string[]) =>
  run(process.execPath, [CLI, ...args], { cwd: work, env: { ...process.env, LEADFLOW_TABLE_NAME: TABLE } });

const call = (routeKey: string, params: Record<string, string> = {}, body?: unknown) =>
  invoke(
    admin,
    httpEvent({
      routeKey,
      path: routeKey.split(' ')[1]?.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? '') ?? '',
      pathParameters: params,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );

async function files(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of await readdir(root, { recursive: true, withFileTypes: true }))
    if (f.isFile())
      out[join(f.parentPath, f.name).slice(root.length + 1)] = await readFile(
        join(f.parentPath, f.name),
        'utf8',
      );
  return out;
}

beforeAll(async () => {
  env = await emulatorEnv({ LEADFLOW_UNSUBSCRIBE_KEY: 'unsubscribe-key-for-pull-tests' });
  token = await env.token('marketing');
  ({ handler: admin } = await import('../../functions/handlers/admin-nurture'));
  work = await mkdtemp(join(tmpdir(), 'leadflow-pull-new-'));
  dir = join(work, 'config');
  await cp('config', dir, { recursive: true });
}, 30_000);
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await env?.stop();
});

describe('config pull after a new sequence from the console', () => {
  it('writes config/sequences/<id>.yaml, and the pulled folder pushes as unchanged', async () => {
    await cli('config', 'push');
    const state = (await call('GET /v1/admin/nurture')).json as NurtureState;
    const created = newSequence({
      ...emptyDraft(state.active?.document.templates ?? []),
      id: 'trial-follow-up',
      name: 'Trial follow-up',
      trigger: { on: 'activity', type: 'trial_started' },
      waitDays: '2',
      template: 'getting-started',
    });
    const { config } = withSequence(state, created, created.id);
    const saved = await call('POST /v1/admin/nurture/versions', {}, { config });
    expect(saved.status).toBe(201);
    const version = String(saved.json.version);
    expect((await call('POST /v1/admin/nurture/versions/{version}/activate', { version })).status).toBe(200);
    const before = await files(dir);

    const { stdout } = await cli('config', 'pull');
    expect(stdout).toContain('sequences/trial-follow-up.yaml: created');
    expect(stdout).toMatch(/config pulled: 1 file\(s\) changed/);
    const after = await files(dir);
    const text = after['sequences/trial-follow-up.yaml'] as string;
    expect(text).toMatch(
      new RegExp(
        `^# Written by \`leadflow config pull\` from the active nurture version ${version}\\.\\nid: trial-follow-up\\n`,
      ),
    );
    expect(parse(text)).toEqual(created);
    // Only the new file: every other file keeps its bytes.
    expect(Object.keys(after).filter((f) => after[f] !== before[f])).toEqual([
      'sequences/trial-follow-up.yaml',
    ]);

    await cli('config', 'check');
    expect((await cli('config', 'push')).stdout).toContain(`nurture: unchanged (version ${version})`);
  }, 90_000);
});
