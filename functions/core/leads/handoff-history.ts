import * as z from 'zod/mini';
import { type Activity, type Handoff, SALES_OUTCOMES } from './lead';

const describe = <T extends z.ZodMiniType>(schema: T, text: string) => schema.check(z.describe(text));
const by = z.object({ name: z.string(), username: z.optional(z.string()) });

/** What sales did with a hand-off, from its `sales_*` timeline entries. */
export const handoffEventSchema = z.object({
  type: z.enum(['claimed', 'outcome', 'released', 'reassigned']),
  at: z.string(),
  by: z.optional(describe(by, 'The person who did it: the rep, or a manager for a release or reassign.')),
  rep: z.optional(describe(z.string(), 'claimed, outcome: the rep who did it; released: whose claim ended.')),
  expiredClaimOf: z.optional(
    describe(z.string(), 'claimed: the rep whose earlier claim had expired, so the lead came back.'),
  ),
  outcome: z.optional(z.enum(SALES_OUTCOMES)),
  note: z.optional(z.string()),
  reason: z.optional(z.string()),
  from: z.optional(describe(z.string(), 'reassigned: the rep it was taken from.')),
  to: z.optional(describe(z.string(), 'reassigned: the rep it was given to.')),
  toName: z.optional(z.string()),
});

export const handoffHistoryEntrySchema = z.object({
  number: z.number(),
  becameHotAt: z.nullable(
    describe(z.string(), 'When the lead became hot; null when the timeline no longer shows it.'),
  ),
  rules: describe(
    z.array(z.string()),
    'Why it is hot: the scoring rules behind it (earlier hand-offs: the rules that moved the score).',
  ),
  status: z.optional(
    describe(
      z.enum(['pending', 'sent', 'claimed', 'closed']),
      'The latest hand-off only: where it stands now.',
    ),
  ),
  sentAt: z.optional(z.string()),
  claim: z.optional(
    z.object({
      rep: z.string(),
      claimedAt: z.string(),
      expiresAt: z.string(),
      expired: describe(z.boolean(), 'Past its time: void, the lead went back on the queue.'),
    }),
  ),
  closedAt: z.optional(z.string()),
  outcome: z.optional(z.enum(SALES_OUTCOMES)),
  events: describe(
    z.array(handoffEventSchema),
    'Claims, outcomes, releases and reassignments, oldest first.',
  ),
});

export type HandoffHistoryEntry = z.infer<typeof handoffHistoryEntrySchema>;
type HandoffEvent = z.infer<typeof handoffEventSchema>;

const OUTCOMES: ReadonlySet<string> = new Set(SALES_OUTCOMES);
const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** A `sales_*` timeline entry as an event of its hand-off, or undefined for any other entry. */
function eventOf(activity: Activity): { handoff: number; event: HandoffEvent } | undefined {
  const props = activity.properties ?? {};
  const handoff = props.handoff;
  if (!activity.type.startsWith('sales_') || typeof handoff !== 'number') return undefined;
  const kind = activity.type.slice('sales_'.length);
  const base = { at: activity.at, ...(activity.by ? { by: activity.by } : {}) };
  const sourceRep = activity.source.startsWith('sales:') ? activity.source.slice('sales:'.length) : undefined;
  if (OUTCOMES.has(kind)) {
    const outcome = kind as HandoffEvent['outcome'];
    const event = {
      ...base,
      type: 'outcome' as const,
      rep: sourceRep,
      outcome,
      note: text(props.note),
      reason: text(props.reason),
    };
    return { handoff, event: defined(event) };
  }
  if (kind === 'claimed') {
    const previous = props.previousClaim as { rep?: unknown } | undefined;
    const event = {
      ...base,
      type: 'claimed' as const,
      rep: text(props.rep) ?? sourceRep,
      expiredClaimOf: text(previous?.rep),
    };
    return { handoff, event: defined(event) };
  }
  if (kind === 'claim_released')
    return {
      handoff,
      event: defined({ ...base, type: 'released' as const, rep: text(props.rep) ?? sourceRep }),
    };
  if (kind === 'reassigned') {
    const event = {
      ...base,
      type: 'reassigned' as const,
      from: text(props.from),
      to: text(props.to),
      toName: text(props.toName),
    };
    return { handoff, event: defined(event) };
  }
  return undefined;
}

/**
 * Every time the lead was handed to sales, newest first: when and why it became hot (the timeline
 * entry whose effect started hand-off N), and what sales did with it (its `sales_*` entries: claims,
 * outcomes, releases, reassignments). The
 * latest hand-off adds what the lead item holds: status, sent, the claim (expired or not) and the
 * outcome. Never shows what proves a claim (its nonce).
 */
export function handoffHistory(
  current: Handoff | undefined,
  activities: readonly Activity[],
  now: Date,
): HandoffHistoryEntry[] {
  const entries = new Map<number, HandoffHistoryEntry>();
  const entry = (number: number) => {
    let found = entries.get(number);
    if (!found) {
      found = { number, becameHotAt: null, rules: [], events: [] };
      entries.set(number, found);
    }
    return found;
  };
  const oldestFirst = [...activities].sort(
    (a, b) => a.at.localeCompare(b.at) || a.activityId.localeCompare(b.activityId),
  );
  for (const activity of oldestFirst) {
    const started = activity.effect?.handoff;
    if (started !== undefined) {
      const hot = entry(started);
      hot.becameHotAt ??= activity.at;
      if (hot.rules.length === 0) hot.rules = activity.effect?.score?.rules ?? [];
    }
    const sales = eventOf(activity);
    if (sales) entry(sales.handoff).events.push(sales.event);
  }
  if (current) {
    const latest = entry(current.number);
    latest.becameHotAt = current.becameHotAt;
    latest.rules = current.rules;
    latest.status = current.status;
    if (current.sentAt) latest.sentAt = current.sentAt;
    if (current.claim) {
      const { rep, claimedAt, expiresAt } = current.claim;
      const expired = current.status === 'claimed' && Date.parse(expiresAt) <= now.getTime();
      latest.claim = { rep, claimedAt, expiresAt, expired };
    }
    if (current.closedAt) latest.closedAt = current.closedAt;
    if (current.outcome) latest.outcome = current.outcome;
  }
  return [...entries.values()].sort((a, b) => b.number - a.number);
}
