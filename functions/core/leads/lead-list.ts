import { type FieldError, ValidationError } from '../kernel/errors';
import { type LeadState, type ProfileField, STAGES, type Stage } from './lead';

/** The lead list (GET /v1/admin/leads without ?email=): rows, filters, sort orders, paging. */

export const LEAD_LIST_SORTS = ['newest', 'score', 'activity'] as const;
export type LeadListSort = (typeof LEAD_LIST_SORTS)[number];

/** One lead as the list shows it: what the list filters and sorts on, nothing more. */
export interface LeadRow {
  leadId: string;
  email: string;
  name: string | null;
  company: string | null;
  stage: Stage;
  score: number | null;
  grade: string | null;
  /** First-touch source: `form:<id>`, `meta`, `google`, `linkedin`, `tiktok`, `api`. */
  source: string | null;
  utmCampaign: string | null;
  formId: string | null;
  createdAt: string;
  lastActivityAt: string | null;
  owner: { rep: string; repName: string } | null;
  suppressed: boolean;
  test: boolean;
}

export interface LeadListFilter {
  /** Lower-cased prefix of the email, the name ("first last") or the company; 2 characters or more. */
  q?: string;
  stage?: Stage[];
  grade?: string[];
  scoreMin?: number;
  scoreMax?: number;
  source?: string;
  utmCampaign?: string;
  formId?: string;
  /** Inclusive bounds as full ISO date-times (a date alone: from its first to its last millisecond). */
  createdFrom?: string;
  createdTo?: string;
  activityFrom?: string;
  activityTo?: string;
  owned?: boolean;
  suppressed?: boolean;
  /** Test leads (ad platforms' test deliveries) are left out unless asked for. */
  test: boolean;
  /** A saved segment of the active nurture config, by id (core/segments/segment-list.ts reads it). */
  segment?: string;
}

export interface LeadListQuery {
  filter: LeadListFilter;
  sort: LeadListSort;
  limit: number;
  cursor: string | null;
}

export interface LeadListPage {
  leads: LeadRow[];
  total: number;
  /** False when counting would have read too much: `total` is then an estimate. */
  totalExact: boolean;
  cursor: string | null;
}

