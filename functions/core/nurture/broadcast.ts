import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import type { Suppression, SuppressionStore } from '../consent/suppression';
import { ownedBySales } from '../handoff/hot-lead-message';
import type { Clock } from '../kernel/clock';
import { LEAD_ID } from '../kernel/lead-id';
import { type FieldValue, type LeadState, STAGES } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { LeadPages } from '../scoring/rescore-job';
import { type Enrollment, emptyNurture } from './enrollment';
import { BROADCAST_PREFIX } from './sequences';

/**
 * Broadcasts: a one-off email to a segment of leads, now or at `sendAt`. Each recipient gets a
 * one-step enrollment `broadcast:<id>` on its lead item, so tick and send-email send it through
 * the same gate (suppression, consent, owned by sales, frequency cap, send window) as any
 * sequence step, and it ends on the timeline as sent, skipped or failed. Enrolling is a
 * background job over every lead, one page per email-jobs message.
 */

/** Names the keys a strict object refused: a typo in a body is an error, never ignored. */
export function strictError(issue: { code?: string; keys?: string[] }): string {
  return issue.code === 'unrecognized_keys' && issue.keys
    ? `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`
    : 'must be an object';
}

/** Who a broadcast goes to. Marketing email needs consent: `consent` must be `true`. */
export const segmentSchema = z.strictObject(
  {
    stages: z.optional(z.array(z.enum(STAGES)).check(z.minLength(1), z.maxLength(STAGES.length))),
    fields: z.optional(
      z
        .record(
          z.string().check(z.minLength(1), z.maxLength(64)),
          z.union([z.string().check(z.maxLength(500)), z.number(), z.boolean()]),
        )
        .check(z.refine((fields) => Object.keys(fields).length <= 20, 'at most 20 fields')),
    ),
    consent: z.literal(true, 'a marketing broadcast goes to leads with consent only: set consent: true'),
  },
  // A misspelt key (`stage` for `stages`) must not widen the audience to everyone.
  { error: strictError },
);
export type Segment = z.infer<typeof segmentSchema>;

export interface ExcludedCounts {
  suppressed: number;
  noConsent: number;
  ownedBySales: number;
  test: number;
}

export interface Broadcast {
  broadcastId: string;
  template: string;
  segment: Segment;
  sendAt: string;
  ignoreSendWindow: boolean;
  createdAt: string;
  createdBy: string;
  status: 'running' | 'done';
  finishedAt?: string;
  /** Where the next page starts; null before the first page and after the last. */
  cursor: string | null;
  /** The cursor the last counted page started from: a redelivery of it re-requests the next page. */
  previous?: string | null;
  pages: number;
  scanned: number;
  enrolled: number;
  excluded: ExcludedCounts;
}

export interface BroadcastPageCount {
  cursor: string | null;
  scanned: number;
  enrolled: number;
  excluded: ExcludedCounts;
}

export interface BroadcastStore {
  /** Stores a new broadcast; false (nothing written) when one with this id exists already. */
  create(broadcast: Broadcast): Promise<boolean>;
  get(broadcastId: string): Promise<Broadcast | undefined>;
  /** Counts a page once: only while the broadcast still stands at `from` (a redelivered page counts nothing). */
  completePage(
    broadcastId: string,
    from: string | null,
    page: BroadcastPageCount,
    at: string,
  ): Promise<boolean>;
}

export interface BroadcastDeps {
  leads: Pick<LeadStore, 'load' | 'replace'> & LeadPages;
  suppressions: Pick<SuppressionStore, 'lookup'>;
  broadcasts: BroadcastStore;
  /** Queues one page of a broadcast on email-jobs (`{"broadcast": id, "cursor": ...}`). */
  requestPage(broadcastId: string, cursor: string | null): Promise<void>;
  clock: Clock;
}

export const BROADCAST_PAGE = 100;
/** A preview counts at most this many pages in one request (more is a job, not a request). */
const PREVIEW_MAX_PAGES = 50;
/** ...and for at most this long: the HTTP API gives up on an integration after 30 s. */
const PREVIEW_BUDGET_MS = 20_000;
const WRITE_ATTEMPTS = 8;

export const broadcastKey = (broadcastId: string) => `${BROADCAST_PREFIX}${broadcastId}`;
export const noneExcluded = (): ExcludedCounts => ({ suppressed: 0, noConsent: 0, ownedBySales: 0, test: 0 });

type Verdict = 'recipient' | 'outside' | keyof ExcludedCounts;

