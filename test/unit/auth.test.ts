import { describe, expect, it } from 'vitest';
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
