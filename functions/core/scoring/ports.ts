import type { ActiveModel } from '../leads/evolve';

export interface ScoringModels {
  /** The active scoring model, or undefined when none was published yet. */
  active(): Promise<ActiveModel | undefined>;
}
