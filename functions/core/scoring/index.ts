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