/** Stage and field equality: who the marketer asked for. */
export function inSegment(lead: LeadState, segment: Segment): boolean {
  if (segment.stages && !segment.stages.includes(lead.stage)) return false;
  for (const [name, value] of Object.entries(segment.fields ?? {})) {
    const actual: FieldValue | undefined = name === 'email' ? lead.email : lead.profile[name]?.value;
    if (actual !== value) return false;
  }
  return true;
}

/**
 * Who of the segment may get marketing email, cheapest checks first (the suppression lookup
 * is a read): test leads, no consent (including unsubscribed), owned by sales, suppressed.
 * A lead is counted under the first reason that excludes it.
 */
async function verdict(
  lead: LeadState,
  segment: Segment,
  suppression: () => Promise<Suppression | undefined>,
): Promise<Verdict> {
  if (!inSegment(lead, segment)) return 'outside';
  if (lead.test) return 'test';
  if (lead.marketingConsent?.granted !== true) return 'noConsent';
  if (ownedBySales(lead)) return 'ownedBySales';
  if (await suppression()) return 'suppressed';
  return 'recipient';
}

/**
 * How many leads a broadcast to `segment` would reach right now, and why the others of the
 * segment are left out. Pages through every lead (a Scan); stops after PREVIEW_MAX_PAGES or
 * PREVIEW_BUDGET_MS with `complete: false` (the broadcast itself pages through all of them).
 */
export async function previewBroadcast(
  deps: Pick<BroadcastDeps, 'leads' | 'suppressions'>,
  segment: Segment,
) {
  const excluded = noneExcluded();
  let recipients = 0;
  let scanned = 0;
  let cursor: string | null = null;
  let pages = 0;
  const started = performance.now();
  do {
    const page = await deps.leads.page(cursor, BROADCAST_PAGE);
    const verdicts = await Promise.all(
      page.leads.map((lead) => verdict(lead, segment, () => deps.suppressions.lookup(lead.email))),
    );
    for (const v of verdicts) {
      if (v === 'recipient') recipients += 1;
      else if (v !== 'outside') excluded[v] += 1;
    }
    scanned += page.leads.length;
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < PREVIEW_MAX_PAGES && performance.now() - started < PREVIEW_BUDGET_MS);
  return { recipients, excluded, scanned, complete: cursor === null };
}

/**
 * Starts a broadcast: stores it (running, no page counted yet) and queues its first page.
 * The caller checked that the template exists in the active config.
 */
export async function startBroadcast(
  deps: Pick<BroadcastDeps, 'broadcasts' | 'requestPage'>,
  input: { broadcastId: string; template: string; segment: Segment; sendAt: Date; ignoreSendWindow: boolean },
  createdBy: string,
  now: Date,
): Promise<Broadcast> {
  const broadcast: Broadcast = {
    broadcastId: input.broadcastId,
    template: input.template,
    segment: input.segment,
    sendAt: input.sendAt.toISOString(),
    ignoreSendWindow: input.ignoreSendWindow,
    createdAt: now.toISOString(),
    createdBy,
    status: 'running',
    cursor: null,
    pages: 0,
    scanned: 0,
    enrolled: 0,
    excluded: noneExcluded(),
  };
  if (!(await deps.broadcasts.create(broadcast))) {
    // A retried request (same Idempotency-Key): the broadcast it started, not a second one. If that
    // request died before queueing the first page, queue it now (a duplicate first page is a no-op).
    const existing = await deps.broadcasts.get(broadcast.broadcastId);
    if (existing) {
      if (existing.status === 'running' && existing.pages === 0 && existing.cursor === null)
        await deps.requestPage(existing.broadcastId, null);
      return existing;
    }
  }
  await deps.requestPage(broadcast.broadcastId, null);
  return broadcast;
}

/**
 * The broadcast id for a request: from the caller and its Idempotency-Key when given (a retried
 * POST, a double click, finds the broadcast it started instead of mailing everyone twice), else new.
 */
export function broadcastIdFor(caller: string, idempotencyKey: string | undefined, fresh: string): string {
  if (!idempotencyKey) return fresh;
  const digest = createHash('sha256').update(`${caller}\n${idempotencyKey}`).digest();
  let bits = 0n;
  for (const byte of digest.subarray(0, 17)) bits = (bits << 8n) | BigInt(byte);
  let id = '';
  for (let i = 0; i < 26; i += 1) id = CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)] + id;
  return `bc_${id}`;
}
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * One page of a broadcast. Idempotent on redelivery:
 * 1. A broadcast that is done, or already past this page, does nothing — except that the
 *    redelivery of the last counted page asks for the next page again (the first delivery may
 *    have died between counting and queueing; a duplicate page message is a no-op).
 * 2. Each lead of the page in the segment and allowed marketing email gets the enrollment
 *    `broadcast:<id>` (due at `sendAt`) in a write conditional on the lead's version; a lead
 *    that already has it is counted, not written again.
 * 3. The page is counted once (conditional on the cursor it started from), then the next page
 *    is queued, or the broadcast is done.
 */
