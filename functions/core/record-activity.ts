import { LeadNotFoundError, RateLimitedError } from './errors';
import { type ActiveModel, type Evolution, evolveLead, type LeadChange } from './evolve';
import type { Activity, LeadState } from './lead';
import type { ActiveNurture } from './nurture/enroll';
import type { Clock, LeadStore, ScoringModels } from './ports';

export interface RecordDeps {
  leads: LeadStore;
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

/**
 * Record one activity on a lead: at most one lead write beyond storing the activity.
 * 1. Read the lead (or, for a likely-new lead, skip the read and write it if absent).
 * 2. Evolve it (merge, rate limit, aggregate, score, stage, hand-off) and write it back
 *    conditionally on its version; on a concurrent write, read again and redo (optimistic).
 * 3. Store the activity with what it changed; a retried activity id stores nothing new.
 * The lead is written first: a crash before step 3 leaves the activity id in the lead's
 * `applied` list, so the retry skips straight to storing the activity, once.
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
  let known = !options.expectNew;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (known) {
      prev = await deps.leads.load(change.leadId);
      if (!prev && !options.createIfMissing) throw new LeadNotFoundError();
    }
    const evolution: Evolution = evolveLead(prev, change, active, deps.clock.now(), nurture);
    if (evolution.kind === 'rate_limited') throw new RateLimitedError(60);
    if (evolution.kind === 'duplicate') return store(deps, prev, change.activity, true);
    const activity = { ...change.activity, effect: evolution.effect };
    if (prev) {
      if (await deps.leads.replace(evolution.next, prev.version))
        return store(deps, evolution.next, activity, false);
      known = true;
      continue;
    }
    const created = await deps.leads.create(evolution.next);
    if (created.created) return store(deps, evolution.next, activity, false);
    prev = created.existing;
    known = prev === undefined;
  }
  throw new Error(`lead ${change.leadId} kept changing under ${ATTEMPTS} attempts`);
}

async function store(deps: RecordDeps, lead: LeadState | undefined, activity: Activity, duplicate: boolean) {
  const put = await deps.leads.putActivity(activity);
  const recorded: Recorded = { lead, activity, duplicate: duplicate || put.duplicate };
  if (activity.effect?.handoff && lead && deps.sendHandoff) {
    // The lead write already holds the pending hand-off (the outbox): a failed send is retried by tick.
    recorded.handoffSent = await deps.sendHandoff(lead).then(
      () => true,
      () => false,
    );
  }
  return recorded;
}
