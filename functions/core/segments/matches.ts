import type { Attribution, FieldValue } from '../leads/lead';
import type { SegmentFacts } from './facts';
import type { FieldCondition, SegmentCondition, SegmentDefinition } from './segment-schema';

const DAY_MS = 86_400_000;
/** Sources that are ad platforms' lead forms (the others: `form:<id>`, `api`, `import`...). */
export const AD_PLATFORMS = ['meta', 'google', 'linkedin', 'tiktok'] as const;
export const OPENED = 'email_opened';
export const CLICKED = 'email_clicked';

/**
 * Whether a lead is in a segment at `now`; pure, reading the lead's segment facts only (no timeline):
 * activity and email conditions read `lastSeen` (the latest time of each activity type, kept on
 * the lead by every activity write). `suppressed`: whether the address is on the suppression list
 * (bounce, complaint, unsubscribe, erase), when the caller looked it up; without it only an
 * unsubscribe through Leadflow's link (on the lead item) counts as suppressed.
 */
export function matches(
  lead: SegmentFacts,
  segment: SegmentDefinition,
  now: Date,
  suppressed?: boolean,
): boolean {
  const holds = (condition: SegmentCondition) => conditionHolds(lead, condition, now, suppressed);
  return segment.match === 'all' ? segment.conditions.every(holds) : segment.conditions.some(holds);
}

/** Whether a segment asks about the suppression list: only then is a lookup per lead worth its read. */
export const needsSuppression = (segment: SegmentDefinition) =>
  segment.conditions.some((condition) => condition.type === 'suppressed');

export function conditionHolds(
  lead: SegmentFacts,
  condition: SegmentCondition,
  now: Date,
  suppressed?: boolean,
): boolean {
  switch (condition.type) {
    case 'field':
      return fieldHolds(fieldOf(lead, condition.field), condition);
    case 'stage':
      return condition.in.includes(lead.stage);
    case 'grade':
      return lead.score ? (condition.in as readonly string[]).includes(lead.score.grade) : false;
    case 'score': {
      const total = lead.score?.total;
      if (typeof total !== 'number') return false;
      return (
        (condition.min === undefined || total >= condition.min) &&
        (condition.max === undefined || total <= condition.max)
      );
    }
    case 'source': {
      const value = sourceValue(condition.touch === 'last' ? lead.lastTouch : lead.firstTouch, condition.key);
      return value !== undefined && condition.in.some((wanted) => same(wanted, value));
    }
    case 'activity':
      return seenWithin(lead, condition.activity, condition.withinDays, now) === condition.happened;
    case 'email': {
      const types =
        condition.by === 'opened' ? [OPENED] : condition.by === 'clicked' ? [CLICKED] : [OPENED, CLICKED];
      return types.some((type) => seenWithin(lead, type, condition.withinDays, now)) === condition.engaged;
    }
    case 'consent': {
      const granted = lead.marketingConsent?.granted;
      return condition.is === 'none' ? granted === undefined : granted === (condition.is === 'granted');
    }
    case 'suppressed':
      return (suppressed ?? unsubscribedByLink(lead)) === condition.is;
  }
}

const unsubscribedByLink = (lead: SegmentFacts) =>
  lead.marketingConsent?.granted === false && lead.marketingConsent.source === 'unsubscribe';

/** The latest activity of `type` is no older than `days` days (and not in the future of `now`'s clock skew). */
function seenWithin(lead: SegmentFacts, type: string, days: number, now: Date): boolean {
  const at =
    lead.lastSeen && Object.hasOwn(lead.lastSeen, type) ? Date.parse(lead.lastSeen[type] ?? '') : Number.NaN;
  return !Number.isNaN(at) && at >= now.getTime() - days * DAY_MS;
}

function fieldOf(lead: SegmentFacts, name: string): FieldValue | undefined {
  if (name === 'email') return lead.email;
  if (name === 'createdAt') return lead.createdAt;
  return Object.hasOwn(lead.profile, name) ? lead.profile[name]?.value : undefined;
}

function sourceValue(
  touch: (Attribution & { source?: string }) | undefined,
  key: string,
): string | undefined {
  const source = touch?.source;
  if (key === 'source') return source;
  if (key === 'form') return source?.startsWith('form:') ? source.slice('form:'.length) : touch?.form_id;
  if (key === 'ad_platform')
    return (AD_PLATFORMS as readonly string[]).includes(source ?? '') ? source : undefined;
  const value = touch?.[key];
  return typeof value === 'string' ? value : undefined;
}

const text = (value: FieldValue) => String(value).trim().toLowerCase();
/** Text compares trimmed and case-insensitively; a number equals its decimal text (`50` and "50"). */
const same = (a: FieldValue, b: FieldValue) => text(a) === text(b);

function numeric(value: FieldValue | undefined): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

/** A date-only bound covers its whole UTC day: `to: 2026-12-03` includes that day's evening. */
function bound(value: string | undefined, end: boolean): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return Date.parse(`${value}T00:00:00.000Z`) + (end ? DAY_MS - 1 : 0);
  return Date.parse(value);
}

function fieldHolds(value: FieldValue | undefined, condition: FieldCondition): boolean {
  const present = value !== undefined && !(typeof value === 'string' && value.trim() === '');
  if (condition.op === 'present') return present;
  if (condition.op === 'not_present') return !present;
  if (!present || value === undefined) return false;
  switch (condition.op) {
    case 'equals':
      return same(value, condition.value);
    case 'in':
      return condition.value.some((wanted) => same(wanted, value));
    case 'contains':
      return text(value).includes(text(condition.value));
    case 'starts_with':
      return text(value).startsWith(text(condition.value));
    case 'between': {
      const n = numeric(value);
      return (
        n !== undefined &&
        (condition.min === undefined || n >= condition.min) &&
        (condition.max === undefined || n <= condition.max)
      );
    }
    case 'date_between': {
      const at = typeof value === 'string' ? bound(value, false) : undefined;
      if (at === undefined || Number.isNaN(at)) return false;
      const from = bound(condition.from, false);
      const to = bound(condition.to, true);
      return (from === undefined || at >= from) && (to === undefined || at <= to);
    }
  }
}
