import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  eitherVerifier,
  type JwtTokenVerifier,
  oidcAccessTokenVerifier,
} from '../../functions/adapters/auth/jwt-verifier';
import { authorize, type TokenIdentity } from '../../functions/core/kernel/auth';
import { ForbiddenError } from '../../functions/core/kernel/errors';
import { type LocalOidc, startLocalOidc } from '../../functions/local/oidc/provider';
import type { LocalStack } from '../../functions/local/stack';
import {
  api,
  consoleClient,
  accessTokenFor as signedInToken,
  startTestStack,
  tableItems,
} from '../fixtures/local-api';
import {
  base64url,
  decodeJwtPart,
  exchange as exchangeAt,
  httpBrowser,
  type OidcClient,
  refresh,
  signInInBrowser as signInAt,
  type Tokens,
  tokensFor,
} from '../fixtures/oidc-flow';

const REDIRECT_URI = 'http://127.0.0.1:5173/auth/callback';

const client = (provider: LocalOidc): OidcClient => ({
  issuer: provider.issuer,
  clientId: provider.clientId,
  redirectUri: REDIRECT_URI,
});

const signInInBrowser = (
  provider: LocalOidc,
  credentials: Parameters<typeof signInAt>[1],
  authParams?: Record<string, string>,
) => signInAt(client(provider), credentials, authParams);

const exchange = (provider: LocalOidc, code: string, verifier?: string) =>
  exchangeAt(client(provider), code, verifier);

function accessTokenFor(provider: LocalOidc, login: string): Promise<Tokens> {
  const user = provider.users.find((u) => u.username === login);
  return tokensFor(client(provider), login, user?.password ?? '');
}

const decode = decodeJwtPart;

let oidc: LocalOidc;
let verifier: JwtTokenVerifier;

beforeAll(async () => {
  oidc = await startLocalOidc({ port: 0, redirectUris: [REDIRECT_URI] });
  verifier = oidcAccessTokenVerifier({ issuer: oidc.issuer, clientId: oidc.clientId });
});
afterAll(() => oidc?.stop());
afterEach(() => {
  vi.useRealTimers();
});

