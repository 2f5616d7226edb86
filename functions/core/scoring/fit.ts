import { domainOf, emailDomainType } from './email-domain';
import type { EmailDomainType, FitCondition, FitRule } from './model-schema';

export type ProfileValue = string | number | boolean;

/** What fit rules look at: the profile and the email address, with per-lead work done once. */
export class LeadFacts {
  // Per field, so several rules on one field (word lists, ranges) normalize or parse it once.
  private wordsCache?: Map<string, string>;
  private numberCache?: Map<string, number | undefined>;
  private domain?: { name: string | undefined; type: EmailDomainType | undefined };

  constructor(
    readonly email: string,
    readonly profile: Readonly<Record<string, ProfileValue>>,
  ) {}

  value(field: string): ProfileValue | undefined {
    return Object.hasOwn(this.profile, field) ? this.profile[field] : undefined;
  }

  /** The field as padded words (see `words`). */
  words(field: string, value: ProfileValue): string {
    this.wordsCache ??= new Map();
    let cached = this.wordsCache.get(field);
    if (cached === undefined) {
      cached = words(String(value));
      this.wordsCache.set(field, cached);
    }
    return cached;
  }

  /** The field's number for ranges (see `lowerBound`), computed once per lead. */
  number(field: string, value: ProfileValue | undefined): number | undefined {
    this.numberCache ??= new Map();
    if (this.numberCache.has(field)) return this.numberCache.get(field);
    const number = lowerBound(value);
    this.numberCache.set(field, number);
    return number;
  }

  emailDomain(): { name: string | undefined; type: EmailDomainType | undefined } {
    if (!this.domain) {
      const name = domainOf(this.email);
      this.domain = { name, type: name === undefined ? undefined : emailDomainType(name) };
    }
    return this.domain;
  }
}

export interface CompiledFitRule {
  id: string;
  points: number;
  /** The reason the rule matched, or undefined when it did not. */
  test(lead: LeadFacts): string | undefined;
}

export function compileFitRule(rule: FitRule): CompiledFitRule {
  return { id: rule.id, points: rule.points, test: compileCondition(rule.when) };
}

function compileCondition(when: FitCondition): (lead: LeadFacts) => string | undefined {
  if ('emailDomain' in when) {
    const wanted = when.emailDomain;
    return (lead) => {
      const domain = lead.emailDomain();
      return domain.type === wanted ? `email domain "${domain.name}" is ${DOMAIN_WORDS[wanted]}` : undefined;
    };
  }
  const { field } = when;
  if ('present' in when) {
    const wanted = when.present;
    // Never echo the value: `present` is typically used on personal data (phone).
    return (lead) =>
      isPresent(lead.value(field)) === wanted ? `${field} is ${wanted ? 'present' : 'missing'}` : undefined;
  }
  if ('containsAny' in when) {
    const phrases = when.containsAny.map((written) => ({ written, padded: words(written) }));
    return (lead) => {
      const value = lead.value(field);
      if (!isPresent(value)) return undefined;
      const padded = lead.words(field, value);
      const hit = phrases.find((phrase) => padded.includes(phrase.padded));
      return hit ? `${field} ${quote(value)} contains "${hit.written}"` : undefined;
    };
  }
  if ('in' in when) {
    const allowed = new Set(when.in.map(canonical));
    const listed = listText(when.in);
    return (lead) => {
      const value = lead.value(field);
      return isPresent(value) && allowed.has(canonical(value))
        ? `${field} ${quote(value)} is one of ${listed}`
        : undefined;
    };
  }
  if ('equals' in when) {
    const wanted = canonical(when.equals);
    return (lead) => {
      const value = lead.value(field);
      return isPresent(value) && canonical(value) === wanted
        ? `${field} ${quote(value)} equals ${quote(when.equals)}`
        : undefined;
    };
  }
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY } = when.range;
  const bounds = rangeText(when.range);
  return (lead) => {
    const value = lead.value(field);
    const number = lead.number(field, value);
    if (value === undefined || number === undefined || number < min || number > max) return undefined;
    const from = typeof value === 'number' ? '' : ` (from ${number})`;
    return `${field} ${quote(value)}${from} is ${bounds}`;
  };
}

const DOMAIN_WORDS: Record<EmailDomainType, string> = {
  business: 'a business domain',
  free: 'a free-mail domain',
  disposable: 'a disposable domain',
};

function isPresent(value: ProfileValue | undefined): value is ProfileValue {
  return value !== undefined && value !== null && !(typeof value === 'string' && value.trim() === '');
}

/**
 * Letters and digits only, lower-cased, accents folded, one space between words and one at each
 * end: " vp marketing ". A phrase matches when its padded form is inside the value's, so "VP"
 * matches "VP, Marketing" and "Senior VP" but not "MVP", and "vice president" matches "Vice-President".
 */
export function words(text: string): string {
  const folded = text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  return ` ${folded} `;
}

/** How `in` and `equals` compare: text ignoring case and outer spaces, numbers by value ("5.0" = 5). */
export function canonical(value: ProfileValue): string {
  if (typeof value !== 'string') return String(value);
  const text = value.trim().toLowerCase();
  const number = text === '' ? Number.NaN : Number(text);
  return Number.isFinite(number) ? String(number) : text;
}

/**
 * A number, or the first number in a text: select values such as "51-200" or "5001+" are in a
 * range when their lower bound is (so "51-200" is in 51–5000, and "11-50" is not).
 */
export function lowerBound(value: ProfileValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d[\d,]*(?:\.\d+)?)/.exec(value);
  return match?.[1] === undefined ? undefined : Number(match[1].replaceAll(',', ''));
}

function rangeText(range: { min?: number; max?: number }): string {
  if (range.min !== undefined && range.max !== undefined) return `within ${range.min}–${range.max}`;
  return range.min !== undefined ? `at least ${range.min}` : `at most ${range.max}`;
}

const LISTED = 8;

function listText(items: (string | number)[]): string {
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED ? `${shown}, … (${items.length} in all)` : shown;
}

function quote(value: ProfileValue): string {
  if (typeof value !== 'string') return String(value);
  return `"${value.length > 60 ? `${value.slice(0, 59)}…` : value}"`;
}
