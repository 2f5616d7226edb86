// The API's own definitions (functions/core/segments), type-only: the console cannot drift from them.
import type { SegmentList, SegmentPreview } from '../../../functions/core/segments/responses';
import type { SegmentCondition, SegmentDefinition } from '../../../functions/core/segments/segment-schema';

export type { SegmentCondition, SegmentDefinition, SegmentList, SegmentPreview };
export type SavedSegment = SegmentList['segments'][number];
export type ConditionType = SegmentCondition['type'];

export const CONDITION_LABELS: Record<ConditionType, string> = {
  field: 'Profile field',
  stage: 'Stage',
  grade: 'Grade',
  score: 'Score',
  source: 'Source',
  activity: 'Activity',
  email: 'Email engagement',
  consent: 'Consent',
  suppressed: 'Suppression',
};

export const FIELD_OPS = {
  equals: 'equals',
  in: 'is one of',
  contains: 'contains',
  starts_with: 'starts with',
  present: 'is present',
  not_present: 'is not present',
  between: 'is a number between',
  date_between: 'is a date between',
} as const;

export const SOURCE_KEY_LABELS = {
  source: 'Source',
  form: 'Form',
  ad_platform: 'Ad platform',
  utm_source: 'UTM source',
  utm_medium: 'UTM medium',
  utm_campaign: 'UTM campaign',
  utm_term: 'UTM term',
  utm_content: 'UTM content',
} as const;

export const STANDARD_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'country',
  'companySize',
  'createdAt',
];

/** A new condition of a type, with values that make sense to start from. */
export function newCondition(type: ConditionType): SegmentCondition {
  switch (type) {
    case 'field':
      return { type, field: 'country', op: 'equals', value: '' };
    case 'stage':
      return { type, in: ['mql'] };
    case 'grade':
      return { type, in: ['A'] };
    case 'score':
      return { type, min: 50 };
    case 'source':
      return { type, key: 'form', in: [''] };
    case 'activity':
      return { type, activity: 'page_viewed', happened: true, withinDays: 30 };
    case 'email':
      return { type, engaged: true, withinDays: 30 };
    case 'consent':
      return { type, is: 'granted' };
    case 'suppressed':
      return { type, is: false };
  }
}
