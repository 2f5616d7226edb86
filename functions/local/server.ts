import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../../console/build.mjs';
import { consoleContentSecurityPolicy } from '../shared/console-security';
import { AUTH_CLIENT_ID_ENV, AUTH_ISSUER_ENV } from '../shared/env-names';
import type { HandlerName } from '../shared/routes';
import { MalformedPathError, matchRoute, toApiGatewayEvent } from './api-gateway';
import { invokeLocally } from './invocation';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
export type HandlerLoader = (name: HandlerName) => Promise<Handler>;
export type StaticPage = (url: URL) => { contentType: string; body: string } | undefined;
/** Local-only routes (the SES open/click tracking): an answer, or undefined for other paths. */
export type LocalRoutes = (
  method: string,
  url: URL,
  /** The body, or undefined past `max` bytes (1 MB unless the route says: uploads take more). */
  body: (max?: number) => Promise<Buffer | undefined>,
) => Promise<{ status: number; headers: Record<string, string>; body?: string | Buffer } | undefined>;

// API Gateway takes up to 10 MB; the local server stops reading at 1 MB and answers as the handler would.
const MAX_READ = 1024 * 1024;

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string | Buffer) {
  res.writeHead(status, headers);
  res.end(body);
}

function errorBody(code: string, message: string, details: { path: string; message: string }[] = []): string {
  return JSON.stringify({ error: { code, message, details } });
}

/** The request's URL, or undefined when the request line cannot be one. */
function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage, max = MAX_READ): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const ASSET_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
};

/** The issuer's origin, or undefined when sign-in is not configured (or the value is not a URL). */
function issuerOrigin(): string | undefined {
  try {
    return new URL(process.env[AUTH_ISSUER_ENV] ?? '').origin;
  } catch {
    return undefined;
  }
}

/**
 * Headers of every console answer: scripts and styles from this server only, API calls to this
 * server and token calls to the OpenID provider, never framed, no MIME sniffing, no referrer to
 * other origins (the callback URL carries the authorization code).
 */
function consoleHeaders(contentType: string, cache: string): Record<string, string> {
  const issuer = issuerOrigin();
  return {
    'content-type': contentType,
    'cache-control': cache,
    'content-security-policy': consoleContentSecurityPolicy(issuer ? [issuer] : []),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  };
}

// Builds run one at a time; a source changed while the stack runs is rebuilt on the next page load.
let building: Promise<unknown> = Promise.resolve();
const built = () => {
  building = building.then(ensureConsoleBuilt, ensureConsoleBuilt);
  return building;
};

/**
 * The console: /console, /console/ and every /console/<path> without an extension get its
 * index.html (the console routes in the browser); /console/assets/* the built files (hashed
 * names, cached for a year); /console/config.json where the API and the OpenID provider are.
 * Undefined for paths that are not the console's.
 */
async function consoleAnswer(
  req: IncomingMessage,
  url: URL,
): Promise<{ status: number; headers: Record<string, string>; body: string | Buffer } | undefined> {
  const path = url.pathname;
  if (path !== '/console' && !path.startsWith('/console/')) return undefined;
  if (path === '/console/config.json') {
    const issuer = process.env[AUTH_ISSUER_ENV];
    const clientId = process.env[AUTH_CLIENT_ID_ENV];
    const body = {
      apiUrl: `http://${req.headers.host ?? 'localhost'}`,
      auth: issuer && clientId ? { issuer, clientId, scopes: ['openid', 'email', 'profile'] } : null,
    };
    return {
      status: 200,
      headers: consoleHeaders('application/json', 'no-store'),
      body: JSON.stringify(body),
    };
  }
  const asset = /^\/console\/assets\/([\w.-]+)$/.exec(path)?.[1];
  const type = asset ? ASSET_TYPES[extname(asset)] : undefined;
  if (asset && type) {
    await built();
    const body = await readFile(join(CONSOLE_DIST, 'assets', asset)).catch(() => undefined);
    if (body)
      return { status: 200, headers: consoleHeaders(type, 'public, max-age=31536000, immutable'), body };
  }
  if (path.startsWith('/console/assets/') || extname(path) !== '') {
    return {
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: errorBody('route_not_found', 'No such console file.'),
    };
  }
  await built();
  return {
    status: 200,
    headers: consoleHeaders('text/html; charset=utf-8', 'no-cache'),
    body: await readFile(join(CONSOLE_DIST, 'index.html')),
  };
}

/**
 * The local API Gateway: matches the same routes, builds payload 2.0 events and invokes the
 * real handlers. Bound to 127.0.0.1 only.
 */
export function createApiServer(load: HandlerLoader, page: StaticPage, local?: LocalRoutes): Server {
  // The console is built (when missing or older than its sources) as the server starts.
  built().catch((error: unknown) =>
    console.error('local console: build failed:', error instanceof Error ? error.message : error),
  );
  return createServer(async (req, res) => {
    const json = { 'content-type': 'application/json' };
    try {
      const url = requestUrl(req);
      if (!url)
        return send(
          res,
          400,
          json,
          errorBody('malformed_path', 'The request path is not valid.', [
            { path: 'path', message: 'is not a valid URL path' },
          ]),
        );
      const method = req.method ?? 'GET';
      let matched: ReturnType<typeof matchRoute>;
      try {
        matched = matchRoute(method, url.pathname);
      } catch (error) {
        if (!(error instanceof MalformedPathError)) throw error;
        return send(
          res,
          400,
          json,
          errorBody('malformed_path', 'The request path is not valid.', [
            { path: error.param, message: 'is not valid percent-encoding (such as %zz)' },
          ]),
        );
      }
      if (!matched) {
        const console_ = method === 'GET' || method === 'HEAD' ? await consoleAnswer(req, url) : undefined;
        if (console_)
          return send(res, console_.status, console_.headers, method === 'HEAD' ? undefined : console_.body);
        const localAnswer = await local?.(method, url, (max) => readBody(req, max));
        if (localAnswer) return send(res, localAnswer.status, localAnswer.headers, localAnswer.body);
        const staticPage = method === 'GET' ? page(url) : undefined;
        if (staticPage) return send(res, 200, { 'content-type': staticPage.contentType }, staticPage.body);
        if (url.pathname === '/favicon.ico') return send(res, 204, {});
        return send(res, 404, json, errorBody('route_not_found', 'No such route.'));
      }
      const body = await readBody(req);
      if (!body)
        return send(res, 413, json, errorBody('payload_too_large', 'The body is larger than 32 KB.'));
      const handler = await load(matched.route.handler);
      const result = await invokeLocally(
        matched.route.handler,
        handler,
        toApiGatewayEvent(req, body, matched.route, matched.params),
      );
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(result.headers ?? {})) headers[k] = String(v);
      const payload =
        result.body === undefined
          ? undefined
          : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
      if (result.cookies?.length) res.setHeader('set-cookie', result.cookies);
      send(res, result.statusCode ?? 200, headers, payload);
    } catch (error) {
      // A handler that throws past its middleware (or fails to import) is a bug; Lambda would
      // answer 500 too. Locally, say what broke: this is the developer's own machine.
      console.error(
        'local API: handler failed:',
        error instanceof Error ? (error.stack ?? error.message) : error,
      );
      if (!res.headersSent)
        send(res, 500, json, errorBody('internal_error', 'Something went wrong on our side.'));
    }
  });
}
