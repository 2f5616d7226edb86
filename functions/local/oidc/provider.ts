import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, errors, type Interaction } from 'oidc-provider';
import { providerKeys } from './keys';
import { errorPage, loginPage, logoutPage, signedOutPage } from './login-page';
import { memoryStore } from './memory-store';
import { type LocalUser, seededUsers, signIn } from './users';

/** The console's OAuth client: public (no secret), authorization code with PKCE S256 only. */
export const CONSOLE_CLIENT_ID = 'leadflow-console';
/** The scopes a console sign-in asks for, as on the Cognito app client. */
export const CONSOLE_SCOPES = ['openid', 'email', 'profile'] as const;
const ACCESS_TOKEN_SECONDS = 3600;
/** A sign-in lasts a working day: the session, its grant and the refresh tokens it issues. */
const SESSION_SECONDS = 8 * 3600;

export interface LocalOidcOptions {
  /** 0 picks a free port. The provider listens on 127.0.0.1 only. */
  port: number;
  /** Where the console may be sent back with the code (exact matches). */
  redirectUris: string[];
  /** Where the console may be sent back after signing out. */
  postLogoutRedirectUris?: string[];
  /** Keeps the passwords and signing keys between starts. */
  dataDir?: string;
}

export interface LocalOidc {
  /** The issuer (`iss` of every token); discovery at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  jwksUri: string;
  clientId: string;
  users: { username: string; password: string; name: string; group: LocalUser['group'] }[];
  stop(): Promise<void>;
}

/**
 * A local OpenID provider (oidc-provider) for the console's sign-in: the same authorization code +
 * PKCE flow as Cognito's managed login, with the seeded people. Access tokens are RS256 JWTs
 * shaped like Cognito's (`sub`, `username`, `cognito:groups`, `client_id`, `token_use: "access"`,
 * `scope`, `iss`, `exp`), plus the person's `name`, so one verifier serves both.
 */
export async function startLocalOidc(options: LocalOidcOptions): Promise<LocalOidc> {
  const [users, keys] = await Promise.all([seededUsers(options.dataDir), providerKeys(options.dataDir)]);
  const byUsername = new Map(users.map((u) => [u.username, u]));

  let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res.writeHead(503).end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The API is the one resource server; its access tokens are JWTs, not opaque handles.
  const apiResource = `${issuer}/api`;

  const configuration: Configuration = {
    // Sessions, codes and tokens in this process (gone on restart: people sign in again).
    adapter: memoryStore(),
    clients: [
      {
        client_id: CONSOLE_CLIENT_ID,
        client_name: 'Leadflow Console',
        token_endpoint_auth_method: 'none',
        // Refresh tokens as Cognito issues them to its app clients (rotated at each use: public client).
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
      },
    ],
    pkce: { required: () => true },
    // Cognito gives every code sign-in a refresh token, without asking for offline_access.
    issueRefreshToken: async (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // The console calls discovery, JWKS (open to any origin), token and userinfo from its own origin:
    // allowed for the origins of its redirect URIs only.
    clientBasedCORS: (_ctx, origin, client) => allowedOrigins(client.redirectUris ?? []).includes(origin),
    jwks: { keys: [keys.signing] },
    cookies: { keys: keys.cookies },
    scopes: [...CONSOLE_SCOPES],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    async findAccount(_ctx, sub) {
      const user = byUsername.get(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        claims: () => ({
          sub,
          name: user.name,
          preferred_username: user.username,
          email: user.email,
          email_verified: true,
        }),
      };
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.type = 'html';
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: async (ctx) => {
          ctx.type = 'html';
          ctx.body = signedOutPage();
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => apiResource,
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, resource) {
          if (resource !== apiResource) throw new errors.InvalidTarget();
          return {
            scope: CONSOLE_SCOPES.join(' '),
            accessTokenFormat: 'jwt',
            accessTokenTTL: ACCESS_TOKEN_SECONDS,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
    extraTokenClaims(_ctx, token) {
      const user = 'accountId' in token ? byUsername.get(token.accountId) : undefined;
      if (!user) return undefined;
      return {
        username: user.username,
        name: user.name,
        'cognito:groups': [user.group],
        token_use: 'access',
      };
    },
    renderError: async (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // An hour for access and ID tokens (Cognito's default); a code lives a minute, a sign-in page
    // ten; the session and its refresh tokens a working day (they live in memory: gone on restart).
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      IdToken: ACCESS_TOKEN_SECONDS,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: SESSION_SECONDS,
      Grant: SESSION_SECONDS,
      RefreshToken: SESSION_SECONDS,
    },
  };
  const provider = new Provider(issuer, configuration);
  const oidc = provider.callback();

  async function grantEverythingAsked(details: Interaction, accountId: string): Promise<string> {
    const grant = details.grantId
      ? ((await provider.Grant.find(details.grantId)) ??
        new provider.Grant({ accountId, clientId: CONSOLE_CLIENT_ID }))
      : new provider.Grant({ accountId, clientId: CONSOLE_CLIENT_ID });
    const asked = String(details.params.scope ?? '')
      .split(' ')
      .filter((s) => (CONSOLE_SCOPES as readonly string[]).includes(s));
    grant.addOIDCScope(asked);
    grant.addResourceScope(apiResource, asked);
    return grant.save();
  }

  async function interaction(req: IncomingMessage, res: ServerResponse, path: string[]): Promise<void> {
    res.setHeader('cache-control', 'no-store');
    const details = await provider.interactionDetails(req, res);
    const [, uid, action] = path;
    if (uid !== details.uid) throw new errors.SessionNotFound('interaction session not found');
    if (action === 'abort') {
      return provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: 'The person cancelled the sign-in.',
      });
    }
    // The console is Leadflow's own client: a signed-in person is not asked to consent to it.
    if (details.prompt.name === 'consent' && details.session?.accountId) {
      const grantId = await grantEverythingAsked(details, details.session.accountId);
      return provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    }
    if (action === 'login' && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const user = signIn(users, form.get('login') ?? '', form.get('password') ?? '');
      if (!user) {
        return page(
          res,
          401,
          loginPage({ uid, login: form.get('login') ?? '', error: 'Wrong user name or password.' }),
        );
      }
      const grantId = await grantEverythingAsked(details, user.username);
      return provider.interactionFinished(
        req,
        res,
        { login: { accountId: user.username }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    }
    return page(res, 200, loginPage({ uid }));
  }

  handle = (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname.split('/').filter(Boolean);
    if (path[0] !== 'interaction') return void oidc(req, res);
    interaction(req, res, path).catch((error: unknown) => {
      const expired = error instanceof errors.SessionNotFound;
      if (!res.headersSent) {
        page(res, expired ? 400 : 500, expired ? expiredPage() : 'Something went wrong.');
      }
      if (!expired) console.error('local OpenID provider:', error);
    });
  };

  return {
    issuer,
    jwksUri: `${issuer}/jwks`,
    clientId: CONSOLE_CLIENT_ID,
    users: users.map(({ username, password, name, group }) => ({ username, password, name, group })),
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The origins (scheme, host, port) of redirect URIs: where the console runs. */
export function allowedOrigins(redirectUris: readonly string[]): string[] {
  return [...new Set(redirectUris.map((uri) => new URL(uri).origin))];
}

function page(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
  });
  res.end(html);
}

function expiredPage(): string {
  return '<!doctype html><html lang="en"><title>Sign-in expired</title><main><h1>This sign-in has expired</h1><p>Go back to the console and sign in again.</p></main></html>';
}

async function readBody(req: IncomingMessage, limit = 16_384): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('sign-in form too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
