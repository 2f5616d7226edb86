import type * as z from 'zod/mini';
import { LeadflowError, ValidationError } from '../kernel/errors';
import { describeIssue, problemsOf, type SegmentProblem } from './problems';
import { type SavedSegment, type SegmentDefinition, segmentDefinitionSchema } from './segment-schema';

/** A segment id that names no saved segment of the active config: 404. */
export class SegmentNotFoundError extends LeadflowError {
  readonly code = 'segment_not_found';
}

/** The saved segment `id` of a config's `segments:` list. */
export function segmentIn(segments: readonly SavedSegment[] | undefined, id: string): SavedSegment {
  const found = segments?.find((segment) => segment.id === id);
  if (!found)
    throw new SegmentNotFoundError(`No saved segment "${id.slice(0, 64)}" in the active nurture config.`);
  return found;
}

/**
 * What only the whole list can tell (each segment already passed its schema): ids are unique.
 * Paths name the segment by its id.
 */
export function savedSegmentProblems(segments: readonly SavedSegment[]): SegmentProblem[] {
  const problems: SegmentProblem[] = [];
  const ids = new Set<string>();
  for (const segment of segments) {
    if (ids.has(segment.id))
      problems.push({
        path: `segments.${segment.id}.id`,
        message: `segment "${segment.id}" is defined twice`,
      });
    ids.add(segment.id);
  }
  return problems;
}

/** A definition from a request body or a file, checked; errors at the field in words under `prefix`. */
export function parseDefinition(document: unknown, prefix = 'definition'): SegmentDefinition {
  // Our words over the default locale's ("Too small: expected number to be >=1"); a schema's own message wins.
  const result = segmentDefinitionSchema.safeParse(document, {
    error: (issue) => describeIssue(issue as z.core.$ZodIssue),
  });
  if (!result.success)
    throw new ValidationError(problemsOf(result.error.issues, document, prefix), 'The segment is not valid.');
  return result.data;
}
