import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
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

const REDIRECT_URI = 'http://127.0.0.1:5173/auth/callback';

/** A browser's cookie jar, enough for one host: name → value and path; expired cookies leave. */
class CookieJar {
  private readonly cookies = new Map<string, { value: string; path: string }>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const path = attributes.find((a) => /^path=/i.test(a))?.slice(5) || '/';
      const expires = attributes.find((a) => /^expires=/i.test(a))?.slice(8);
      const gone =
        /^max-age=0$/i.test(attributes.find((a) => /^max-age=/i.test(a)) ?? '') ||
        (expires !== undefined && Date.parse(expires) <= Date.now());
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, { value: pair.slice(eq + 1), path });
    }
  }

  header(url: URL): string {
    return [...this.cookies]
      .filter(
        ([, c]) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }
}

interface Browser {
  jar: CookieJar;
  /** One request, no automatic redirects, cookies kept. */
  go(url: string | URL, init?: { method?: string; form?: Record<string, string> }): Promise<Response>;
}

function browser(): Browser {
  const jar = new CookieJar();
  return {
    jar,
    async go(url, init = {}) {
      const target = new URL(url);
      const res = await fetch(target, {
        method: init.method ?? (init.form ? 'POST' : 'GET'),
        redirect: 'manual',
        headers: {
          cookie: jar.header(target),
          ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body: init.form ? new URLSearchParams(init.form).toString() : undefined,
      });
      jar.store(res);
      return res;
    },
  };
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** Follows redirects by hand until a page (200/4xx) or a redirect to the console's callback. */
async function follow(b: Browser, res: Response, from: string): Promise<{ res: Response; url: string }> {
  let current = res;
  let url = from;
  for (let hops = 0; hops < 10 && current.status >= 300 && current.status < 400; hops++) {
    url = new URL(current.headers.get('location') ?? '', url).toString();
    if (url.startsWith(REDIRECT_URI)) return { res: current, url };
    current = await b.go(url);
  }
  return { res: current, url };
}

interface SignIn {
  /** Where the provider sent the browser back: the console's callback with code or error. */
  callback: URL;
  verifier: string;
  loginPage: string;
}

/** The browser's part: GET /auth with a PKCE challenge, the login page, POST the credentials. */
async function signInInBrowser(
  oidc: LocalOidc,
  credentials: { login: string; password: string } | 'cancel',
  authParams: Record<string, string> = {},
): Promise<SignIn & { lastResponse: Response; lastHtml: string }> {
  const b = browser();
  const verifier = base64url(randomBytes(32));
  const state = base64url(randomBytes(12));
  const auth = new URL(`${oidc.issuer}/auth`);
  for (const [k, v] of Object.entries({
    client_id: oidc.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state,
    code_challenge: base64url(createHash('sha256').update(verifier).digest()),
    code_challenge_method: 'S256',
    ...authParams,
  })) {
    if (v !== '') auth.searchParams.set(k, v);
  }
  const start = await follow(b, await b.go(auth), auth.toString());
  if (start.url.startsWith(REDIRECT_URI)) {
    return { callback: new URL(start.url), verifier, loginPage: '', lastResponse: start.res, lastHtml: '' };
  }
  expect(start.res.status).toBe(200);
  const loginPage = await start.res.text();
  const action = /<form method="post" action="([^"]+)"/.exec(loginPage)?.[1];
  expect(action).toBeDefined();
  // 'cancel' follows the page's "Cancel and go back" link instead of signing in.
  const cancel = /<a href="([^"]+\/abort)">/.exec(loginPage)?.[1];
  const next = new URL((credentials === 'cancel' ? cancel : action) ?? '', start.url);
  const posted = await b.go(next, credentials === 'cancel' ? {} : { form: credentials });
  const end = await follow(b, posted, next.toString());
  const callback = new URL(end.url);
  if (callback.toString().startsWith(REDIRECT_URI)) expect(callback.searchParams.get('state')).toBe(state);
  return {
    callback,
    verifier,
    loginPage,
    lastResponse: end.res,
    lastHtml: end.url.startsWith(REDIRECT_URI) ? '' : await end.res.text(),
  };
}

/** The console's part: the code and the PKCE verifier for tokens at /token. */
async function exchange(oidc: LocalOidc, code: string, verifier?: string): Promise<Response> {
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    client_id: oidc.clientId,
  };
  if (verifier !== undefined) form.code_verifier = verifier;
  return fetch(`${oidc.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
}

async function accessTokenFor(
  oidc: LocalOidc,
  login: string,
): Promise<{ access_token: string; id_token: string; token_type: string }> {
  const user = oidc.users.find((u) => u.username === login);
  const signedIn = await signInInBrowser(oidc, { login, password: user?.password ?? '' });
  const code = signedIn.callback.searchParams.get('code');
  expect(code, signedIn.callback.toString()).toBeTruthy();
  const res = await exchange(oidc, code ?? '', signedIn.verifier);
  expect(res.status).toBe(200);
  return res.json();
}

const decode = (part: string | undefined) =>
  JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));

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
