import type { Clock } from '../kernel/clock';
import type { Activity, LeadState, Stage } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import { type ActiveNurture, type NurtureChange, nurtureOnActivity } from './enroll';

export interface StageChangeDeps {
  leads: Pick<LeadStore, 'load' | 'replace'>;
  nurture: { active(): Promise<ActiveNurture | undefined> };
  clock: Clock;
}

const ATTEMPTS = 8;

/**
 * Nurture after a stage change made outside an activity's lead write (a sales outcome: recycled
 * back to nurture, won, disqualified): `stage_reached` triggers enroll and stage exit rules fire,
 * as if the stage had moved in an activity. One optimistic write, only when something changes.
 */
export async function nurtureOnStageChange(
  deps: StageChangeDeps,
  leadId: string,
  from: Stage,
  activity: Pick<Activity, 'type'> & Partial<Activity>,
): Promise<Pick<NurtureChange, 'enrolled' | 'exiting'>> {
  const none = { enrolled: [], exiting: [] };
  const active = await deps.nurture.active();
  if (!active) return none;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    const lead = await deps.leads.load(leadId);
    if (!lead || lead.stage === from) return none;
    const now = deps.clock.now();
    const change = nurtureOnActivity({ ...lead, stage: from }, lead, activity as Activity, active, now);
    if (change.enrolled.length === 0 && change.exiting.length === 0) return none;
    const next: LeadState = {
      ...lead,
      nurture: change.nurture,
      version: lead.version + 1,
      updatedAt: now.toISOString(),
    };
    if (await deps.leads.replace(next, lead.version))
      return { enrolled: change.enrolled, exiting: change.exiting };
  }
  throw new Error(`lead ${leadId} kept changing while nurture followed its stage`);
}
