import type * as z from 'zod/mini';
import { leadIdFor, normalizeEmail } from '../kernel/email';
import { LeadNotFoundError, ValidationError } from '../kernel/errors';
import type { ActiveModel } from '../leads/evolve';
import type { Activity, FieldValue, LeadState, ProfileField } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { backtestBodySchema, simulateBodySchema } from './admin-bodies';
import { validateScoringModel } from './model-schema';
import type { ScoringModels } from './ports';
import { rescoreLead } from './rescore';
import type { LeadPages } from './rescore-job';
import type { Backtest, LeadSummary, Simulation } from './responses';
import { emptyAggregate } from './score';

/** What the version use cases call the scoring model (in messages such as "No scoring model version 9."). */
export const SCORING_MODEL = 'scoring model';

/** A draft model is version 0: it was never stored. */
export function draftModel(
  document: unknown,
): ActiveModel & { warnings: { path: string; message: string }[] } {
  const result = validateScoringModel(document);
  if (!result.ok) {
    throw new ValidationError(
      result.errors.map((e) => ({ path: e.path ? `model.${e.path}` : 'model', message: e.message })),
      'The scoring model is not valid.',
    );
  }
  return { model: result.model, version: 0, warnings: result.warnings };
}

async function modelOrActive(models: ScoringModels, document: unknown): Promise<ActiveModel> {
  if (document !== undefined) return draftModel(document);
  const active = await models.active();
  if (!active) throw new ValidationError([{ path: 'model', message: 'no model is active yet: give one' }]);
  return active;
}

const summary = (lead: LeadState): LeadSummary => ({
  total: lead.score?.total ?? null,
  grade: lead.score?.grade ?? null,
  stage: lead.stage,
  hot: lead.score?.hot ?? false,
});

/**
 * Try a model before activating it: a stored lead (by id) or a sketched one (email, profile,
 * activities), under a draft model or the active one. Nothing is written.
 */
export async function simulate(
  deps: { leads: Pick<LeadStore, 'find'>; models: ScoringModels; now: Date },
  body: z.infer<typeof simulateBodySchema>,
): Promise<Simulation> {
  const active = await modelOrActive(deps.models, body.model);
  let lead: LeadState;
  let activities: Activity[];
  if (body.leadId) {
    const found = await deps.leads.find(body.leadId);
    if (!found) throw new LeadNotFoundError();
    ({ lead, activities } = found);
  } else if (body.lead) {
    const email = normalizeEmail(body.lead.email);
    const leadId = leadIdFor(email);
    const at = deps.now.toISOString();
    const profile: Record<string, ProfileField> = {};
    for (const [name, value] of Object.entries(body.lead.profile ?? {}))
      profile[name] = { value: value as FieldValue, source: 'simulation', at };
    lead = {
      leadId,
      email,
      stage: 'lead',
      profile,
      createdAt: at,
      updatedAt: at,
      version: 0,
      aggregate: emptyAggregate(),
      score: null,
    };
    activities = (body.lead.activities ?? []).map((a, i) => ({
      ...a,
      activityId: `sim_${i}`,
      leadId,
      source: 'simulation',
    }));
  } else {
    throw new ValidationError([{ path: 'leadId', message: 'give leadId or lead' }]);
  }
  const { next } = rescoreLead(active, lead, activities, deps.now);
  return { modelVersion: active.version, leadId: lead.leadId, stage: next.stage, score: next.score };
}

/**
 * Who would change under a draft model: a page of stored leads, each rebuilt from its timeline
 * and compared with its current score, stage and hot flag. Page on with `cursor`.
 */
export async function backtest(
  deps: { leads: Pick<LeadStore, 'find'> & LeadPages; now: Date },
  body: z.infer<typeof backtestBodySchema>,
): Promise<Backtest> {
  const draft = draftModel(body.model);
  const page = await deps.leads.page(body.cursor ?? null, body.limit ?? 50);
  const changes = [];
  for (const stored of page.leads) {
    const found = await deps.leads.find(stored.leadId);
    if (!found) continue;
    const { next } = rescoreLead(draft, found.lead, found.activities, deps.now);
    const from = summary(found.lead);
    const to = summary(next);
    if (
      from.stage !== to.stage ||
      from.hot !== to.hot ||
      from.grade !== to.grade ||
      from.total !== to.total
    ) {
      changes.push({ leadId: stored.leadId, from, to, turnsHot: to.hot && !from.hot });
    }
  }
  return { scanned: page.leads.length, changes, cursor: page.cursor, warnings: draft.warnings };
}
