import type { ActiveModel } from '../../core/leads/evolve';
import type { ScoringModel } from '../../core/scoring/model-schema';
import type { ScoringModels } from '../../core/scoring/ports';
import type { DynamoConfigStore } from './config-store';

export const SCORING_MODEL_ID = 'default';

/**
 * The active scoring model, cached per container like forms. Versions are validated when they
 * are added, so the hot path reads them as they are.
 */
export class CachedScoringModels implements ScoringModels {
  private cached: { model: ActiveModel | undefined; until: number } | undefined;

  constructor(
    private readonly store: DynamoConfigStore,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async active(): Promise<ActiveModel | undefined> {
    if (this.cached && this.cached.until > this.now()) return this.cached.model;
    const active = await this.store.active('scoring', SCORING_MODEL_ID);
    const model = active ? { model: active.document as ScoringModel, version: active.version } : undefined;
    this.cached = { model, until: this.now() + this.ttlMs };
    return model;
  }
}
