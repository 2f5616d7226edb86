import { type EmailAttribution, tagValue } from '../kernel/email-attribution';
import type { Activity } from '../leads/lead';
import { dayOf } from './days';
import { variantsTable } from './email-variants';
import { groupCounts, rate } from './filters';
import type { Increment, ReportColumn, ReportDefinition, ReportQuery, ReportRow, RollupRow } from './report';

/**
 * The email report: per sequence, step, template and broadcast, what happened to the mail.
 * Counted from timeline entries (reports-api.md, "Email timeline entries"):
 * - nurture: email_sent → sent, email_skipped → skipped and skipped_<reason>, email_failed → failed;
 *   sequence_exited with reason `unsubscribed` → unsubscribed (the lead left this sequence by
 *   unsubscribing while enrolled; a bare `unsubscribed` entry counts only when it names its send);
 * - SES events (attribution copied from the message's tags): email_delivered, email_bounced,
 *   email_complained → one each; email_opened / email_clicked → opens / clicks (every event) and
 *   opened / clicked once per message (the aggregator's once-key `email:open:<messageId>`).
 * One rollup row per day and attribution: `seq=welcome|step=day-3|tpl=welcome-2|bc=-` (values
 * are tag characters only, `-` when none; an A/B step's mail adds `|var=<name>`); the tables group those rows.
 */
export const SKIP_REASONS = [
  'suppressed',
  'unsubscribed',
  'exited',
  'outside_consent',
  'capped',
  'condition_not_met',
  'broadcast_cancelled',
] as const;

const COUNTS = [
  'sent',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'complained',
  'unsubscribed',
  'skipped',
  'failed',
] as const;
const NONE = '-';
const BROADCAST_PREFIX = 'broadcast:';

