import * as oauth from 'oauth4webapi';
import { type CognitoSignIn, type ConsoleConfig, consoleConfig } from './config';

/** The roles the API knows people by (the Cognito groups). */
export type Role = 'marketing' | 'sales' | 'sales-manager' | 'admin';
const ROLES: readonly Role[] = ['marketing', 'sales', 'sales-manager', 'admin'];

export interface Session {
  accessToken: string;
  idToken: string;
  refreshToken?: string;
  /** Epoch ms after which the access token is no longer accepted. */
  expiresAt: number;
  name: string;
  username: string;
  roles: Role[];
}

/**
 * Tokens live in memory and in sessionStorage, not localStorage: sessionStorage belongs to this
 * tab alone and is gone when the tab closes, so a token is not left on a shared machine nor handed
 * to every other tab; a reload of the tab keeps the person signed in.
 */
const SESSION_KEY = 'leadflow.session';
const PENDING_KEY = 'leadflow.signin';
let current: Session | null = null;

const callbackUrl = () => `${location.origin}/console/callback`;
// The local provider speaks plain HTTP on 127.0.0.1; Cognito and other issuers are HTTPS.
const insecure = (issuer: string) => new URL(issuer).protocol === 'http:';

const discovered = new Map<string, Promise<oauth.AuthorizationServer>>();
function server(auth: NonNullable<ConsoleConfig['auth']>): Promise<oauth.AuthorizationServer> {
  if (auth.kind === 'cognito') return Promise.resolve(cognitoServer(auth));
  let found = discovered.get(auth.issuer);
  if (!found) {
    const issuer = new URL(auth.issuer);
    found = oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', [oauth.allowInsecureRequests]: insecure(auth.issuer) })
      .then((res) => oauth.processDiscoveryResponse(issuer, res));
    discovered.set(auth.issuer, found);
  }
  return found;
}

/** A Cognito user pool as oauth4webapi sees it: tokens issued by the pool, endpoints on the managed login domain. */
function cognitoServer(auth: CognitoSignIn): oauth.AuthorizationServer {
  return {
    issuer: auth.issuer,
    authorization_endpoint: auth.authorizationEndpoint,
    token_endpoint: auth.tokenEndpoint,
    revocation_endpoint: auth.revocationEndpoint,
  };
}

/**
 * Cognito's sign-out: its managed login forgets the person, then sends the browser to `home`, which
 * must be one of the app client's sign-out URLs. It has no OpenID end-session endpoint.
 */
export function cognitoLogoutUrl(
  auth: Pick<CognitoSignIn, 'logoutEndpoint' | 'clientId'>,
  home: string,
): string {
  const url = new URL(auth.logoutEndpoint);
  url.search = new URLSearchParams({ client_id: auth.clientId, logout_uri: home }).toString();
  return url.toString();
}

/** The signed-in person's own email address (the ID token's email claim), for proofs. */
export function ownEmail(): string | undefined {
  const email = claimsOf(session()?.idToken ?? '').email;
  return typeof email === 'string' ? email : undefined;
}

function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  try {
    return JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
  } catch {
    return {};
  }
}

/** Who the tokens say the person is. Display only: the API verifies the access token itself. */
function sessionFrom(tokens: oauth.TokenEndpointResponse, idToken: string): Session {
  const id = claimsOf(idToken);
  const access = claimsOf(tokens.access_token);
  const groups = (access['cognito:groups'] ?? id['cognito:groups'] ?? []) as string[];
  const username = String(access.username ?? id.preferred_username ?? id['cognito:username'] ?? id.sub ?? '');
  return {
    accessToken: tokens.access_token,
    idToken,
    refreshToken: tokens.refresh_token,
    expiresAt: Date.now() + (tokens.expires_in ?? 3600) * 1000,
    name: String(id.name ?? access.name ?? username),
    username,
    roles: ROLES.filter((r) => groups.includes(r)),
  };
}

function save(session: Session | null): void {
  current = session;
  if (session) sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  else sessionStorage.removeItem(SESSION_KEY);
}

/** The signed-in person, or null. */
export function session(): Session | null {
  if (!current) {
    try {
      current = JSON.parse(sessionStorage.getItem(SESSION_KEY) ?? 'null') as Session | null;
    } catch {
      // not a session this console wrote: sign in again
      current = null;
    }
  }
  return current;
}

