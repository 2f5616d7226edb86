// ipaddr.js: the maintained parser behind Express's trust-proxy; it knows every special range
// (RFC 6890 and IPv6's) and unwraps IPv4-mapped IPv6, which hand-written checks tend to miss.
import ipaddr from 'ipaddr.js';

/** Where endpoint URLs may point: public https only; the local stack also takes http://127.0.0.1:<port>. */
export interface UrlPolicy {
  allowLocalHttp: boolean;
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

const LOOPBACK = '127.0.0.1';

/**
 * The URL's own rules, before any DNS: https (or, locally, http to 127.0.0.1 with a port), no user
 * name or password, and a literal IP host only when it is public. The WHATWG parser normalises
 * decimal, octal and hex IPv4 tricks (`http://2130706433`, `0177.0.0.1`) to dotted form first.
 */
export function checkEndpointUrl(raw: string, policy: UrlPolicy): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'is not a URL' };
  }
  if (url.username || url.password) return { ok: false, reason: 'may not carry a user name or password' };
  if (isLocalReceiver(url, policy)) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, reason: 'must use https' };
  const host = hostOf(url);
  if (ipaddr.isValid(host) && !isPublicAddress(host))
    return { ok: false, reason: 'must point to a public address' };
  if (!host.includes('.') && !ipaddr.isValid(host)) return { ok: false, reason: 'must name a public host' };
  if (/(^|\.)(localhost|local|internal|localdomain)$/i.test(host))
    return { ok: false, reason: 'must point to a public address' };
  return { ok: true, url };
}

/** The local stack's one exception: http://127.0.0.1:<port>, nothing else private. */
function isLocalReceiver(url: URL, policy: UrlPolicy): boolean {
  return policy.allowLocalHttp && url.protocol === 'http:' && url.hostname === LOOPBACK && url.port !== '';
}

/** The host without IPv6 brackets. */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** A unicast address on the public internet (IPv4-mapped IPv6 judged as its IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  // Every special range (private, loopback, link-local, CGNAT, NAT64, 6to4, Teredo...) is refused.
  return ipaddr.process(address).range() === 'unicast';
}

/**
 * Whether a resolved address may be connected to for this URL (checked after DNS, on the address
 * the connection then uses): a public one, or 127.0.0.1 for the local stack's receiver URL.
 */
export function addressAllowed(address: string, url: URL, policy: UrlPolicy): boolean {
  if (isLocalReceiver(url, policy)) return address === LOOPBACK;
  return isPublicAddress(address);
}
