import type { Clock } from '../kernel/clock';
import type { ActiveModel } from '../leads/evolve';
import type { Activity, LeadState } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import { type ActiveNurture, nurtureOnActivity } from '../nurture/enroll';
import { rescoreLead, scoreChangedActivity } from './rescore';

export interface RescoreProgress {
  version: number;
  status: 'running' | 'done' | 'superseded';
  startedAt: string;
  finishedAt?: string;
  pages: number;
  scanned: number;
  rescored: number;
  changed: number;
  /** Where the next page starts; null before the first page and after the last. */
  cursor: string | null;
}

export interface LeadPages {
  page(cursor: string | null, limit: number): Promise<{ leads: LeadState[]; cursor: string | null }>;
}

export interface RescoreJobs {
  get(version: number): Promise<RescoreProgress | undefined>;
  latest(): Promise<RescoreProgress | undefined>;
  start(job: RescoreProgress): Promise<void>;
  /** Counts a page once: only when the job still stands at `from` (a redelivered page counts nothing). */
  completePage(
    version: number,
    from: string | null,
    page: { cursor: string | null; scanned: number; rescored: number; changed: number },
    at: string,
  ): Promise<boolean>;
  finish(version: number, status: 'superseded', at: string): Promise<void>;
}

export interface RescorePorts {
  leads: LeadStore & LeadPages;
  jobs: RescoreJobs;
  requestPage(version: number, cursor: string | null): Promise<void>;
  models: {
    version(version: number): Promise<ActiveModel | undefined>;
    activeVersion(): Promise<number | undefined>;
  };
  clock: Clock;
  /** Nurture follows what a rescore changes: stage triggers enroll, hand-off and stage exits fire. */
  nurture?: { active(): Promise<ActiveNurture | undefined> };
}

export const RESCORE_PAGE = 50;

/** Starts rescoring every lead under a newly activated model: one page at a time, through a queue. */
export async function startRescore(ports: RescorePorts, version: number): Promise<RescoreProgress> {
  const job: RescoreProgress = {
    version,
    status: 'running',
    startedAt: ports.clock.now().toISOString(),
    pages: 0,
    scanned: 0,
    rescored: 0,
    changed: 0,
    cursor: null,
  };
  await ports.jobs.start(job);
  await ports.requestPage(version, null);
  return job;
}

/**
 * One page of a rescore job. Idempotent: a lead already scored by this model version is
 * skipped, and the page is counted (and the next one requested) only by the first delivery.
 * 1. A job that is not running, or already past this page, does nothing.
 * 2. A model that is no longer active stops its job (`superseded`).
 * 3. Each lead's aggregate is rebuilt from its timeline, scored, settled and written back
 *    conditionally on its version; a moved score leaves a `score_changed` entry.
 */
export async function rescorePage(
  ports: RescorePorts,
  version: number,
  cursor: string | null,
): Promise<void> {
  const job = await ports.jobs.get(version);
  if (job?.status !== 'running' || job.cursor !== cursor) return;
  const now = ports.clock.now();
  const [model, activeVersion] = await Promise.all([
    ports.models.version(version),
    ports.models.activeVersion(),
  ]);
  if (!model || activeVersion !== version) {
    await ports.jobs.finish(version, 'superseded', now.toISOString());
    return;
  }
  const page = await ports.leads.page(cursor, RESCORE_PAGE);
  let rescored = 0;
  let changed = 0;
  for (const summary of page.leads) {
    if (summary.score?.modelVersion === version) continue;
    const moved = await rescoreOne(ports, model, summary.leadId, now);
    rescored += 1;
    if (moved) changed += 1;
  }
  const counted = await ports.jobs.completePage(
    version,
    cursor,
    { cursor: page.cursor, scanned: page.leads.length, rescored, changed },
    now.toISOString(),
  );
  if (counted && page.cursor) await ports.requestPage(version, page.cursor);
}

async function rescoreOne(
  ports: RescorePorts,
  model: ActiveModel,
  leadId: string,
  now: Date,
): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const found = await ports.leads.find(leadId);
    if (!found || found.lead.score?.modelVersion === model.version) return false;
    const { next, effect } = rescoreLead(model, found.lead, found.activities, now);
    const sequences = nurtureOnActivity(
      found.lead,
      next,
      { type: 'score_changed' } as Activity,
      await ports.nurture?.active(),
      now,
    );
    next.nurture = sequences.nurture;
    if (sequences.enrolled.length > 0) effect.enrolled = sequences.enrolled;
    if (sequences.exiting.length > 0) effect.exiting = sequences.exiting;
    if (!(await ports.leads.replace(next, found.lead.version))) continue;
    if (effect.score || effect.stage || effect.handoff || effect.enrolled || effect.exiting) {
      await ports.leads.putActivity(scoreChangedActivity(next, effect, model.version, now));
      return true;
    }
    return false;
  }
  throw new Error(`lead ${leadId} kept changing while rescoring`);
}
