import type { Suppression } from '../consent/suppression';
import type { Clock } from '../kernel/clock';
import type { LeadState } from '../leads/lead';
import type { SegmentFactsPages, SuppressionsAmong } from '../segments/segments';
import { leadPlace, testVariant } from './broadcast-ab';
import type { AbTest, Segment, Variant } from './broadcast-bodies';
import type { Broadcast, BroadcastDeps, BroadcastPageCount, ChangedBy } from './broadcast-ports';
import {
  broadcastEnrollment,
  broadcastKey,
  busyLeadBackoffMs,
  inSegment,
  noneExcluded,
  type Verdict,
  verdict,
} from './broadcast-rules';
import { emptyNurture } from './enrollment';
import type { BroadcastPreview } from './responses';

/**
 * The broadcast use cases: preview a segment, start a broadcast, enroll one page of it. The
 * rules are in broadcast-rules.ts, the request bodies in broadcast-bodies.ts, the ports in
 * broadcast-ports.ts; the email-jobs message that asks for a page is the SQS adapter's.
 */

// Every name importers outside this folder know from this file (handlers, tests, adapters).
export { type Segment, segmentSchema, strictError } from './broadcast-bodies';
export { BROADCAST_ID, broadcastIdFor } from './broadcast-ids';
export type {
  Broadcast,
  BroadcastDeps,
  BroadcastPageCount,
  BroadcastStatus,
  BroadcastStore,
  ChangedBy,
  ExcludedCounts,
} from './broadcast-ports';
export { broadcastEnrollment, broadcastKey, inSegment, noneExcluded } from './broadcast-rules';

export const BROADCAST_PAGE = 100;
/** ...and for at most this long: the HTTP API gives up on an integration after 30 s. */
const PREVIEW_BUDGET_MS = 20_000;
const WRITE_ATTEMPTS = 8;

/**
 * How many leads a broadcast to `segment` would reach right now, and why the others of the
 * segment are left out.
 * 1. Read every lead's segment facts (the segment facts index, as a segment count does: 1 MB
 *    pages, no lead item read) and the suppression list whole (or, until its index is marked
 *    complete, one batch of a page's addresses at a time).
 * 2. Give each lead its verdict (broadcast-rules.ts, the rules the sending pages apply) and count it.
 * 3. Stop after the last page or PREVIEW_BUDGET_MS by the clock, with `complete: false` when
 *    leads were left (the broadcast itself pages through all of them).
 */
export async function previewBroadcast(
  deps: BroadcastPreviewDeps,
  segment: Segment,
): Promise<BroadcastPreview> {
  const { clock } = deps;
  const excluded = noneExcluded();
  let recipients = 0;
  let scanned = 0;
  const started = clock.now().getTime();
  const list = await deps.suppressions.wholeList();
  const complete = await deps.segmentFacts.forEachPage(
    async (leads) => {
      const asked = list
        ? undefined
        : await deps.suppressions.suppressedAmong(leads.map((lead) => lead.email));
      const suppressed = (email: string) => (list ? list(email) : (asked?.has(email) ?? false));
      const now = clock.now();
      for (const lead of leads) {
        const v = await verdict(lead, segment, () => suppressed(lead.email), now);
        if (v === 'recipient') recipients += 1;
        else if (v !== 'outside') excluded[v] += 1;
      }
      scanned += leads.length;
    },
    () => clock.now().getTime() - started < PREVIEW_BUDGET_MS,
  );
  return { recipients, excluded, scanned, complete };
}

/** What a preview reads: every lead's segment facts and the suppression list, by the clock's budget. */
export interface BroadcastPreviewDeps {
  segmentFacts: SegmentFactsPages;
  suppressions: SuppressionsAmong;
  clock: Clock;
}

/** What a new broadcast is made of (the caller checked its templates exist in the active config). */
export interface BroadcastInput {
  broadcastId: string;
  name?: string;
  template: string;
  segment: Segment;
  sendAt: Date;
  ignoreSendWindow: boolean;
  abTest?: AbTest;
  /** Stored as a draft: nothing is queued until it is scheduled. */
  draft?: boolean;
}

/** The stored form of a new broadcast: a draft, or running (in its test phase with an A/B test). */
export function newBroadcast(input: BroadcastInput, by: ChangedBy | string, now: Date): Broadcast {
  const who = typeof by === 'string' ? { name: by } : by;
  const sendAt = input.sendAt.toISOString();
  return {
    broadcastId: input.broadcastId,
    name: input.name ?? input.template,
    template: input.template,
    segment: input.segment,
    sendAt,
    ignoreSendWindow: input.ignoreSendWindow,
    createdAt: now.toISOString(),
    createdBy: who.name,
    by: who,
    status: input.draft ? 'draft' : 'running',
    ...(input.abTest
      ? {
          abTest: {
            ...input.abTest,
            decideAt: new Date(input.sendAt.getTime() + input.abTest.waitHours * 3_600_000).toISOString(),
          },
          phase: 'test' as const,
        }
      : {}),
    cursor: null,
    pages: 0,
    scanned: 0,
    enrolled: 0,
    excluded: noneExcluded(),
  };
}

