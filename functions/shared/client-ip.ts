import { isIP } from 'node:net';
import { type HttpEvent, header } from './http';

/**
 * A proxy's `ip:port` (CloudFront-Viewer-Address: `198.51.100.10:46532`, `2001:db8::1:46532`) as
 * the address alone, or undefined when it is not one.
 */
export function addressFromViewer(value: string): string | undefined {
  const cut = value.lastIndexOf(':');
  if (cut <= 0 || !/^\d{1,5}$/.test(value.slice(cut + 1))) return undefined;
  const address = value.slice(0, cut).replace(/^\[(.*)\]$/, '$1');
  return isIP(address) ? address : undefined;
}

/**
 * The client's address: behind the public edge, CloudFront's viewer-address header (set by
 * CloudFront, which overwrites any a client sends; the execute-api endpoint is disabled there, so
 * nobody reaches the API around it); otherwise API Gateway's sourceIp. A header that is missing
 * or malformed falls back to sourceIp.
 */
export function clientIp(event: HttpEvent, headerName: string | undefined): string {
  const viewer = headerName ? header(event, headerName) : undefined;
  return (viewer && addressFromViewer(viewer)) || event.requestContext.http.sourceIp;
}
