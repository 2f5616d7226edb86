import { CONDITION_LABELS, type SavedSegment } from './types';

const TOP: Record<string, string> = {
  id: 'Id',
  name: 'Name',
  description: 'Description',
  definition: 'the conditions',
  'definition.match': 'Leads must match',
  'definition.conditions': 'the conditions',
};

/** A condition's setting by the label of its control, where it differs per type (`grade.in` → Grades). */
const SETTINGS: Record<string, string> = {
  type: 'Looks at',
  withinDays: 'In the last (days)',
  field: 'Field',
  op: 'Operator',
  value: 'Value',
  'field.min': 'From (number)',
  'field.max': 'To (number)',
  from: 'From (date)',
  to: 'To (date)',
  'stage.in': 'Stages',
  'grade.in': 'Grades',
  'score.min': 'Score at least',
  'score.max': 'Score at most',
  key: "Of the lead's",
  'source.in': 'Is one of',
  touch: 'Touch',
  activity: 'Activity type',
  happened: 'Happened',
  engaged: 'Email',
  by: 'By',
  'consent.is': 'Marketing consent',
  'suppressed.is': 'Suppressed',
};

/**
 * A field of the segment both people changed (`definition.conditions.1.in`), named as the editor
 * labels it: "Condition 2 (Grade): Grades".
 */
export function segmentFieldInWords(path: string, segment: SavedSegment): string {
  if (TOP[path]) return TOP[path];
  const match = /^definition\.conditions\.(\d+)(?:\.([^.]+))?/.exec(path);
  if (!match) return path === '(the whole document)' ? 'the whole segment' : path;
  const n = Number(match[1]);
  const condition = segment.definition.conditions[n];
  const type = condition ? ` (${CONDITION_LABELS[condition.type]})` : '';
  const key = match[2];
  const setting = key ? (SETTINGS[`${condition?.type}.${key}`] ?? SETTINGS[key] ?? key) : '';
  return `Condition ${n + 1}${type}${setting ? `: ${setting}` : ''}`;
}
