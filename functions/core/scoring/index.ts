// The scoring API in one place. Lambda code on the activity path imports './score' and './stage'
// directly: this index also pulls in the model schema, and with it all of zod.
export type {
  EmailDomainType,
  EngagementRule,
  FitCondition,
  FitRule,
  Grade,
  ModelProblem,
  ModelValidation,
  ScoringModel,
} from './model-schema';
export { maxPoints, scoringModelSchema, validateScoringModel } from './model-schema';
export type {
  ActivityToApply,
  BreakdownEntry,
  EngagementAggregate,
  RuleHistory,
  Score,
  ScoreInput,
} from './score';
export { applyActivity, emptyAggregate, scoreLead } from './score';
export { nextStage } from './stage';