describe('local OpenID provider: sign-in with authorization code + PKCE', () => {
  it('seeds a marketer, two reps, a sales manager and an admin with random passwords', () => {
    expect(oidc.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(oidc.users.map((u) => u.group).sort()).toEqual([
      'admin',
      'marketing',
      'sales',
      'sales',
      'sales-manager',
    ]);
    for (const user of oidc.users) {
      expect(user.name).toMatch(/\S+ \S+/);
      expect(user.password.length).toBeGreaterThanOrEqual(16);
    }
    expect(new Set(oidc.users.map((u) => u.password)).size).toBe(5);
  });

  it('every person signs in through the login page and the API knows their role and name', async () => {
    const roles: Record<string, string> = {};
    for (const user of oidc.users) {
      const tokens = await accessTokenFor(oidc, user.username);
      expect(tokens.token_type).toBe('Bearer');
      const identity = await verifier.verify(tokens.access_token);
      expect(identity).toEqual({ role: user.group, name: user.name, username: user.username });
      roles[user.username] = identity?.role ?? '';
    }
    expect(Object.values(roles).sort()).toEqual(['admin', 'marketing', 'sales', 'sales', 'sales-manager']);
  });

  it('issues access tokens shaped like Cognito’s, RS256-signed with a key the JWKS publishes', async () => {
    const { access_token } = await accessTokenFor(oidc, 'mia');
    const [header, payload] = access_token.split('.');
    expect(decode(header)).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    const claims = decode(payload);
    expect(claims).toMatchObject({
      iss: oidc.issuer,
      sub: 'mia',
      username: 'mia',
      'cognito:groups': ['sales-manager'],
      client_id: 'leadflow-console',
      token_use: 'access',
      scope: expect.stringContaining('openid'),
    });
    expect(claims.exp - claims.iat).toBe(3600);
    const jwks = (await (await fetch(oidc.jwksUri)).json()) as { keys: { kid: string; d?: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toContain(decode(header).kid);
    expect(jwks.keys.every((k) => k.d === undefined)).toBe(true);
  });

  it('serves a plain login page: one h1, labelled fields, no script', async () => {
    const { loginPage } = await signInInBrowser(oidc, { login: 'nobody', password: 'x' });
    expect(loginPage.match(/<h1>/g)).toHaveLength(1);
    expect(loginPage).toMatch(/<label for="login">[^<]+<\/label>\s*<input id="login"/);
    expect(loginPage).toMatch(
      /<label for="password">[^<]+<\/label>\s*<input id="password" name="password" type="password"/,
    );
    expect(loginPage).toContain('autocomplete="current-password"');
    expect(loginPage).not.toContain('<script');
  });

  it('refuses a wrong password with 401 and the login page again, and gives no code', async () => {
    const maya = oidc.users.find((u) => u.username === 'maya');
    const refused = await signInInBrowser(oidc, { login: 'maya', password: `${maya?.password}x` });
    expect(refused.lastResponse.status).toBe(401);
    expect(refused.callback.toString()).not.toContain(REDIRECT_URI);
    expect(refused.lastHtml).toContain('role="alert"');
    expect(refused.lastHtml).toContain('Wrong user name or password.');
    expect(refused.lastHtml).toContain('value="maya"');
    const unknown = await signInInBrowser(oidc, { login: 'mallory', password: maya?.password ?? '' });
    expect(unknown.lastResponse.status).toBe(401);
  });

  it('sends a person who cancels back to the console with access_denied and no code', async () => {
    const cancelled = await signInInBrowser(oidc, 'cancel');
    expect(cancelled.callback.toString().startsWith(REDIRECT_URI)).toBe(true);
    expect(cancelled.callback.searchParams.get('error')).toBe('access_denied');
    expect(cancelled.callback.searchParams.get('code')).toBeNull();
  });

  it('requires PKCE: no challenge is refused at /auth, no or a wrong verifier at /token', async () => {
    const noChallenge = await signInInBrowser(
      oidc,
      { login: 'maya', password: '' },
      { code_challenge: '', code_challenge_method: '' },
    );
    expect(noChallenge.callback.toString().startsWith(REDIRECT_URI)).toBe(true);
    expect(noChallenge.callback.searchParams.get('error')).toBe('invalid_request');
    expect(noChallenge.callback.searchParams.get('code')).toBeNull();

    const user = oidc.users.find((u) => u.username === 'ravi');
    for (const codeVerifier of [undefined, base64url(randomBytes(32))]) {
      const signedIn = await signInInBrowser(oidc, { login: 'ravi', password: user?.password ?? '' });
      const code = signedIn.callback.searchParams.get('code') ?? '';
      expect(code).not.toBe('');
      const res = await exchange(oidc, code, codeVerifier);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: 'invalid_grant' });
    }
  });

  it('refuses a code used twice', async () => {
    const user = oidc.users.find((u) => u.username === 'sofia');
    const signedIn = await signInInBrowser(oidc, { login: 'sofia', password: user?.password ?? '' });
    const code = signedIn.callback.searchParams.get('code') ?? '';
    expect((await exchange(oidc, code, signedIn.verifier)).status).toBe(200);
    expect((await exchange(oidc, code, signedIn.verifier)).status).toBe(400);
  });
});

describe('local OpenID provider: what the console in a browser needs', () => {
  const consoleOrigin = new URL(REDIRECT_URI).origin;

  it('issues a refresh token, rotated at each use, that gives a new access token the API accepts', async () => {
    const first = await accessTokenFor(oidc, 'ravi');
    expect(first.refresh_token).toEqual(expect.any(String));
    const res = await refresh(client(oidc), first.refresh_token ?? '');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(consoleOrigin);
    const renewed = (await res.json()) as Tokens;
    expect(renewed.access_token).not.toBe(first.access_token);
    expect(renewed.refresh_token).toEqual(expect.any(String));
    expect(renewed.refresh_token).not.toBe(first.refresh_token);
    await expect(verifier.verify(renewed.access_token)).resolves.toEqual({
      role: 'sales',
      name: 'Ravi Patel',
      username: 'ravi',
    });
    // The used one is spent (rotation): replaying it is refused.
    const replay = await refresh(client(oidc), first.refresh_token ?? '');
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    // A replay revokes the whole grant: the newer refresh token is refused too.
    const afterReplay = await refresh(client(oidc), renewed.refresh_token ?? '');
    expect(afterReplay.status).toBe(400);
  });

  it('answers CORS for the console origin on discovery, JWKS, token and userinfo; not for others at /token', async () => {
    const discovery = await fetch(`${oidc.issuer}/.well-known/openid-configuration`, {
      headers: { origin: consoleOrigin },
    });
    expect(discovery.status).toBe(200);
    expect(discovery.headers.get('access-control-allow-origin')).toBe(consoleOrigin);
    const metadata = (await discovery.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: oidc.issuer,
      jwks_uri: oidc.jwksUri,
      code_challenge_methods_supported: ['S256'],
      grant_types_supported: expect.arrayContaining(['authorization_code', 'refresh_token']),
      end_session_endpoint: `${oidc.issuer}/session/end`,
    });
    const jwks = await fetch(oidc.jwksUri, { headers: { origin: consoleOrigin } });
    expect(jwks.headers.get('access-control-allow-origin')).toBe(consoleOrigin);

    const preflight = await fetch(`${oidc.issuer}/token`, {
      method: 'OPTIONS',
      headers: {
        origin: consoleOrigin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(consoleOrigin);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const { access_token, refresh_token } = await accessTokenFor(oidc, 'maya');
    const userinfo = await fetch(`${oidc.issuer}/me`, {
      headers: { origin: consoleOrigin, authorization: `Bearer ${access_token}` },
    });
    expect(userinfo.headers.get('access-control-allow-origin')).toBe(consoleOrigin);

    // Another site cannot use the console's client from a browser.
    const elsewhere = await fetch(`${oidc.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://evil.example' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refresh_token ?? '',
        client_id: oidc.clientId,
      }).toString(),
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    expect(await elsewhere.json()).toMatchObject({ error: 'invalid_request' });
  });

  it('signs out with a plain question page, then back to a registered post-logout address', async () => {
    const POST_LOGOUT = 'http://127.0.0.1:5173/auth/';
    const provider = await startLocalOidc({
      port: 0,
      redirectUris: [REDIRECT_URI],
      postLogoutRedirectUris: [POST_LOGOUT],
    });
    try {
      const b = httpBrowser();
      const alex = provider.users.find((u) => u.username === 'alex');
      const { id_token } = await tokensFor(
        { issuer: provider.issuer, clientId: provider.clientId, redirectUri: REDIRECT_URI },
        'alex',
        alex?.password ?? '',
        b,
      );
      const end = new URL(`${provider.issuer}/session/end`);
      end.searchParams.set('id_token_hint', id_token);
      end.searchParams.set('post_logout_redirect_uri', POST_LOGOUT);
      const question = await b.go(end);
      expect(question.status).toBe(200);
      const html = await question.text();
      expect(html.match(/<h1>/g)).toHaveLength(1);
      expect(html).toContain('Sign out of Leadflow?');
      expect(html).not.toContain('fonts.googleapis.com');
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1] ?? '';
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1] ?? '';
      const confirmed = await b.go(new URL(action, end), { form: { xsrf, logout: 'yes' } });
      expect(confirmed.status).toBe(303);
      expect(confirmed.headers.get('location')).toBe(POST_LOGOUT);
      // The provider's session is gone: the next sign-in asks for the password again.
      const again = await signInAt(
        { issuer: provider.issuer, clientId: provider.clientId, redirectUri: REDIRECT_URI },
        { login: 'alex', password: 'wrong' },
        {},
        b,
      );
      expect(again.loginPage).toContain('<h1>Sign in to Leadflow</h1>');
      expect(again.lastResponse.status).toBe(401);
    } finally {
      await provider.stop();
    }
  });
});

describe('access token verification', () => {
  it('refuses a tampered token (groups changed, signature kept)', async () => {
    const { access_token } = await accessTokenFor(oidc, 'ravi');
    const [header, payload, signature] = access_token.split('.');
    const claims = { ...decode(payload), 'cognito:groups': ['admin'] };
    const tampered = [header, base64url(Buffer.from(JSON.stringify(claims))), signature].join('.');
    await expect(verifier.verify(access_token)).resolves.toMatchObject({ role: 'sales' });
    await expect(verifier.verify(tampered)).resolves.toBeUndefined();
  });

  it('refuses a token from another issuer, and one signed with a key the issuer never published', async () => {
    const other = await startLocalOidc({ port: 0, redirectUris: [REDIRECT_URI] });
    try {
      const { access_token } = await accessTokenFor(other, 'alex');
      await expect(
        oidcAccessTokenVerifier({ issuer: other.issuer, clientId: other.clientId }).verify(access_token),
      ).resolves.toMatchObject({ role: 'admin' });
      await expect(verifier.verify(access_token)).resolves.toBeUndefined();
    } finally {
      await other.stop();
    }

    const { access_token } = await accessTokenFor(oidc, 'alex');
    const [header, payload] = access_token.split('.');
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    for (const kid of [decode(header).kid, 'not-published']) {
      const forgedHeader = base64url(Buffer.from(JSON.stringify({ ...decode(header), kid })));
      const forged = `${forgedHeader}.${payload}.${base64url(sign('sha256', Buffer.from(`${forgedHeader}.${payload}`), privateKey))}`;
      await expect(verifier.verify(forged)).resolves.toBeUndefined();
    }
  });

  it('refuses an expired token', async () => {
    const { access_token } = await accessTokenFor(oidc, 'maya');
    await expect(verifier.verify(access_token)).resolves.toMatchObject({ role: 'marketing' });
    const { exp } = decode(access_token.split('.')[1]);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime((exp + 1) * 1000);
    await expect(verifier.verify(access_token)).resolves.toBeUndefined();
  });

  it('refuses the ID token (not an access token) and a token for another client', async () => {
    const { id_token } = await accessTokenFor(oidc, 'maya');
    await expect(verifier.verify(id_token)).resolves.toBeUndefined();
    const { access_token } = await accessTokenFor(oidc, 'maya');
    const otherClient = oidcAccessTokenVerifier({ issuer: oidc.issuer, clientId: 'someone-else' });
    await expect(otherClient.verify(access_token)).resolves.toBeUndefined();
  });

  it('authorizes people by JWT and machines by API token through one verifier', async () => {
    const apiTokens = {
      async verify(token: string): Promise<TokenIdentity | undefined> {
        return token === 'lf_ingest_0123456789abcdef' ? { role: 'ingest', name: 'website' } : undefined;
      },
    };
    const both = eitherVerifier(verifier, apiTokens);
    const { access_token } = await accessTokenFor(oidc, 'mia');
    await expect(authorize(both, `Bearer ${access_token}`, ['sales'])).resolves.toEqual({
      role: 'sales-manager',
      name: 'Mia Okafor',
      username: 'mia',
    });
    await expect(authorize(both, `Bearer ${access_token}`, ['marketing'])).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(authorize(both, 'Bearer lf_ingest_0123456789abcdef', ['ingest'])).resolves.toMatchObject({
      name: 'website',
    });
  });
});

describe('local OpenID provider with a data dir', () => {
  it('keeps passwords and signing keys across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'leadflow-oidc-'));
    try {
      const first = await startLocalOidc({ port: 0, redirectUris: [REDIRECT_URI], dataDir });
      const { access_token } = await accessTokenFor(first, 'sofia');
      const firstJwks = await (await fetch(first.jwksUri)).json();
      await first.stop();
      const second = await startLocalOidc({ port: 0, redirectUris: [REDIRECT_URI], dataDir });
      try {
        expect(second.users).toEqual(first.users);
        expect(await (await fetch(second.jwksUri)).json()).toEqual(firstJwks);
        await expect(accessTokenFor(second, 'sofia')).resolves.toMatchObject({ token_type: 'Bearer' });
        expect(decode(access_token.split('.')[0]).kid).toBe(
          decode((await accessTokenFor(second, 'sofia')).access_token.split('.')[0]).kid,
        );
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('the local stack: people sign in at its provider and the API knows them', () => {
  let stack: LocalStack;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'leadflow-stack-oidc-'));
    stack = await startTestStack({ dataDir });
  });
  afterAll(async () => {
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exposes the provider and its people, with the console on this API as the redirect', async () => {
    expect(stack.auth.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.auth.clientId).toBe('leadflow-console');
    expect(stack.auth.users.map((u) => [u.username, u.group])).toEqual([
      ['maya', 'marketing'],
      ['ravi', 'sales'],
      ['sofia', 'sales'],
      ['mia', 'sales-manager'],
      ['alex', 'admin'],
    ]);
    // Both names of this machine are registered; any other redirect is refused at /auth.
    for (const origin of [stack.apiUrl, stack.apiUrl.replace('localhost', '127.0.0.1')]) {
      const tokens = await tokensFor(
        { ...consoleClient(stack), redirectUri: `${origin}/console/callback` },
        'maya',
        stack.auth.users[0]?.password ?? '',
      );
      expect(tokens.token_type).toBe('Bearer');
    }
    const elsewhere = await fetch(
      `${stack.auth.issuer}/auth?client_id=leadflow-console&response_type=code&scope=openid&code_challenge=${'a'.repeat(43)}&code_challenge_method=S256&redirect_uri=${encodeURIComponent('http://localhost:9/console/callback')}`,
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(400);
    const refusal = await elsewhere.text();
    expect(refusal).toContain('<h1>This sign-in cannot go on</h1>');
    expect(refusal).toContain('redirect_uri did not match any of the client&#39;s registered redirect_uris');
  });

  it('accessTokenFor: a signed-in marketer reads leads (404 for an unknown one, not 401)', async () => {
    const token = await signedInToken(stack, 'maya');
    expect(await signedInToken(stack, 'maya')).toBe(token);
    const res = await api(stack).get('/v1/admin/leads?email=nobody-yet@example.com', token);
    expect(res.status).toBe(404);
    expect(res.json.error.code).toBe('lead_not_found');
  });

  it('a rep on a marketing-only route gets 403; a manager has sales rights; no token 401', async () => {
    const ravi = await signedInToken(stack, 'ravi');
    const refused = await api(stack).get('/v1/admin/nurture', ravi);
    expect(refused.status).toBe(403);
    expect(refused.json.error.code).toBe('forbidden');
    expect((await api(stack).get('/v1/admin/nurture', await signedInToken(stack, 'maya'))).status).toBe(200);
    expect((await api(stack).get('/v1/sales/queue', await signedInToken(stack, 'mia'))).status).toBe(200);
    expect((await api(stack).get('/v1/admin/nurture')).status).toBe(401);
  });

  it('refuses a token from another provider, and an expired one signed with the stack’s own key', async () => {
    const other = await startLocalOidc({ port: 0, redirectUris: [REDIRECT_URI] });
    try {
      const { access_token } = await accessTokenFor(other, 'alex');
      const res = await api(stack).get('/v1/admin/nurture', access_token);
      expect(res.status).toBe(401);
    } finally {
      await other.stop();
    }
    const real = await signedInToken(stack, 'alex');
    expect((await api(stack).get('/v1/admin/nurture', real)).status).toBe(200);
    const expired = await resign(real, dataDir, { exp: Math.floor(Date.now() / 1000) - 60 });
    expect((await api(stack).get('/v1/admin/nurture', expired)).status).toBe(401);
    // The same re-signing with a live expiry is accepted: the 401 is the expiry's.
    const live = await resign(real, dataDir, { exp: Math.floor(Date.now() / 1000) + 600 });
    expect((await api(stack).get('/v1/admin/nurture', live)).status).toBe(200);
  });

  it('records who made it: a manual enrollment names the marketer, an erase the admin', async () => {
    const email = `who.made.it.${Date.now()}@example.com`;
    const submitted = await api(stack).submit('demo-request', {
      email,
      firstName: 'Wanda',
      lastName: 'Maker',
      company: 'Small Shop',
      consent: true,
    });
    expect(submitted.status).toBe(202);
    const { leadId } = submitted.json;
    const enrolled = await api(stack).post(
      '/v1/admin/sequences/back-to-nurture/enrollments',
      { leadId },
      await signedInToken(stack, 'maya'),
    );
    expect(enrolled.status).toBe(201);
    const entry = (await tableItems(stack)).find(
      (item) => item.leadId === leadId && item.type === 'sequence_enrolled',
    );
    expect(entry).toMatchObject({
      source: 'admin:Maya Lindqvist',
      by: { name: 'Maya Lindqvist', username: 'maya' },
      properties: { sequenceId: 'back-to-nurture', manual: true },
    });

    const erased = await fetch(`${stack.apiUrl}/v1/admin/leads/${leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${await signedInToken(stack, 'alex')}` },
    });
    expect(erased.status).toBe(200);
    const items = await tableItems(stack);
    expect(items.some((item) => item.leadId === leadId)).toBe(false);
    const suppressions = items.filter((i) => i.entity === 'suppression' && i.reason === 'erased');
    expect(suppressions.map((i) => i.source)).toContainEqual('admin:Alex Novak (alex)');
  });

  it('a data dir keeps the people’s passwords across restarts of the provider', async () => {
    const again = await startLocalOidc({ port: 0, redirectUris: [REDIRECT_URI], dataDir });
    try {
      expect(again.users).toEqual(stack.auth.users);
    } finally {
      await again.stop();
    }
  });
});

/** The token with `changes` to its claims, signed again with the provider's kept key (a data dir). */
async function resign(token: string, dataDir: string, changes: Record<string, unknown>): Promise<string> {
  const { signing } = JSON.parse(await readFile(join(dataDir, 'oidc-keys.json'), 'utf8'));
  const [header, payload] = token.split('.');
  const claims = base64url(Buffer.from(JSON.stringify({ ...decode(payload), ...changes })));
  const key = createPrivateKey({ key: signing, format: 'jwk' });
  return `${header}.${claims}.${base64url(sign('sha256', Buffer.from(`${header}.${claims}`), key))}`;
}