/** Sends the browser to the provider's sign-in page (authorization code + PKCE, state and nonce). */
export async function signIn(returnTo = location.pathname + location.search): Promise<never> {
  const { auth } = await consoleConfig();
  if (!auth) throw new Error('Sign-in is not configured for this console.');
  const as = await server(auth);
  if (!as.authorization_endpoint) throw new Error('The provider has no authorization endpoint.');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ verifier, state, nonce, returnTo }));
  const url = new URL(as.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: auth.clientId,
    redirect_uri: callbackUrl(),
    response_type: 'code',
    scope: auth.scopes.join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString();
  location.assign(url.toString());
  return new Promise<never>(() => {});
}

/** On /console/callback: checks state, exchanges the code with the PKCE verifier, checks the nonce. */
export async function completeSignIn(): Promise<string> {
  const { auth } = await consoleConfig();
  if (!auth) throw new Error('Sign-in is not configured for this console.');
  const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null') as {
    verifier: string;
    state: string;
    nonce: string;
    returnTo: string;
  } | null;
  if (!pending) throw new Error('This sign-in was not started here, or was already used. Sign in again.');
  sessionStorage.removeItem(PENDING_KEY);
  const as = await server(auth);
  const client: oauth.Client = { client_id: auth.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    callbackUrl(),
    pending.verifier,
    { [oauth.allowInsecureRequests]: insecure(auth.issuer) },
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  save(sessionFrom(tokens, tokens.id_token ?? ''));
  return pending.returnTo.startsWith('/console') ? pending.returnTo : '/console/';
}

/**
 * A usable access token: the current one, a refreshed one when the provider issued a refresh
 * token, else null (the caller signs in again).
 */
export async function accessToken(): Promise<string | null> {
  const s = session();
  if (!s) return null;
  if (s.expiresAt - 30_000 > Date.now()) return s.accessToken;
  if (!s.refreshToken) return null;
  try {
    const { auth } = await consoleConfig();
    if (!auth) return null;
    const as = await server(auth);
    const client: oauth.Client = { client_id: auth.clientId };
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), s.refreshToken, {
      [oauth.allowInsecureRequests]: insecure(auth.issuer),
    });
    const tokens = await oauth.processRefreshTokenResponse(as, client, response);
    const next = sessionFrom(
      { ...tokens, refresh_token: tokens.refresh_token ?? s.refreshToken },
      tokens.id_token ?? s.idToken,
    );
    save(next);
    return next.accessToken;
  } catch {
    save(null);
    return null;
  }
}

/** Forgets the tokens, then ends the provider's session (its end-session endpoint, or Cognito's logout). */
export async function signOut(): Promise<void> {
  const s = session();
  save(null);
  const { auth } = await consoleConfig();
  const home = `${location.origin}/console/`;
  if (!auth) return location.assign(home);
  if (auth.kind === 'cognito') {
    if (s?.refreshToken) await revokeQuietly(auth, s.refreshToken);
    return location.assign(cognitoLogoutUrl(auth, home));
  }
  const as = await server(auth);
  if (!as.end_session_endpoint) return location.assign(home);
  const url = new URL(as.end_session_endpoint);
  url.search = new URLSearchParams({
    client_id: auth.clientId,
    post_logout_redirect_uri: home,
    ...(s?.idToken ? { id_token_hint: s.idToken } : {}),
  }).toString();
  location.assign(url.toString());
}

/**
 * Revokes the refresh token (and with it the access tokens it issued: the client has token
 * revocation on), so a copy taken from this tab stops working too. Sign-out goes on if it fails.
 */
async function revokeQuietly(auth: CognitoSignIn, refreshToken: string): Promise<void> {
  try {
    const client: oauth.Client = { client_id: auth.clientId };
    const response = await oauth.revocationRequest(cognitoServer(auth), client, oauth.None(), refreshToken, {
      signal: AbortSignal.timeout(3000),
      [oauth.allowInsecureRequests]: insecure(auth.issuer),
    });
    await oauth.processRevocationResponse(response);
  } catch {
    // The managed login still ends the session; the refresh token expires on its own (12 hours).
  }
}

/** Forgets the tokens without leaving the page (the API refused them). */
export function dropSession(): void {
  save(null);
}
