import { CognitoJwtVerifier, JwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError } from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import type { Role, TokenIdentity, TokenVerifier } from '../../core/kernel/auth';
import { ForbiddenError } from '../../core/kernel/errors';

/** A person's groups (Cognito user pool groups) and the role each gives, strongest first. */
const GROUP_ROLES: readonly [group: string, role: Role][] = [
  ['admin', 'admin'],
  ['sales-manager', 'sales-manager'],
  ['sales', 'sales'],
  ['marketing', 'marketing'],
];

export const NO_GROUP_MESSAGE =
  'You are signed in, but not in a Leadflow group (marketing, sales, sales-manager or admin); ask an admin to add you.';

const clean = (text: unknown) =>
  typeof text === 'string'
    ? text
        .replace(/[\p{Cc}\p{Cf}]/gu, '')
        .trim()
        .slice(0, 200)
    : '';

/**
 * Who a verified access token stands for: the role of the strongest group it carries, the
 * person's name (the `name` claim, else the user name) and user name. A person in no known group
 * is signed in but may do nothing: ForbiddenError (403), with what to do about it.
 */
export function identityFromAccessToken(payload: JwtPayload): TokenIdentity {
  const groups = payload['cognito:groups'];
  const held = Array.isArray(groups) ? groups : [];
  const role = GROUP_ROLES.find(([group]) => held.includes(group))?.[1];
  if (!role) throw new ForbiddenError(NO_GROUP_MESSAGE);
  const username = clean(payload.username) || clean(payload.sub);
  return { role, name: clean(payload.name) || username, username };
}

/** Anything that checks a JWT's signature, issuer, expiry and use, and gives its payload. */
export interface JwtCheck {
  verify(token: string): Promise<JwtPayload>;
}

/**
 * Signed-in people's access tokens. An invalid token (bad signature, other issuer or client, expired,
 * an ID token, unknown key) is not known: undefined, so 401. Failing to fetch the issuer's keys is
 * an outage, not the token's fault: it is thrown.
 */
export class JwtTokenVerifier implements TokenVerifier {
  constructor(private readonly check: JwtCheck) {}

  async verify(token: string): Promise<TokenIdentity | undefined> {
    let payload: JwtPayload;
    try {
      payload = await this.check.verify(token);
    } catch (error) {
      if (error instanceof JwtBaseError && !(error instanceof FetchError)) return undefined;
      throw error;
    }
    return identityFromAccessToken(payload);
  }
}

/** On AWS: access tokens of the console's app client in the Cognito user pool. */
export function cognitoAccessTokenVerifier(config: {
  userPoolId: string;
  clientId: string;
}): JwtTokenVerifier {
  return new JwtTokenVerifier(
    CognitoJwtVerifier.create({
      userPoolId: config.userPoolId,
      clientId: config.clientId,
      tokenUse: 'access',
    }),
  );
}

/** Fetches a JWKS over http too; only for an issuer on this machine (the local OpenID provider). */
const loopbackFetcher: Fetcher = {
  async fetch(uri) {
    const res = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new FetchError(uri, `Status code is ${res.status}, expected 200`);
    return res.arrayBuffer();
  },
};

const isLoopback = (uri: string) => ['127.0.0.1', 'localhost', '[::1]'].includes(new URL(uri).hostname);

/**
 * Any OpenID provider whose access tokens are shaped like Cognito's (the local one is): the issuer,
 * its JWKS, and the same checks Cognito's verifier makes (`token_use` is access, `client_id` is ours).
 */
export function oidcAccessTokenVerifier(config: {
  issuer: string;
  clientId: string;
  jwksUri?: string;
}): JwtTokenVerifier {
  const jwksUri = config.jwksUri ?? `${config.issuer}/jwks`;
  const jwksCache = isLoopback(jwksUri)
    ? new SimpleJwksCache({ fetcher: loopbackFetcher })
    : new SimpleJwksCache();
  return new JwtTokenVerifier(
    JwtVerifier.create(
      {
        issuer: config.issuer,
        jwksUri,
        audience: null,
        customJwtCheck: ({ payload }) => {
          if (payload.token_use !== 'access') throw new NotAnAccessTokenError();
          if (payload.client_id !== config.clientId) throw new OtherClientError();
        },
      },
      { jwksCache },
    ),
  );
}

class NotAnAccessTokenError extends JwtBaseError {
  constructor() {
    super('token_use is not access');
  }
}

class OtherClientError extends JwtBaseError {
  constructor() {
    super('client_id is not the console');
  }
}

/** Three base64url parts: a JWT. API tokens (`lf_<role>_<base64url>`) have no dots. */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** People's JWTs to the JWT verifier, everything else (machines' API tokens) to the token store. */
export function eitherVerifier(jwt: TokenVerifier, apiTokens: TokenVerifier): TokenVerifier {
  return {
    verify: (token) => (JWT_SHAPE.test(token) ? jwt.verify(token) : apiTokens.verify(token)),
  };
}