/** Port: the list read from indexes built for it (adapters/dynamodb/lead-list.ts). */
export interface LeadList {
  page(query: LeadListQuery): Promise<LeadListPage>;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/**
 * The row of a lead. Suppressed here means unsubscribed through Leadflow (marketing consent
 * withdrawn by the unsubscribe link): the lead item knows it. Bounces and complaints go on the
 * suppression list only, which the lead item does not carry. Reads only these attributes (a
 * segment's sample makes a row from its facts: no latest activity or owner there).
 */
export function toLeadRow(
  lead: Pick<
    LeadState,
    'leadId' | 'email' | 'stage' | 'firstTouch' | 'lastTouch' | 'createdAt' | 'marketingConsent'
  > &
    Partial<Pick<LeadState, 'lastActivity' | 'owner' | 'test'>> & {
      // Values and total/grade only: a lead's segment facts make a row too.
      profile: Readonly<Record<string, Pick<ProfileField, 'value'> | undefined>>;
      score: Pick<NonNullable<LeadState['score']>, 'total' | 'grade'> | null;
    },
): LeadRow {
  const field = (name: string) => text(lead.profile[name]?.value);
  const first = field('firstName');
  const last = field('lastName');
  const name = [first, last].filter(Boolean).join(' ') || field('fullName') || field('name');
  const touch = lead.firstTouch;
  const source = text(touch?.source);
  return {
    leadId: lead.leadId,
    email: lead.email,
    name: name || null,
    company: field('company'),
    stage: lead.stage,
    score: lead.score?.total ?? null,
    grade: lead.score?.grade ?? null,
    source,
    utmCampaign: text(touch?.utm_campaign),
    formId: source?.startsWith('form:') ? source.slice('form:'.length) : null,
    createdAt: lead.createdAt,
    lastActivityAt: lead.lastActivity?.at ?? lead.lastTouch?.at ?? null,
    owner: lead.owner ? { rep: lead.owner.rep, repName: lead.owner.repName } : null,
    suppressed: lead.marketingConsent?.granted === false && lead.marketingConsent.source === 'unsubscribe',
    test: lead.test === true,
  };
}

export const LIST_LIMIT_DEFAULT = 25;
export const LIST_LIMIT_MAX = 100;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** The list's filters and its sort, as query parameters (the console keeps them in its own URL too). */
export const LIST_FILTER_KEYS = [
  'q',
  'stage',
  'grade',
  'scoreMin',
  'scoreMax',
  'source',
  'utmCampaign',
  'formId',
  'createdFrom',
  'createdTo',
  'activityFrom',
  'activityTo',
  'owned',
  'suppressed',
  'test',
  'segment',
  'sort',
] as const;
const QUERY_KEYS = new Set<string>([...LIST_FILTER_KEYS, 'limit', 'cursor']);

/**
 * The list's query string, checked: every bad value is a detail named after its parameter (400).
 * Repeated parameters arrive joined by commas (API Gateway), so `stage=mql&stage=sql` and
 * `stage=mql,sql` are the same.
 */
export function parseLeadListQuery(params: Record<string, string | undefined>): LeadListQuery {
  const errors: FieldError[] = [];
  const fail = (path: string, message: string) => {
    errors.push({ path, message });
    return undefined;
  };
  for (const key of Object.keys(params))
    if (!QUERY_KEYS.has(key)) fail(key, 'is not a filter of the lead list');
  const raw = (key: string) => {
    const value = params[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const list = (key: string) =>
    raw(key)
      ?.split(',')
      .map((v) => v.trim())
      .filter(Boolean);
  const number = (key: string) => {
    const value = raw(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : fail(key, 'must be a number');
  };
  const flag = (key: string) => {
    const value = raw(key);
    if (value === undefined) return undefined;
    if (value === 'true' || value === 'false') return value === 'true';
    return fail(key, 'must be true or false');
  };
  const instant = (key: string, end: boolean) => {
    const value = raw(key);
    if (value === undefined) return undefined;
    const iso = DATE.test(value) ? `${value}T${end ? '23:59:59.999' : '00:00:00.000'}Z` : value;
    const time = DATE.test(value) || DATE_TIME.test(value) ? Date.parse(iso) : Number.NaN;
    return Number.isNaN(time) ? fail(key, 'must be an ISO date or date-time') : new Date(time).toISOString();
  };
  const plain = (key: string) => {
    const value = raw(key);
    if (value !== undefined && value.length > 200) return fail(key, 'must be at most 200 characters');
    return value;
  };

  const segmentId = (value: string | undefined) =>
    value === undefined || /^[a-z0-9][a-z0-9-]{0,63}$/.test(value)
      ? value
      : fail('segment', 'must be a saved segment id (lower-case letters, digits and -)');
  const q = raw('q')?.toLowerCase();
  if (q !== undefined && [...q].length < 2) fail('q', 'must be at least 2 characters');
  if (q !== undefined && q.length > 200) fail('q', 'must be at most 200 characters');
  const stage = list('stage');
  for (const s of stage ?? [])
    if (!(STAGES as readonly string[]).includes(s)) fail('stage', `must be one of ${STAGES.join(', ')}`);
  const grade = list('grade')?.map((g) => g.toUpperCase());
  for (const g of grade ?? []) if (!/^[A-Z]$/.test(g)) fail('grade', 'must be grade letters, e.g. A,B');
  const sort = raw('sort') ?? 'newest';
  if (!(LEAD_LIST_SORTS as readonly string[]).includes(sort))
    fail('sort', `must be one of ${LEAD_LIST_SORTS.join(', ')}`);
  const limit = number('limit') ?? LIST_LIMIT_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_LIMIT_MAX)
    fail('limit', `must be an integer from 1 to ${LIST_LIMIT_MAX}`);
  const filter: LeadListFilter = {
    q,
    stage: stage as Stage[] | undefined,
    grade,
    scoreMin: number('scoreMin'),
    scoreMax: number('scoreMax'),
    source: plain('source'),
    utmCampaign: plain('utmCampaign'),
    formId: plain('formId'),
    createdFrom: instant('createdFrom', false),
    createdTo: instant('createdTo', true),
    activityFrom: instant('activityFrom', false),
    activityTo: instant('activityTo', true),
    owned: flag('owned'),
    suppressed: flag('suppressed'),
    test: flag('test') ?? false,
    segment: segmentId(raw('segment')),
  };
  if (errors.length > 0) throw new ValidationError(errors, 'The lead list query has invalid values.');
  const defined = Object.fromEntries(
    Object.entries(filter).filter(([, v]) => v !== undefined),
  ) as LeadListFilter;
  return { filter: defined, sort: sort as LeadListSort, limit, cursor: raw('cursor') ?? null };
}
