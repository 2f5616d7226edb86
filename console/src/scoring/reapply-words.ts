import type { ScoringModel } from './types';

/** The model's own settings by the label of their input (`thresholds.mql` → MQL at (points)). */
const SETTINGS: Record<string, string> = {
  fit: 'the fit rules',
  engagement: 'the engagement rules',
  grades: 'Grades (fit points needed)',
  thresholds: 'Qualified and hot',
  'thresholds.mql': 'MQL at (points)',
  'thresholds.hot': 'Hot at (points)',
  'thresholds.hotMinGrade': 'Hot needs grade',
  decay: 'Half-life in days',
  'decay.halfLifeDays': 'Half-life in days',
};

/**
 * A rule's setting by its column (each cell's label on a phone): `when.containsAny` → Value; what
 * narrows an activity by its input's label (Form, Path starts with).
 */
const RULE_SETTINGS: Record<string, string> = {
  id: 'Id',
  points: 'Points',
  description: 'Description',
  'when.field': 'Field',
  'when.containsAny': 'Value',
  'when.in': 'Value',
  'when.range': 'Value',
  'when.range.min': 'Value: from',
  'when.range.max': 'Value: to',
  'when.present': 'Value',
  'when.equals': 'Value',
  'when.emailDomain': 'Value',
  'when.activity': 'Activity',
  'when.formId': 'Form',
  'when.pathPrefix': 'Path starts with',
  cap: 'At most a day and at most in all',
  'cap.perDay': 'At most a day',
  'cap.total': 'At most in all',
};

/**
 * A field of the scoring model both people changed (`fit.0.when.containsAny.1`), named as the page
 * labels it: "Fit rule 1 (senior-title): Value", "Engagement rule 2 (demo-request): At most a day",
 * "Grade B from", "MQL at (points)".
 */
export function scoringFieldInWords(path: string, model: ScoringModel): string {
  const rule = /^(fit|engagement)\.(\d+)(?:\.(.+))?$/.exec(path);
  if (rule) {
    const [, kind, index, rest] = rule;
    const n = Number(index);
    const id = (kind === 'fit' ? model.fit : model.engagement)[n]?.id;
    const name = `${kind === 'fit' ? 'Fit' : 'Engagement'} rule ${n + 1}${id ? ` (${id})` : ''}`;
    if (!rest) return name;
    // A word of a list (`when.in.2`) is the list's cell.
    const key = rest.replace(/\.\d+$/, '');
    const setting = key === 'when' ? (kind === 'fit' ? 'Test' : 'Activity') : (RULE_SETTINGS[key] ?? key);
    return `${name}: ${setting}`;
  }
  const grade = /^grades\.([A-D])$/.exec(path);
  if (grade) return `Grade ${grade[1]} from`;
  if (SETTINGS[path]) return SETTINGS[path];
  return path === '(the whole document)' ? 'the whole model' : path;
}
