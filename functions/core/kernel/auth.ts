import { ForbiddenError, UnauthorizedError } from './errors';

/**
 * Who may call. People sign in and get one of marketing, sales, sales-manager or admin from their
 * group; machines (ingest, scripts) keep API tokens. A sales manager has every sales right.
 */
export const ROLES = ['marketing', 'sales', 'sales-manager', 'ingest', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface TokenIdentity {
  role: Role;
  /** Who made a change, as the timeline shows it: a person's name, or an API token's name. */
  name: string;
  /** A signed-in person's user name (absent for API tokens). */
  username?: string;
}

export interface TokenVerifier {
  /** The token's identity, undefined for a token it does not know; may throw ForbiddenError. */
  verify(token: string): Promise<TokenIdentity | undefined>;
}

/** A bearer token: 16 characters at least (API tokens), 4096 at most (a signed-in person's JWT). */
const BEARER = /^Bearer\s+(\S{16,4096})$/i;

/** Roles that hold every right of another role. */
const INCLUDES: Partial<Record<Role, readonly Role[]>> = { 'sales-manager': ['sales'] };

function mayCall(role: Role, allowed: readonly Role[]): boolean {
  return (
    role === 'admin' || allowed.includes(role) || (INCLUDES[role] ?? []).some((r) => allowed.includes(r))
  );
}

/**
 * Who may call: a Bearer token whose role is one of `allowed` (admin may do anything, a sales
 * manager anything sales may). 401 without a valid token, 403 with a valid token of another role.
 */
export async function authorize(
  verifier: TokenVerifier,
  authorization: string | undefined,
  allowed: readonly Role[],
): Promise<TokenIdentity> {
  const match = BEARER.exec(authorization?.trim() ?? '');
  if (!match?.[1]) throw new UnauthorizedError();
  const identity = await verifier.verify(match[1]);
  if (!identity) throw new UnauthorizedError('The bearer token is not valid.');
  if (!mayCall(identity.role, allowed)) {
    throw new ForbiddenError(`This route needs one of the roles: ${allowed.join(', ')}.`);
  }
  return identity;
}
