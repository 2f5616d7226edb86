import { createPrivateKey, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalOidc } from '../../functions/local/oidc/provider';
import { base64url, decodeJwtPart, type OidcClient, tokensFor } from '../fixtures/oidc-flow';
import { type StartedStack, startLocalStackProcess } from './local-stack';

/**
 * People sign in on `npm start`: the summary prints each seeded person with their group and
 * password; a printed password works through the console's code + PKCE flow over HTTP at the
 * printed provider, and the API answers by the person's role. With `--data` the passwords
 * survive a restart.
 */

let stack: StartedStack | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'leadflow-e2e-people-'));
  stack = await startLocalStackProcess({ args: ['--data', dataDir] });
});

afterAll(async () => {
  const result = await stack?.stop(10_000);
  await rm(dataDir, { recursive: true, force: true });
  expect(result, 'the local stack exits 0 within 10 s of SIGINT').toMatchObject({ code: 0, killed: false });
});

function started(): StartedStack {
  if (!stack) throw new Error('the local stack did not start');
  return stack;
}

/** The console as the printed summary describes it: this API's callback, the printed provider. */
function consoleClient(): OidcClient {
  const { signIn, apiUrl } = started();
  if (!signIn) throw new Error(`no sign-in lines in the summary:\n${started().output()}`);
  return { issuer: signIn.issuer, clientId: signIn.clientId, redirectUri: `${apiUrl}/console/callback` };
}

async function signInAs(username: string): Promise<string> {
  const person = started().people.find((p) => p.username === username);
  if (!person) throw new Error(`${username} was not printed:\n${started().output()}`);
  return (await tokensFor(consoleClient(), person.username, person.password)).access_token;
}

const get = (path: string, token: string) =>
  fetch(`${started().apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });

describe('npm start: people sign in', () => {
  it('prints each person with group and password, the console URL and the provider', () => {
    const { people, signIn, apiUrl } = started();
    expect(people.map((p) => [p.username, p.name, p.group])).toEqual([
      ['maya', 'Maya Lindqvist', 'marketing'],
      ['ravi', 'Ravi Patel', 'sales'],
      ['sofia', 'Sofia Reyes', 'sales'],
      ['mia', 'Mia Okafor', 'sales-manager'],
      ['alex', 'Alex Novak', 'admin'],
    ]);
    for (const person of people) expect(person.password).toMatch(/^[A-Za-z0-9_-]{16,}$/);
    expect(signIn).toEqual({
      issuer: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      clientId: 'leadflow-console',
      consoleUrl: `${apiUrl}/console`,
    });
  });

  it('a printed password signs the marketer in: the API answers 404 lead_not_found, not 401', async () => {
    const token = await signInAs('maya');
    const res = await get('/v1/admin/leads?email=nobody-here%40example.com', token);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('lead_not_found');
  });

  it('a rep’s token on a marketing-only route: 403; on the sales queue: 200', async () => {
    const token = await signInAs('ravi');
    const refused = await get('/v1/admin/nurture', token);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    expect((await get('/v1/sales/queue', token)).status).toBe(200);
  });

  it('refuses another provider’s token and an expired one signed with the stack’s own key: 401', async () => {
    const other = await startLocalOidc({ port: 0, redirectUris: [consoleClient().redirectUri] });
    try {
      const alex = other.users.find((u) => u.username === 'alex');
      const { access_token } = await tokensFor(
        { ...consoleClient(), issuer: other.issuer },
        'alex',
        alex?.password ?? '',
      );
      expect((await get('/v1/admin/nurture', access_token)).status).toBe(401);
    } finally {
      await other.stop();
    }

    const real = await signInAs('alex');
    expect((await get('/v1/admin/nurture', real)).status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    expect((await get('/v1/admin/nurture', await resign(real, { exp: now - 60 }))).status).toBe(401);
    // Re-signed the same way with a live expiry it passes: the 401 above is the expiry's.
    expect((await get('/v1/admin/nurture', await resign(real, { exp: now + 600 }))).status).toBe(200);
  });

  it('with --data the same passwords are printed after a restart, and still sign in', async () => {
    const before = started().people;
    const result = await started().stop(10_000);
    expect(result).toMatchObject({ code: 0, killed: false });
    stack = await startLocalStackProcess({ args: ['--data', dataDir] });
    expect(started().people).toEqual(before);
    expect(started().output()).toContain(`data in ${dataDir}`);
    const res = await get('/v1/admin/leads?email=nobody-here%40example.com', await signInAs('sofia'));
    expect(res.status).toBe(404);
  });
});

/** The token with `changes` to its claims, signed again with the key the stack keeps in its data dir. */
async function resign(token: string, changes: Record<string, unknown>): Promise<string> {
  const { signing } = JSON.parse(await readFile(join(dataDir, 'oidc-keys.json'), 'utf8'));
  const [header, payload] = token.split('.');
  const claims = base64url(Buffer.from(JSON.stringify({ ...decodeJwtPart(payload), ...changes })));
  const key = createPrivateKey({ key: signing, format: 'jwk' });
  return `${header}.${claims}.${base64url(sign('sha256', Buffer.from(`${header}.${claims}`), key))}`;
}
