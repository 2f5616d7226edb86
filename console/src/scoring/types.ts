/** The API's answers the Scoring page reads (functions/core/scoring): the console cannot drift from them. */
import type {
  EngagementRule,
  FIT_OPERATORS,
  FitCondition,
  FitRule,
  ScoringModel,
} from '../../../functions/core/scoring/model-schema';
import type { RescoreProgress } from '../../../functions/core/scoring/rescore-job';
import type { Backtest, Simulation } from '../../../functions/core/scoring/responses';

export type { Backtest, EngagementRule, FitCondition, FitRule, RescoreProgress, ScoringModel, Simulation };

export type FitOperator = (typeof FIT_OPERATORS)[number];

/** The operators of a fit rule as the page names them; a key the model lacks (or misses) fails to compile. */
export const OPERATOR_LABELS: Record<FitOperator, string> = {
  containsAny: 'contains any word of',
  in: 'is one of',
  range: 'is in the range',
  present: 'is filled in',
  equals: 'equals',
  emailDomain: 'email domain is',
};

/** Who made a change; versions stored before it was recorded have none. */
export interface ChangedBy {
  name: string;
  username?: string;
}

export interface VersionSummary {
  version: number;
  hash: string;
  createdAt: string;
  createdBy?: ChangedBy;
  activatedAt?: string;
  activatedBy?: ChangedBy;
}

export interface ScoringVersions {
  active: (VersionSummary & { document: ScoringModel }) | null;
  versions: VersionSummary[];
}

export interface Problem {
  path: string;
  message: string;
}

export type Validation = { valid: true; warnings: Problem[] } | { valid: false; errors: Problem[] };
