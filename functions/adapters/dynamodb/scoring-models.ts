import type { ActiveModel } from '../../core/leads/evolve';
import type { ScoringModel } from '../../core/scoring/model-schema';
import type { ScoringModels } from '../../core/scoring/ports';
import { ActiveConfigCache } from './active-config-cache';
import type { DynamoConfigStore } from './config-store';

/** Scoring has one model document, under this id. */
export const SCORING_MODEL_ID = 'default';

/** The active scoring model, cached per container (ActiveConfigCache). */
export class CachedScoringModels implements ScoringModels {
  private readonly cache: ActiveConfigCache<ActiveModel>;

  constructor(store: DynamoConfigStore, ttlMs: number, now: () => number = Date.now) {
    this.cache = new ActiveConfigCache(
      store,
      'scoring',
      ttlMs,
      ({ document, version }) => ({ model: document as ScoringModel, version }),
      now,
    );
  }

  active(): Promise<ActiveModel | undefined> {
    return this.cache.active(SCORING_MODEL_ID);
  }
}
