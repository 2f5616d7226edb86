import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { HandlerName } from '../shared/routes';
import { lambdaContext, MalformedPathError, matchRoute, toApiGatewayEvent } from './api-gateway';

type Handler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
export type HandlerLoader = (name: HandlerName) => Promise<Handler>;
export type StaticPage = (url: URL) => { contentType: string; body: string } | undefined;

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

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_READ) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * The local API Gateway: matches the same routes, builds payload 2.0 events and invokes the
 * real handlers. Bound to 127.0.0.1 only.
 */
export function createApiServer(load: HandlerLoader, page: StaticPage): Server {
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
        const staticPage = method === 'GET' ? page(url) : undefined;
        if (staticPage) return send(res, 200, { 'content-type': staticPage.contentType }, staticPage.body);
        if (url.pathname === '/favicon.ico') return send(res, 204, {});
        return send(res, 404, json, errorBody('route_not_found', 'No such route.'));
      }
      const body = await readBody(req);
      if (!body)
        return send(res, 413, json, errorBody('payload_too_large', 'The body is larger than 32 KB.'));
      const handler = await load(matched.route.handler);
      const result = await handler(
        toApiGatewayEvent(req, body, matched.route, matched.params),
        lambdaContext(matched.route.handler),
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
