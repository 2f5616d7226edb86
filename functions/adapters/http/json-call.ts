import type { HttpReply } from '../../core/integrations/http-reply';

/**
 * One JSON call to a vendor's API over fetch (Node's own: no client library in the bundle), with
 * a timeout. Never throws and never logs: the answer, a timeout or a network failure comes back
 * as an HttpReply (with Retry-After in seconds, from a number or an HTTP date).
 */
export async function callJson(
  url: string,
  init: {
    method: 'GET' | 'POST' | 'PATCH';
    headers: Record<string, string>;
    body?: unknown;
    timeoutMs: number;
  },
): Promise<HttpReply> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const res = await fetch(url, {
      method: init.method,
      headers: {
        accept: 'application/json',
        ...(init.body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(init.timeoutMs),
      redirect: 'error',
    });
    const text = await res.text();
    const retryAfterSeconds = retryAfter(res.headers.get('retry-after'));
    return {
      status: res.status,
      latencyMs: latency(),
      body: parseBody(text),
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  } catch (error) {
    const name = (error as Error).name;
    const timedOut = name === 'TimeoutError' || name === 'AbortError';
    return {
      latencyMs: latency(),
      failure: timedOut ? 'timeout' : 'network',
      reason: timedOut
        ? `no answer within ${init.timeoutMs} ms`
        : ((error as Error & { cause?: { code?: string } }).cause?.code ?? name),
    };
  }
}

function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Retry-After as seconds (RFC 9110: delay-seconds or an HTTP date), at least 1. */
export function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - now) / 1000));
}
