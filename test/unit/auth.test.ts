import { describe, expect, it } from 'vitest';
import {
  eitherVerifier,
  identityFromAccessToken,
  JwtTokenVerifier,
} from '../../functions/adapters/auth/jwt-verifier';
import { authorize, type TokenIdentity } from '../../functions/core/kernel/auth';
import { ForbiddenError, UnauthorizedError } from '../../functions/core/kernel/errors';

const verifier = {
  tokens: new Map<string, TokenIdentity>([
    ['lf_sales_0123456789abcdef', { role: 'sales', name: 'rep' }],
    ['lf_admin_0123456789abcdef', { role: 'admin', name: 'ops' }],
    ['lf_ingest_0123456789abcdef', { role: 'ingest', name: 'app' }],
    ['lf_manager_0123456789abcdef', { role: 'sales-manager', name: 'Mia Manager', username: 'mia' }],
    [`eyJ.${'a'.repeat(4000)}.sig`, { role: 'marketing', name: 'Maya Marketer', username: 'maya' }],
    [`eyJ.${'a'.repeat(4100)}.sig`, { role: 'marketing', name: 'too long', username: 'long' }],
  ]),
  async verify(token: string) {
    return this.tokens.get(token);
  },
};

describe('authorize', () => {
  it('lets an allowed role and admin through', async () => {
    await expect(authorize(verifier, 'Bearer lf_sales_0123456789abcdef', ['sales'])).resolves.toEqual({
      role: 'sales',
      name: 'rep',
    });
    await expect(authorize(verifier, 'bearer lf_admin_0123456789abcdef', ['sales'])).resolves.toMatchObject({
      role: 'admin',
    });
  });

  it('answers 401 without a token, with a malformed header or an unknown token', async () => {
    for (const header of [undefined, '', 'Basic abc', 'Bearer short', 'Bearer lf_unknown_0123456789abcdef']) {
      await expect(authorize(verifier, header, ['sales'])).rejects.toBeInstanceOf(UnauthorizedError);
    }
  });

  it('answers 403 for a valid token of another role', async () => {
    await expect(
      authorize(verifier, 'Bearer lf_ingest_0123456789abcdef', ['marketing', 'sales']),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('lets a sales manager do what sales may, and nothing more', async () => {
    await expect(authorize(verifier, 'Bearer lf_manager_0123456789abcdef', ['sales'])).resolves.toEqual({
      role: 'sales-manager',
      name: 'Mia Manager',
      username: 'mia',
    });
    await expect(
      authorize(verifier, 'Bearer lf_manager_0123456789abcdef', ['marketing']),
    ).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('accepts a signed-in person’s JWT up to 4096 characters and refuses longer ones unread', async () => {
    const jwt = `eyJ.${'a'.repeat(4000)}.sig`;
    await expect(authorize(verifier, `Bearer ${jwt}`, ['marketing'])).resolves.toMatchObject({
      username: 'maya',
    });
    const tooLong = `eyJ.${'a'.repeat(4100)}.sig`;
    await expect(authorize(verifier, `Bearer ${tooLong}`, ['marketing'])).rejects.toBeInstanceOf(
      UnauthorizedError,
    );
  });

  it('passes a ForbiddenError from the verifier on (a signed-in person without a group)', async () => {
    const noGroup = {
      async verify(): Promise<TokenIdentity | undefined> {
        throw new ForbiddenError('You are signed in but in no Leadflow group.');
      },
    };
    await expect(authorize(noGroup, 'Bearer lf_whoever_0123456789abcdef', ['sales'])).rejects.toThrow(
      /no Leadflow group/,
    );
  });
});

describe('signed-in people: access token claims to identity', () => {
  const claims = (extra: Record<string, unknown>) => ({ sub: 'c0ffee-sub', username: 'ravi', ...extra });

  it('maps each Cognito group to its role, the strongest when a person is in several', () => {
    for (const group of ['marketing', 'sales', 'sales-manager', 'admin'] as const) {
      expect(identityFromAccessToken(claims({ 'cognito:groups': [group] })).role).toBe(group);
    }
    expect(identityFromAccessToken(claims({ 'cognito:groups': ['marketing', 'admin'] })).role).toBe('admin');
    expect(identityFromAccessToken(claims({ 'cognito:groups': ['sales', 'sales-manager'] })).role).toBe(
      'sales-manager',
    );
    expect(identityFromAccessToken(claims({ 'cognito:groups': ['marketing', 'sales'] })).role).toBe('sales');
  });

  it('answers 403 with what to do for a person in no known group (none, unknown, not an array, ingest)', () => {
    for (const groups of [undefined, [], ['interns'], 'admin', ['ingest']]) {
      expect(() => identityFromAccessToken(claims({ 'cognito:groups': groups }))).toThrow(ForbiddenError);
    }
    expect(() => identityFromAccessToken(claims({}))).toThrow(/ask an admin to add you/);
  });

  it('names the person by the name claim, else the user name, else the subject; control characters dropped', () => {
    expect(
      identityFromAccessToken(claims({ 'cognito:groups': ['sales'], name: 'Ravi\u202E Patel\u0007' })),
    ).toEqual({
      role: 'sales',
      name: 'Ravi Patel',
      username: 'ravi',
    });
    expect(identityFromAccessToken(claims({ 'cognito:groups': ['sales'] })).name).toBe('ravi');
    expect(identityFromAccessToken({ sub: 'c0ffee-sub', 'cognito:groups': ['sales'] }).name).toBe(
      'c0ffee-sub',
    );
  });
});

describe('eitherVerifier', () => {
  const seen: string[] = [];
  const jwt = {
    async verify(token: string): Promise<TokenIdentity | undefined> {
      seen.push(`jwt:${token}`);
      return undefined;
    },
  };
  const apiTokens = {
    async verify(token: string): Promise<TokenIdentity | undefined> {
      seen.push(`api:${token}`);
      return undefined;
    },
  };

  it('sends three base64url parts to the JWT verifier and everything else to the API tokens', async () => {
    const both = eitherVerifier(jwt, apiTokens);
    for (const token of [
      'eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl',
      'lf_sales_0123456789abcdef',
      'a.b',
      'a.b.c.d',
      'a..c',
    ]) {
      await both.verify(token);
    }
    expect(seen).toEqual([
      'jwt:eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl',
      'api:lf_sales_0123456789abcdef',
      'api:a.b',
      'api:a.b.c.d',
      'api:a..c',
    ]);
  });
});

describe('JwtTokenVerifier', () => {
  it('treats a JWT library rejection as an unknown token, and a failed key fetch as an outage', async () => {
    const { JwtExpiredError, FetchError } = await import('aws-jwt-verify/error');
    const failing = (error: Error) => new JwtTokenVerifier({ verify: () => Promise.reject(error) });
    await expect(
      failing(new JwtExpiredError('Token expired', 1_700_000_000)).verify('a.b.c'),
    ).resolves.toBeUndefined();
    await expect(failing(new FetchError('https://issuer/jwks', 'down')).verify('a.b.c')).rejects.toThrow(
      FetchError,
    );
    await expect(failing(new TypeError('bug')).verify('a.b.c')).rejects.toThrow(TypeError);
  });
});
