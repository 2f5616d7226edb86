import * as z from 'zod/mini';
import { leadIdFor, normalizeEmail } from '../kernel/email';
import { LeadNotFoundError, ValidationError } from '../kernel/errors';
import type { ActiveModel } from '../leads/evolve';
import type { Activity, FieldValue, LeadState, ProfileField } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import { validateScoringModel } from './model-schema';
import type { ScoringModels } from './ports';
import { rescoreLead } from './rescore';
import type { LeadPages } from './rescore-job';
import type { Backtest, LeadSummary, Simulation } from './responses';
import { emptyAggregate } from './score';

/** Request bodies of the scoring admin routes. */
const activitySketch = z.object({
  type: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,63}$/)),
  at: z.iso.datetime({ offset: true }),
  formId: z.optional(z.string()),
  properties: z.optional(z.record(z.string(), z.unknown())),
});
export const simulateBodySchema = z.object({
  leadId: z.optional(z.string()),
  lead: z.optional(
    z.object({
      email: z.email(),
      profile: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
      activities: z.optional(z.array(activitySketch).check(z.maxLength(1000))),
    }),
  ),
  model: z.optional(z.unknown()),
});
/**
 * A backtest cursor as the previous page gave it: base64url JSON of a table key, `{pk, sk}`, both
 * non-empty strings within DynamoDB's key limits. Anything else is a 400, never a Scan that fails.
 */
export function isPageCursor(cursor: string): boolean {
  if (cursor.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(cursor)) return false;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return false;
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const { pk, sk, ...rest } = key as Record<string, unknown>;
  const part = (value: unknown, maxBytes: number) =>
    typeof value === 'string' && value.length > 0 && Buffer.byteLength(value) <= maxBytes;
  return Object.keys(rest).length === 0 && part(pk, 2048) && part(sk, 1024);
}

export const backtestBodySchema = z.object({
  model: z.unknown(),
  cursor: z.optional(
    z.nullable(
      z.string().check(z.refine(isPageCursor, { message: 'is not a cursor from a previous backtest page' })),
    ),
  ),
  limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(200))),
});
export const modelBodySchema = z.object({ model: z.unknown() });

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
