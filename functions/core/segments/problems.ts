import type * as z from 'zod/mini';

/** A problem with a segment, at its field: `segments.hot-eu.definition.conditions.0.value`. */
export interface SegmentProblem {
  path: string;
  message: string;
}

/**
 * The path of an issue with the ids the marketer wrote in place of list indexes where an item has
 * one (`segments.3` → `segments.hot-eu`); items without an id (conditions) keep their index.
 */
export function namedPath(document: unknown, path: readonly PropertyKey[]): string {
  const out: string[] = [];
  let at: unknown = document;
  for (const key of path) {
    const item =
      at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[key] : undefined;
    const id =
      typeof key === 'number' && item !== null && typeof item === 'object'
        ? (item as { id?: unknown }).id
        : undefined;
    out.push(typeof id === 'string' && id !== '' ? id : String(key));
    at = item;
  }
  return out.join('.');
}

/** zod/mini carries no messages: an issue said in words, naming what would be right. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  // A schema's own message (a refine's, a pattern's) says it best; the built-in ones get our words.
  if (issue.message && (issue.code === 'custom' || issue.code === 'invalid_format')) return issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'array' ? 'must be a list' : `must be ${article(issue.expected)}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      return `must be ${values.length > 1 ? `${values.slice(0, -1).join(', ')} or ${values.at(-1)}` : values[0]}`;
    }
    case 'invalid_union': {
      const options = (issue as { options?: unknown[] }).options;
      return options ? `must be one of ${options.join(', ')}` : 'is not one of the allowed shapes';
    }
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''}: ${issue.keys.join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `needs at least ${issue.minimum} item${issue.minimum === 1 ? '' : 's'}`
        : issue.origin === 'string'
          ? issue.minimum === 1
            ? 'must not be empty'
            : `must be at least ${issue.minimum} characters`
          : `must be ${issue.inclusive ? 'at least' : 'more than'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `takes at most ${issue.maximum} items`
        : issue.origin === 'string'
          ? `must be at most ${issue.maximum} characters`
          : `must be ${issue.inclusive ? 'at most' : 'less than'} ${issue.maximum}`;
    case 'invalid_format':
      return 'is not in the expected format';
    case 'not_multiple_of':
      return issue.divisor === 1 ? 'must be a whole number' : `must be a multiple of ${issue.divisor}`;
    default:
      return 'is not valid';
  }
}

function article(type: string): string {
  if (type === 'int') return 'a whole number';
  if (type === 'object') return 'a mapping (name: value)';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Every issue of a parse, at its named path under `prefix`. */
export function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  document: unknown,
  prefix = '',
): SegmentProblem[] {
  return issues.map((issue) => {
    const path = namedPath(document, issue.path);
    return { path: [prefix, path].filter(Boolean).join('.'), message: describeIssue(issue) };
  });
}
