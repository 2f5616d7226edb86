import type { Stage } from '../leads/lead';
import type { Score } from './score';

/** Stages scoring may lift to mql; the rest move only through sales outcomes. */
const LIFTED_BY_SCORE: ReadonlySet<Stage> = new Set(['subscriber', 'lead', 'recycled']);

/**
 * The stage after a new score. Scoring only moves a lead forward, and only to mql: a lower score
 * never demotes (an mql stays mql), and sql, opportunity, customer and disqualified change only
 * through sales outcomes. A recycled lead becomes an mql again when its score says so.
 */
export function nextStage(current: Stage, score: Pick<Score, 'mql'>): Stage {
  return score.mql && LIFTED_BY_SCORE.has(current) ? 'mql' : current;
}
