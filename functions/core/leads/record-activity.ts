import type { Clock } from '../kernel/clock';
import { ConflictError, LeadNotFoundError, RateLimitedError } from '../kernel/errors';
import type { ActiveNurture } from '../nurture/enroll';
import type { ScoringModels } from '../scoring/ports';
import { type ActiveModel, type Evolution, evolveLead, type LeadChange } from './evolve';
import type { Activity, LeadState } from './lead';
import type { LeadStore } from './ports';

/** The lead store as recording needs it: the lead read together with the activity's own item. */
export interface RecordLeadStore extends LeadStore {
  /** The lead, and whether the activity is already stored, in one request. */
  loadForActivity(
    leadId: string,
    activityId: string,
  ): Promise<{ lead: LeadState | undefined; activityStored: boolean }>;
}

export interface RecordDeps {
  leads: RecordLeadStore;
  models: ScoringModels;
  clock: Clock;
  /** The active nurture config (sequences): activities enroll and exit in the same lead write. */
  nurture?: { active(): Promise<ActiveNurture | undefined> };
  /** Sends a hand-off the moment a lead turns hot; when it fails, tick sends it from the outbox. */
  sendHandoff?: (lead: LeadState) => Promise<unknown>;
}

export interface RecordOptions {
  /** Try the write for a new lead first (form submissions: most come from new people). */
  expectNew?: boolean;
  /** Create the lead when it does not exist (else LeadNotFoundError). */
  createIfMissing: boolean;
}

export interface Recorded {
  lead: LeadState | undefined;
  activity: Activity;
  duplicate: boolean;
  /** Set when this activity made the lead hot: whether the hand-off reached the queue at once. */
  handoffSent?: boolean;
}

const ATTEMPTS = 8;

export class LeadBeingErasedError extends ConflictError {
  constructor() {
    super('lead_being_erased', "This person's data is being erased (GDPR): nothing was stored.");
  }
}

/**
 * Record one activity on a lead: at most one lead write beyond storing the activity.
 * 1. Read the lead together with the activity's own item (one BatchGetItem); a stored activity
 *    is a duplicate, however many activities came after it, and nothing is written. (A likely-new
 *    lead skips the read and is written if absent; if it exists, the read follows.)
 * 2. Evolve it (merge, rate limit, aggregate, score, stage, hand-off) and write it back
 *    conditionally on its version, carrying the activity as it will be stored (`lastActivity`);
 *    on a concurrent write, read again and redo (optimistic).
 * 3. Store the activity with what it changed.
 * A crash between 2 and 3 leaves the activity id in the lead's `applied` window and the
 * activity in `lastActivity`: the retry stores that one (never the retry's own content, which
 * may differ) and counts nothing again. If another activity was written in between, the retry
 * stores nothing: the score counted the activity once, and no other content is ever stored.
 * A lead being erased (GDPR) takes nothing more (409 `lead_being_erased`); nor is a lead this
 * call saw recreated when it vanishes between the read and the write (only an erase deletes a
 * lead): a request racing an erase never brings the person back.
 */
export async function recordActivity(
  deps: RecordDeps,
  change: LeadChange,
  options: RecordOptions,
): Promise<Recorded> {
  const [active, nurture]: [ActiveModel | undefined, ActiveNurture | undefined] = await Promise.all([
    deps.models.active(),
    deps.nurture?.active(),
  ]);
  let prev: LeadState | undefined;
  let sawLead = false;
  let known = !options.expectNew;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (known) {
      const read = await deps.leads.loadForActivity(change.leadId, change.activity.activityId);
      prev = read.lead;
      if (read.activityStored) return { lead: prev, activity: change.activity, duplicate: true };
      if (prev?.erasing || (sawLead && !prev)) throw new LeadBeingErasedError();
      sawLead ||= prev !== undefined;
      if (!prev && !options.createIfMissing) throw new LeadNotFoundError();
    }
    const evolution: Evolution = evolveLead(prev, change, active, deps.clock.now(), nurture);
    if (evolution.kind === 'rate_limited') throw new RateLimitedError(60);
    if (evolution.kind === 'duplicate') return heal(deps, prev, change.activity);
    const activity = { ...change.activity, effect: evolution.effect };
    const next: LeadState = { ...evolution.next, lastActivity: activity };
    if (prev) {
      if (await deps.leads.replace(next, prev.version)) return store(deps, next, activity);
      known = true;
      continue;
    }
    const created = await deps.leads.create(next);
    if (created.created) return store(deps, next, activity);
    // The lead exists after all: read it with this activity's item (a replay must be recognised).
    known = true;
  }
  throw new Error(`lead ${change.leadId} kept changing under ${ATTEMPTS} attempts`);
}

/** An activity applied to the lead but not on its timeline: store it as it was applied, once. */
async function heal(deps: RecordDeps, lead: LeadState | undefined, retried: Activity): Promise<Recorded> {
  const applied = lead?.lastActivity?.activityId === retried.activityId ? lead.lastActivity : undefined;
  if (applied) await deps.leads.putActivity(applied);
  return { lead, activity: applied ?? retried, duplicate: true };
}

async function store(deps: RecordDeps, lead: LeadState, activity: Activity): Promise<Recorded> {
  // The lead write already holds the pending hand-off (the outbox): the send goes out beside the
  // activity put (neither needs the other), and a failed send is retried by tick. A failed put
  // waits for the send to settle, then fails the request; its retry stores the activity once
  // (the lead's applied window) and the FIFO deduplication id drops a second send.
  const sending =
    activity.effect?.handoff && deps.sendHandoff
      ? deps.sendHandoff(lead).then(
          () => true,
          () => false,
        )
      : undefined;
  const put = await deps.leads.putActivity(activity).catch(async (error: unknown) => {
    await sending;
    throw error;
  });
  const recorded: Recorded = { lead, activity, duplicate: put.duplicate };
  if (sending) recorded.handoffSent = await sending;
  return recorded;
}
