import { describe, expect, it } from 'vitest';
import { addressFromViewer, clientIp } from '../../functions/shared/client-ip';
import type { HttpEvent } from '../../functions/shared/http';

const event = (headers: Record<string, string>) =>
  ({ headers, requestContext: { http: { sourceIp: '130.176.1.1' } } }) as unknown as HttpEvent;

describe('the client address', () => {
  it("reads CloudFront's viewer address (IPv4 and IPv6, port dropped) behind the public edge", () => {
    expect(addressFromViewer('198.51.100.10:46532')).toBe('198.51.100.10');
    expect(addressFromViewer('2001:db8::1:46532')).toBe('2001:db8::1');
    expect(addressFromViewer('[2001:db8::1]:443')).toBe('2001:db8::1');
    const behindEdge = event({ 'cloudfront-viewer-address': '198.51.100.10:46532' });
    expect(clientIp(behindEdge, 'cloudfront-viewer-address')).toBe('198.51.100.10');
  });

  it('ignores the header without the edge (a client could send it) and falls back on a malformed one', () => {
    const spoofed = event({ 'cloudfront-viewer-address': '198.51.100.10:46532' });
    expect(clientIp(spoofed, undefined)).toBe('130.176.1.1');
    for (const bad of ['198.51.100.10', 'not-an-ip:80', ':80', '198.51.100.10:port', '']) {
      expect(clientIp(event({ 'cloudfront-viewer-address': bad }), 'cloudfront-viewer-address')).toBe(
        '130.176.1.1',
      );
    }
    expect(clientIp(event({}), 'cloudfront-viewer-address')).toBe('130.176.1.1');
  });
});
