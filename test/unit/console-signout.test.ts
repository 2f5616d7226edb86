import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CognitoSignIn, ConsoleConfig } from '../../console/src/config';

const DOMAIN = 'https://leadflow-prod-123456789012.auth.eu-west-1.amazoncognito.com';
const COGNITO: CognitoSignIn = {
  kind: 'cognito',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
  clientId: '4lq6e1v0example',
  scopes: ['openid', 'email', 'profile'],
  domain: DOMAIN,
  authorizationEndpoint: `${DOMAIN}/oauth2/authorize`,
  tokenEndpoint: `${DOMAIN}/oauth2/token`,
  revocationEndpoint: `${DOMAIN}/oauth2/revoke`,
  logoutEndpoint: `${DOMAIN}/logout`,
};
const SESSION = {
  accessToken: 'aaa.bbb.ccc',
  idToken: 'ddd.eee.fff',
  refreshToken: 'refresh-123',
  expiresAt: Date.now() + 3_600_000,
  name: 'Ada Lovelace',
  username: 'ada',
  roles: ['sales'],
};

/** The browser the console runs in: its address, this tab's storage, and the network (config.json, Cognito). */
function browser(config: ConsoleConfig, revoke: () => Response = () => new Response(null, { status: 200 })) {
  const storage = new Map<string, string>([['leadflow.session', JSON.stringify(SESSION)]]);
  const assign = vi.fn();
  const requests: Request[] = [];
  vi.stubGlobal('location', { origin: 'https://api.acme-widgets.com', assign });
  vi.stubGlobal('sessionStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => storage.set(key, value),
    removeItem: (key: string) => storage.delete(key),
  });
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(new URL(String(input), 'https://api.acme-widgets.com'), init);
    requests.push(request);
    if (request.url.endsWith('/console/config.json')) return Response.json(config);
    if (request.url === COGNITO.revocationEndpoint) return revoke();
    throw new Error(`unexpected request to ${request.url}`);
  });
  return { storage, assign, requests };
}

describe('console sign-out with Cognito', () => {
  beforeEach(() => vi.resetModules());
  afterEach(() => vi.unstubAllGlobals());

  it("builds Cognito's logout URL: the client and the sign-out URL the app client allows", async () => {
    const { cognitoLogoutUrl } = await import('../../console/src/auth');
    const url = new URL(cognitoLogoutUrl(COGNITO, 'https://api.acme-widgets.com/console/'));
    expect(url.origin + url.pathname).toBe(`${DOMAIN}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: '4lq6e1v0example',
      logout_uri: 'https://api.acme-widgets.com/console/',
    });
  });

  it('forgets the tokens, revokes the refresh token, then sends the browser to the managed login logout', async () => {
    const { storage, assign, requests } = browser({ apiUrl: 'https://api.acme-widgets.com', auth: COGNITO });
    const { signOut, session } = await import('../../console/src/auth');

    await signOut();

    expect(session()).toBeNull();
    expect(storage.has('leadflow.session')).toBe(false);
    const revocation = requests.find((r) => r.url === COGNITO.revocationEndpoint);
    expect(revocation?.method).toBe('POST');
    expect(Object.fromEntries(new URLSearchParams(await revocation?.text()))).toMatchObject({
      token: 'refresh-123',
      client_id: '4lq6e1v0example',
    });
    expect(assign).toHaveBeenCalledExactlyOnceWith(
      `${DOMAIN}/logout?client_id=4lq6e1v0example&logout_uri=https%3A%2F%2Fapi.acme-widgets.com%2Fconsole%2F`,
    );
  });

  it('still signs out at Cognito when the revocation fails', async () => {
    const { assign } = browser({ apiUrl: 'https://api.acme-widgets.com', auth: COGNITO }, () =>
      Response.json({ error: 'unsupported_token_type' }, { status: 400 }),
    );
    const { signOut } = await import('../../console/src/auth');

    await signOut();

    expect(assign).toHaveBeenCalledExactlyOnceWith(
      expect.stringMatching(/^https:\/\/.*amazoncognito\.com\/logout\?/),
    );
  });
});
