import { ForbiddenError, UnauthorizedError } from './errors';

export const ROLES = ['marketing', 'sales', 'ingest', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenIdentity {
  role: Role;
  name: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<TokenIdentity | undefined>;
}

/**
 * Who may call: a Bearer token whose role is one of `allowed` (admin may do anything).
 * 401 without a valid token, 403 with a valid token of another role.
 */
export async function authorize(
  verifier: TokenVerifier,
  authorization: string | undefined,
  allowed: readonly Role[],
): Promise<TokenIdentity> {
  const match = /^Bearer\s+(\S{16,256})$/i.exec(authorization?.trim() ?? '');
  if (!match?.[1]) throw new UnauthorizedError();
  const identity = await verifier.verify(match[1]);
  if (!identity) throw new UnauthorizedError('The bearer token is not valid.');
  if (identity.role !== 'admin' && !allowed.includes(identity.role)) {
    throw new ForbiddenError(`This route needs one of the roles: ${allowed.join(', ')}.`);
  }
  return identity;
}
