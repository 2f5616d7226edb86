import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore } from '../../functions/adapters/dynamodb/token-store';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

const run = promisify(execFile);
let env: EmulatorEnv;

beforeAll(async () => {
  env = await emulatorEnv();
});
afterAll(async () => env?.stop());

const cli = (...args: string[]) =>
  run(process.execPath, ['bin/leadflow.mjs', ...args], {
    env: { ...process.env, LEADFLOW_TABLE_NAME: TABLE },
  });

describe('leadflow CLI against the table', () => {
  it('publishes config/ forms as versions, and only changed ones on a second push', async () => {
    const first = await cli('config', 'push');
    expect(first.stdout).toContain('form newsletter: published version 1');
    expect(first.stdout).toContain('form newsletter-eu: published version 1');
    expect(first.stdout).toContain('sequences back-to-nurture, welcome-eu, welcome; templates 5');
    expect(first.stdout).toContain('nurture: published version 1');
    const second = await cli('config', 'push');
    expect(second.stdout).toContain('form newsletter: unchanged (version 1)');
    expect(second.stdout).toContain('nurture: unchanged (version 1)');
    const active = (await env.items()).find((i) => i.pk === 'CONFIG#form#demo-request' && i.sk === 'ACTIVE');
    expect(active).toMatchObject({ version: 1, document: { id: 'demo-request' } });
    const nurture = (await env.items()).find((i) => i.pk === 'CONFIG#nurture#default' && i.sk === 'ACTIVE');
    expect(nurture).toMatchObject({
      version: 1,
      document: { sequences: [{ id: 'back-to-nurture' }, { id: 'welcome-eu' }, { id: 'welcome' }] },
    });
  });

  it('creates a token shown once and stored as its SHA-256 only, then revokes it', async () => {
    const { stdout } = await cli('tokens', 'create', '--role', 'sales', '--name', 'Rep One');
    const token = stdout.trim();
    expect(token).toMatch(/^lf_sales_/);
    const items = await env.items();
    expect(JSON.stringify(items)).not.toContain(token);
    await expect(new DynamoTokenStore(env.db, TABLE, 0).verify(token)).resolves.toEqual({
      role: 'sales',
      name: 'Rep One',
    });
    await cli('tokens', 'revoke', token);
    await expect(new DynamoTokenStore(env.db, TABLE, 0).verify(token)).resolves.toBeUndefined();
  });

  it('prints its usage for --help, and for an unknown option with exit code 2', async () => {
    expect((await cli('--help')).stdout).toContain('leadflow tokens create --role ROLE --name NAME');
    await expect(cli('--frobnicate')).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown option '--frobnicate'"),
    });
  });

  it('prints no SDK notice on a command', async () => {
    expect((await cli('config', 'check')).stderr).toBe('');
  });

  it('refuses an unknown role with exit code 2', async () => {
    await expect(cli('tokens', 'create', '--role', 'root', '--name', 'x')).rejects.toMatchObject({ code: 2 });
  });
});
