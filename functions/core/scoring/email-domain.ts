import { disposableEmailBlocklistSet } from 'disposable-email-domains-js';
import commonProviders from 'email-providers/common.json' with { type: 'json' };
import type { EmailDomainType } from './model-schema';

// Built on first use, once: the package's own isDisposableEmailDomain() builds a ~9,000-entry Set per call.
let disposable: Set<string> | undefined;
let free: Set<string> | undefined;

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
  disposable ??= disposableEmailBlocklistSet();
  // The list carries a few that are no one's mailbox provider (RFC 2606 example domains).
  free ??= new Set(commonProviders.filter((d: string) => !/^example\.(com|net|org)$/.test(d)));
  for (let dot = -1; ; ) {
    if (disposable.has(domain.slice(dot + 1))) return 'disposable';
    dot = domain.indexOf('.', dot + 1);
    // Stop before the bare top-level domain: "com" is nobody's provider.
    if (dot < 0 || domain.indexOf('.', dot + 1) < 0) break;
  }
  return free.has(domain) ? 'free' : 'business';
}
