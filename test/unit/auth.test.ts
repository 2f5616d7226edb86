import { describe, expect, it } from 'vitest';
import { authorize, type TokenIdentity } from '../../functions/core/kernel/auth';
import { ForbiddenError, UnauthorizedError } from '../../functions/core/kernel/errors';

const verifier = {
  tokens: new Map<string, TokenIdentity>([
    ['lf_sales_0123456789abcdef', { role: 'sales', name: 'rep' }],
    ['lf_admin_0123456789abcdef', { role: 'admin', name: 'ops' }],
    ['lf_ingest_0123456789abcdef', { role: 'ingest', name: 'app' }],
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
});