export async function processBroadcastPage(
  deps: BroadcastDeps,
  broadcastId: string,
  cursor: string | null,
): Promise<BroadcastPageCount | undefined> {
  const broadcast = await deps.broadcasts.get(broadcastId);
  if (broadcast?.status !== 'running') return undefined;
  if (broadcast.cursor !== cursor) {
    if (broadcast.previous !== undefined && broadcast.previous === cursor && broadcast.cursor !== null)
      await deps.requestPage(broadcastId, broadcast.cursor);
    return undefined;
  }
  const now = deps.clock.now();
  const page = await deps.leads.page(cursor, BROADCAST_PAGE);
  const count: BroadcastPageCount = {
    cursor: page.cursor,
    scanned: page.leads.length,
    enrolled: 0,
    excluded: noneExcluded(),
  };
  for (const scanned of page.leads) {
    // Out of the segment by the scanned copy: no read, no write.
    if (!inSegment(scanned, broadcast.segment)) continue;
    const outcome = await enrollOne(deps, broadcast, scanned.leadId, now);
    if (outcome === 'enrolled') count.enrolled += 1;
    else if (outcome !== 'outside') count.excluded[outcome] += 1;
  }
  const counted = await deps.broadcasts.completePage(broadcastId, cursor, count, now.toISOString());
  if (counted && page.cursor) await deps.requestPage(broadcastId, page.cursor);
  return counted ? count : undefined;
}

async function enrollOne(
  deps: BroadcastDeps,
  broadcast: Broadcast,
  leadId: string,
  now: Date,
): Promise<'enrolled' | Exclude<Verdict, 'recipient'>> {
  const key = broadcastKey(broadcast.broadcastId);
  let suppression: Promise<Suppression | undefined> | undefined;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
    const lead = await deps.leads.load(leadId);
    if (!lead) return 'outside';
    if (lead.nurture?.enrollments[key]) return 'enrolled';
    const v = await verdict(lead, broadcast.segment, () => {
      suppression ??= deps.suppressions.lookup(lead.email);
      return suppression;
    });
    if (v !== 'recipient') return v;
    const nurture = structuredClone(lead.nurture ?? emptyNurture());
    nurture.enrollments[key] = broadcastEnrollment(broadcast, now);
    const next: LeadState = { ...lead, nurture, version: lead.version + 1, updatedAt: now.toISOString() };
    if (await deps.leads.replace(next, lead.version)) return 'enrolled';
    // A busy lead (activity arriving as we write): back off a little before reading it again.
    await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt * (0.5 + Math.random())));
  }
  throw new Error(`lead ${leadId} kept changing while enrolling it in broadcast ${broadcast.broadcastId}`);
}

export function broadcastEnrollment(broadcast: Broadcast, now: Date): Enrollment {
  return {
    sequenceId: broadcastKey(broadcast.broadcastId),
    number: 1,
    status: 'active',
    enrolledAt: now.toISOString(),
    step: 0,
    dueAt: broadcast.sendAt,
    broadcast: {
      id: broadcast.broadcastId,
      template: broadcast.template,
      ignoreSendWindow: broadcast.ignoreSendWindow,
    },
  };
}

/** The email-jobs message that asks for one page of a broadcast. */
export const broadcastPageMessage = (broadcastId: string, cursor: string | null) =>
  JSON.stringify({ broadcast: broadcastId, cursor });

export const BROADCAST_ID = /^bc_[0-9A-HJKMNP-TV-Z]{26}$/;

/** What an email-jobs message asks for: one lead's due steps, or one page of a broadcast. */
export type EmailJob =
  | { kind: 'lead'; leadId: string }
  | { kind: 'broadcast'; broadcastId: string; cursor: string | null };

export function parseEmailJob(body: string): EmailJob | undefined {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (message === null || typeof message !== 'object') return undefined;
  const { leadId, broadcast, cursor } = message as Record<string, unknown>;
  if (typeof leadId === 'string' && LEAD_ID.test(leadId)) return { kind: 'lead', leadId };
  if (
    typeof broadcast === 'string' &&
    BROADCAST_ID.test(broadcast) &&
    (cursor === null || typeof cursor === 'string')
  )
    return { kind: 'broadcast', broadcastId: broadcast, cursor };
  return undefined;
}
