import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A scripted answer the next request gets instead of the vendor's normal one (tests' failure modes). */
export interface ScriptedAnswer {
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow vendor, or a timeout when longer than the client's). */
  delayMs?: number;
}

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

/**
 * A small vendor fake on 127.0.0.1: reads the JSON body, lets a test script the next answers
 * (`script`), records every request, and otherwise answers with `route`.
 */
export async function startFake(route: (req: FakeRequest) => Answer, port = 0) {
  const requests: FakeRequest[] = [];
  const scripted: ScriptedAnswer[] = [];
  const server = createServer(async (req, res) => {
    const request: FakeRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: await readBody(req),
    };
    requests.push(request);
    const next = scripted.shift();
    if (next?.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    if (res.destroyed) return;
    if (next?.status !== undefined)
      return send(res, { status: next.status, body: next.body, headers: next.headers });
    send(res, route(request));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    /** The next requests get these answers, in order (a delay alone still answers normally). */
    script: (...answers: ScriptedAnswer[]) => scripted.push(...answers),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text === '') return undefined;
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function send(res: ServerResponse, answer: Answer): void {
  const json = typeof answer.body !== 'string' && answer.body !== undefined;
  res.writeHead(answer.status, {
    ...(answer.body === undefined
      ? {}
      : { 'content-type': json ? 'application/json; charset=utf-8' : 'text/plain' }),
    ...answer.headers,
  });
  res.end(answer.body === undefined ? undefined : json ? JSON.stringify(answer.body) : String(answer.body));
}

/** True when the request says it sends JSON (as both vendors require). */
export const sendsJson = (req: FakeRequest) =>
  String(req.headers['content-type'] ?? '')
    .toLowerCase()
    .startsWith('application/json');
