import commonProviders from 'email-providers/common.json' with { type: 'json' };
import { DISPOSABLE_DOMAINS } from './disposable-domains';
import type { EmailDomainType } from './model-schema';

// Built on first use, once.
let free: Set<string> | undefined;

/**
 * Whether `domain` is a line of DISPOSABLE_DOMAINS: a binary search in the sorted text itself, so
 * no array or Set of ~9,000 entries is built (nor parsed at cold start: the list is one string).
 */
export function isListedDisposable(domain: string, list: string = DISPOSABLE_DOMAINS): boolean {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = list.lastIndexOf('\n', middle - 1) + 1;
    const newline = list.indexOf('\n', start);
    const end = newline < 0 ? list.length : newline;
    const entry = list.slice(start, end);
    if (entry === domain) return true;
    if (entry < domain) low = end + 1;
    else high = start;
  }
  return false;
}

/** The domain of an address, lower-cased, or undefined when there is none. */
export function domainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const domain = email
    .slice(at + 1)
    .trim()
    .toLowerCase()
    .replace(/\.$/, '');
  return at < 0 || !domain.includes('.') ? undefined : domain;
}

/**
 * disposable: the domain or a parent domain is on the community blocklist (x.mailinator.com);
 * free: one of the most common free-mail providers (and not disposable: the lists overlap);
 * business: anything else.
 */
export function emailDomainType(domain: string): EmailDomainType {
  // The list carries a few that are no one's mailbox provider (RFC 2606 example domains).
  free ??= new Set(commonProviders.filter((d: string) => !/^example\.(com|net|org)$/.test(d)));
  for (let dot = -1; ; ) {
    if (isListedDisposable(domain.slice(dot + 1))) return 'disposable';
    dot = domain.indexOf('.', dot + 1);
    // Stop before the bare top-level domain: "com" is nobody's provider.
    if (dot < 0 || domain.indexOf('.', dot + 1) < 0) break;
  }
  return free.has(domain) ? 'free' : 'business';
}