interface Dims {
  seq: string;
  step: string;
  tpl: string;
  bc: string;
  var: string;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? tagValue(value) : undefined;

/** What an entry is counted under, from its properties (nurture and SES entries name it alike). */
export function attributionOf(properties: Record<string, unknown> | undefined): EmailAttribution {
  const p = properties ?? {};
  const sequenceId = typeof p.sequenceId === 'string' ? p.sequenceId : undefined;
  // Entries of broadcasts written before they named broadcastId carry `broadcast:<id>` as sequence.
  const legacyBroadcast = sequenceId?.startsWith(BROADCAST_PREFIX)
    ? sequenceId.slice(BROADCAST_PREFIX.length)
    : undefined;
  const broadcastId = text(p.broadcastId) ?? text(legacyBroadcast);
  return {
    ...(broadcastId ? { broadcastId } : { sequenceId: text(sequenceId) }),
    step: text(p.step),
    templateId: text(p.templateId) ?? text(p.template),
    ...(text(p.variant) ? { variant: text(p.variant) } : {}),
  };
}

// `var` only when there is one: rows of mail without variants keep the dims they always had.
export const emailDims = (a: EmailAttribution): string =>
  `seq=${a.sequenceId ?? NONE}|step=${a.step ?? NONE}|tpl=${a.templateId ?? NONE}|bc=${a.broadcastId ?? NONE}${a.variant ? `|var=${a.variant}` : ''}`;

export function parseEmailDims(dims: string): Dims {
  const parts = Object.fromEntries(dims.split('|').map((part) => part.split('=', 2) as [string, string]));
  return {
    seq: parts.seq ?? NONE,
    step: parts.step ?? NONE,
    tpl: parts.tpl ?? NONE,
    bc: parts.bc ?? NONE,
    var: parts.var ?? NONE,
  };
}

/** The plain counts of an entry, or the kind of unique count it makes (open / click). */
function countsOf(entry: Activity): Record<string, number> | 'open' | 'click' | undefined {
  const p = entry.properties ?? {};
  switch (entry.type) {
    case 'email_sent':
      return { sent: 1 };
    case 'email_failed':
      return { failed: 1 };
    case 'email_skipped': {
      const reason = typeof p.reason === 'string' ? p.reason : 'other';
      return {
        skipped: 1,
        [`skipped_${(SKIP_REASONS as readonly string[]).includes(reason) ? reason : 'other'}`]: 1,
      };
    }
    case 'email_delivered':
      return { delivered: 1 };
    case 'email_bounced':
      return { bounced: 1 };
    case 'email_complained':
      return { complained: 1 };
    case 'email_opened':
      return 'open';
    case 'email_clicked':
      return 'click';
    case 'sequence_exited':
      return p.reason === 'unsubscribed' ? { unsubscribed: 1 } : undefined;
    case 'unsubscribed': {
      const a = attributionOf(p);
      return a.sequenceId || a.broadcastId ? { unsubscribed: 1 } : undefined;
    }
    default:
      return undefined;
  }
}

function increments(entry: Activity, _lead: unknown, timeZone: string): Increment[] {
  const counts = countsOf(entry);
  if (!counts) return [];
  const day = dayOf(entry.at, timeZone);
  const dims = emailDims(attributionOf(entry.properties));
  const row = { report: 'email' as const, day, dims };
  if (typeof counts === 'object') return [{ ...row, counts }];
  const messageId = entry.properties?.messageId;
  const message = typeof messageId === 'string' && messageId ? messageId : entry.activityId;
  const [every, unique] = counts === 'open' ? ['opens', 'opened'] : ['clicks', 'clicked'];
  return [
    { ...row, counts: { [every]: 1 } },
    { ...row, counts: { [unique]: 1 }, once: `email:${counts}:${message}` },
  ];
}

export const emailReport: ReportDefinition = {
  id: 'email',
  increments,
  build,
};

// ---- build: rows → tables ----

type Totals = Record<string, number>;

const camel = (reason: string) =>
  `skipped${reason.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase())}`;

/** The counted columns and rates every email table has after its key column. */
export const EMAIL_COLUMNS: ReportColumn[] = [
  { key: 'sent', label: 'Sent', kind: 'count' },
  { key: 'delivered', label: 'Delivered', kind: 'count' },
  { key: 'opened', label: 'Opened (unique)', kind: 'count' },
  { key: 'clicked', label: 'Clicked (unique)', kind: 'count' },
  { key: 'bounced', label: 'Bounced', kind: 'count' },
  { key: 'complained', label: 'Complained', kind: 'count' },
  { key: 'unsubscribed', label: 'Unsubscribed', kind: 'count' },
  { key: 'skipped', label: 'Skipped', kind: 'count' },
  { key: 'failed', label: 'Failed', kind: 'count' },
  { key: 'deliveryRate', label: 'Delivery rate', kind: 'rate' },
  { key: 'openRate', label: 'Open rate', kind: 'rate' },
  { key: 'clickRate', label: 'Click rate', kind: 'rate' },
  { key: 'clickToOpenRate', label: 'Click-to-open rate', kind: 'rate' },
  { key: 'bounceRate', label: 'Bounce rate', kind: 'rate' },
  { key: 'complaintRate', label: 'Complaint rate', kind: 'rate' },
  { key: 'unsubscribeRate', label: 'Unsubscribe rate', kind: 'rate' },
  ...SKIP_REASONS.map((reason) => ({
    key: camel(reason),
    label: `Skipped: ${reason.replace(/_/g, ' ')}`,
    kind: 'count' as const,
  })),
];

/**
 * One table row from summed counts. Rates: delivered and bounced of sent; opened, clicked,
 * complained and unsubscribed of delivered; click-to-open of opened (null when nothing to divide by).
 */
export function emailRow(key: Record<string, string>, t: Totals): ReportRow {
  const n = (name: string) => t[name] ?? 0;
  const row: ReportRow = { ...key };
  for (const name of COUNTS) row[name] = n(name);
  Object.assign(row, {
    deliveryRate: rate(n('delivered'), n('sent')),
    openRate: rate(n('opened'), n('delivered')),
    clickRate: rate(n('clicked'), n('delivered')),
    clickToOpenRate: rate(n('clicked'), n('opened')),
    bounceRate: rate(n('bounced'), n('sent')),
    complaintRate: rate(n('complained'), n('delivered')),
    unsubscribeRate: rate(n('unsubscribed'), n('delivered')),
  });
  for (const reason of SKIP_REASONS) row[camel(reason)] = n(`skipped_${reason}`);
  return row;
}

interface TableSpec {
  id: string;
  title: string;
  key: { key: string; label: string };
  keyOf: (dims: Dims, query: ReportQuery) => string | undefined;
  order: (a: [string, Totals], b: [string, Totals]) => number;
}

const bySent = (a: [string, Totals], b: [string, Totals]) =>
  (b[1].sent ?? 0) - (a[1].sent ?? 0) || a[0].localeCompare(b[0]);
const inSequence = (dims: Dims, query: ReportQuery) =>
  !query.filters.sequence || dims.seq === tagValue(query.filters.sequence);

const TABLES: TableSpec[] = [
  {
    id: 'sequences',
    title: 'Sequences',
    key: { key: 'sequence', label: 'Sequence' },
    keyOf: (d, q) => (d.bc === NONE && d.seq !== NONE && inSequence(d, q) ? d.seq : undefined),
    order: bySent,
  },
  {
    id: 'steps',
    title: 'Steps',
    key: { key: 'step', label: 'Step' },
    // A funnel: the step most mail went out for first (sends only fall along a sequence).
    keyOf: (d, q) =>
      q.filters.sequence && d.bc === NONE && d.step !== NONE && inSequence(d, q) ? d.step : undefined,
    order: bySent,
  },
  {
    id: 'templates',
    title: 'Templates',
    key: { key: 'template', label: 'Template' },
    keyOf: (d, q) =>
      d.tpl !== NONE && (d.bc === NONE || !q.filters.sequence) && inSequence(d, q) ? d.tpl : undefined,
    order: bySent,
  },
  {
    id: 'broadcasts',
    title: 'Broadcasts',
    key: { key: 'broadcast', label: 'Broadcast' },
    keyOf: (d, q) => (d.bc !== NONE && !q.filters.sequence ? d.bc : undefined),
    // Broadcast ids are time-ordered: the newest first.
    order: (a, b) => b[0].localeCompare(a[0]),
  },
];

/**
 * The tables: `sequences`, `steps` and `variants` (only with `sequence=`), `templates`, `broadcasts`, from the
 * rows of one period (the reader builds the previous period alike for compare=previous). With
 * `sequence=` every table keeps that sequence's mail only (so no broadcasts).
 */
function build(rows: RollupRow[], query: ReportQuery) {
  const tables = TABLES.filter((spec) => spec.id !== 'steps' || query.filters.sequence).map((spec) => ({
    id: spec.id,
    title: spec.title,
    columns: [{ ...spec.key, kind: 'text' as const }, ...EMAIL_COLUMNS],
    rows: [...groupCounts(rows, (row) => spec.keyOf(parseEmailDims(row.dims), query))]
      .sort(spec.order)
      .map(([key, totals]) => emailRow({ [spec.key.key]: key }, totals)),
  }));
  if (query.filters.sequence)
    tables.splice(
      2,
      0,
      variantsTable(rows, (row) => {
        const d = parseEmailDims(row.dims);
        return d.bc === NONE && d.var !== NONE && d.step !== NONE && inSequence(d, query)
          ? `${d.step}|${d.var}`
          : undefined;
      }),
    );
  return { tables, series: [] };
}
