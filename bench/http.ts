import { Agent, type AgentOptions, request } from 'node:http';

const VISITOR_ADDRESSES = 64;

/**
 * Clients come from many addresses: each agent binds its own loopback source address
 * (127.0.0.2 ...), so per-IP counters spread as they do in real traffic. One address at
 * hundreds of posts a second is exactly what the per-IP limit exists to stop.
 */
const agents = Array.from(
  { length: VISITOR_ADDRESSES },
  // An idle connection is dropped after 4 s, before the server's own 5-s keep-alive timeout: reusing
  // one the server is closing fails the request (ECONNRESET), as it did when load stretched a
  // connection's turn past 5 s.
  (_, i) => new Agent({ keepAlive: true, timeout: 4_000, localAddress: `127.0.0.${i + 2}` } as AgentOptions),
);

/** POSTs JSON (a string is sent as is) over a keep-alive connection from client address n; resolves with the status. */
export function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  n: number,
): Promise<number> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent: agents[n % agents.length],
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}
