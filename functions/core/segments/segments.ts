/**
 * The segments context's public face: what other contexts (nurture config, sequence conditions,
 * broadcasts, the lead list, lead writes) import. Segments read lead items only, never a timeline.
 */

export {
  type LeadFacts,
  SEGMENT_FACTS,
  SEGMENT_FACTS_VERSION,
  type SegmentFacts,
  type SegmentFactsPages,
  type SuppressionsAmong,
  segmentFactsOf,
} from './facts';
export { recordSeen } from './last-seen';
export { conditionHolds, matches, needsSuppression } from './matches';
export { previewSegment, type SegmentPreviewDeps } from './preview';
export { describeIssue, namedPath, problemsOf, type SegmentProblem } from './problems';
export {
  activeSegment,
  listSegments,
  NoActiveSegmentsError,
  previewSegmentFor,
  type SegmentVersions,
} from './requests';
export {
  type SegmentList,
  type SegmentPreview,
  segmentListSchema,
  segmentPreviewBodySchema,
  segmentPreviewEnvelopeSchema,
  segmentPreviewSchema,
} from './responses';
export { parseDefinition, SegmentNotFoundError, savedSegmentProblems, segmentIn } from './saved';
export { withSegments } from './segment-list';
export {
  type SavedSegment,
  type SegmentCondition,
  type SegmentDefinition,
  savedSegmentSchema,
  segmentDefinitionSchema,
  segmentIdSchema,
} from './segment-schema';
