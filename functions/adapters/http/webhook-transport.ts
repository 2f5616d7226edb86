import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { TransportAnswer, WebhookTransport } from '../../core/integrations/webhook-destination';

/** Read at most this much of an answer: the log keeps 500 characters. */
const READ_BYTES = 4096;

/**
 * POSTs with node:http(s), SSRF-safe: the host is resolved once here, every address checked
 * (a name resolving to any private address is refused), and the socket connects to the checked
 * address through `lookup` (TLS still verifies the host name), so a DNS answer changing between
 * the check and the connect cannot redirect it. Redirects are never followed (a 3xx is an answer).
 */
export class NodeWebhookTransport implements WebhookTransport {
  async post(
    url: URL,
    request: { headers: Record<string, string>; body: string; timeoutMs: number },
    allowed: (address: string) => boolean,
  ): Promise<TransportAnswer> {
    const started = performance.now();
    const latencyMs = () => performance.now() - started;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string; family: number }[];
    try {
      addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
    } catch {
      return { kind: 'failed', reason: 'dns', latencyMs: latencyMs() };
    }
    const target = addresses[0];
    if (!target || !addresses.every((entry) => allowed(entry.address)))
      return { kind: 'failed', reason: 'address_refused', latencyMs: latencyMs() };
    return new Promise<TransportAnswer>((resolve) => {
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
          lookup: (_host, options, callback) => {
            // Node asks with `all: true` (happy eyeballs) or for one address.
            if ((options as { all?: boolean }).all) callback(null, [target]);
            else callback(null, target.address, target.family);
          },
          timeout: request.timeoutMs,
        },
        (res) =>
          readAnswer(res).then((excerpt) => {
            resolve({
              kind: 'answered',
              status: res.statusCode ?? 0,
              ...(typeof res.headers['retry-after'] === 'string'
                ? { retryAfter: res.headers['retry-after'] }
                : {}),
              excerpt,
              latencyMs: latencyMs(),
            });
          }),
      );
      const deadline = setTimeout(() => req.destroy(new Error('timeout')), request.timeoutMs);
      req.on('close', () => clearTimeout(deadline));
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error) =>
        resolve({
          kind: 'failed',
          reason: error.message === 'timeout' ? 'timeout' : 'network',
          latencyMs: latencyMs(),
        }),
      );
      req.end(request.body);
    });
  }
}

/** The first bytes of the answer as text (the rest is not read). */
function readAnswer(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, 500));
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= READ_BYTES) {
        res.destroy();
        done();
      }
    });
    res.on('end', done);
    res.on('error', done);
    res.on('close', done);
  });
}