/**
 * Starts a broadcast (or stores a draft). The caller checked that the templates exist.
 * 1. Store it: running (or a draft), no page counted yet.
 * 2. Already stored (a retried request with the same Idempotency-Key): answer that broadcast, not
 *    a second one; if that request died before queueing the first page, queue it now (a
 *    duplicate first page is a no-op).
 * 3. Queue its first page (not for a draft).
 */
export async function startBroadcast(
  deps: Pick<BroadcastDeps, 'broadcasts' | 'requestPage'>,
  input: BroadcastInput,
  createdBy: ChangedBy | string,
  now: Date,
): Promise<Broadcast> {
  const broadcast = newBroadcast(input, createdBy, now);
  if (!(await deps.broadcasts.create(broadcast))) {
    const existing = await deps.broadcasts.get(broadcast.broadcastId);
    if (existing) {
      if (existing.status === 'running' && existing.pages === 0 && existing.cursor === null)
        await deps.requestPage(existing.broadcastId, null);
      return existing;
    }
  }
  if (broadcast.status === 'running') await deps.requestPage(broadcast.broadcastId, null);
  return broadcast;
}

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
  const rest = broadcast.phase === 'rest';
  // The rest of an A/B test pages through the leads again: its scans and exclusions were counted once.
  const count: BroadcastPageCount = {
    cursor: page.cursor,
    scanned: rest ? 0 : page.leads.length,
    enrolled: 0,
    excluded: noneExcluded(),
  };
  for (const scanned of page.leads) {
    // Out of the segment by the scanned copy: no read, no write.
    if (!inSegment(scanned, broadcast.segment)) continue;
    const outcome = await enrollOne(deps, broadcast, scanned.leadId, now, planFor(broadcast, scanned.leadId));
    if (outcome === 'enrolled') count.enrolled += 1;
    else if (!rest && outcome !== 'outside' && outcome !== 'held' && outcome !== 'already')
      count.excluded[outcome] += 1;
  }
  const counted = await deps.broadcasts.completePage(broadcastId, cursor, count, now.toISOString(), {
    phase: broadcast.phase,
    last: broadcast.phase === 'test' ? 'waiting' : 'done',
  });
  if (counted && page.cursor) await deps.requestPage(broadcastId, page.cursor);
  return counted ? count : undefined;
}

/**
 * What a lead of the segment gets: without an A/B test, the broadcast; in the test phase, its
 * variant when its place falls in the test share (else it is held for the winner); in the rest
 * phase, the winner (a lead already enrolled in the test keeps what it got).
 */
function planFor(broadcast: Broadcast, leadId: string): EnrollPlan {
  const ab = broadcast.abTest;
  if (!ab) return {};
  if (broadcast.phase === 'rest')
    return { variant: ab.variants.find((v) => v.id === ab.winner) ?? ab.variants[0], rest: true };
  const variant = testVariant(ab, leadPlace(broadcast.broadcastId, leadId));
  return variant ? { variant } : { hold: true };
}

interface EnrollPlan {
  variant?: Variant;
  /** In the A/B test share's phase but outside the share: waits for the winner. */
  hold?: boolean;
  /** The rest phase: a lead enrolled already was counted in the test phase. */
  rest?: boolean;
}

/** Enrolls one lead on a fresh read; a lead written meanwhile is read again after a backoff. */
async function enrollOne(
  deps: BroadcastDeps,
  broadcast: Broadcast,
  leadId: string,
  now: Date,
  plan: EnrollPlan,
): Promise<'enrolled' | 'held' | 'already' | Exclude<Verdict, 'recipient'>> {
  const key = broadcastKey(broadcast.broadcastId);
  const { sleep } = deps;
  let suppression: Promise<Suppression | undefined> | undefined;
  for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt += 1) {
    const lead = await deps.leads.load(leadId);
    if (!lead) return 'outside';
    if (lead.nurture?.enrollments[key]) return plan.rest ? 'already' : 'enrolled';
    const v = await verdict(lead, broadcast.segment, () => {
      suppression ??= deps.suppressions.lookup(lead.email);
      return suppression;
    });
    if (v !== 'recipient') return v;
    if (plan.hold) return 'held';
    const nurture = structuredClone(lead.nurture ?? emptyNurture());
    nurture.enrollments[key] = broadcastEnrollment(broadcast, now, plan.variant);
    const next: LeadState = { ...lead, nurture, version: lead.version + 1, updatedAt: now.toISOString() };
    if (await deps.leads.replace(next, lead.version)) return 'enrolled';
    await sleep(busyLeadBackoffMs(attempt, Math.random()));
  }
  throw new Error(`lead ${leadId} kept changing while enrolling it in broadcast ${broadcast.broadcastId}`);
}
