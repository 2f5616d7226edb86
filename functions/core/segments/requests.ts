import { LeadflowError } from '../kernel/errors';
import { previewSegment, type SegmentPreviewDeps } from './preview';
import type { SegmentList, SegmentPreview } from './responses';
import { parseDefinition, segmentIn } from './saved';
import type { SavedSegment } from './segment-schema';

/** The nurture config's versions as segments read them: the active document's `segments:` list. */
export interface SegmentVersions {
  active(): Promise<{ version: number; document: { segments?: SavedSegment[] } } | undefined>;
}

/** No nurture config is active: there are no saved segments to name (404, like the nurture admin). */
export class NoActiveSegmentsError extends LeadflowError {
  readonly code = 'config_not_found';
}

/** GET /v1/admin/segments: the active config's saved segments (none while no config is active). */
export async function listSegments(versions: SegmentVersions): Promise<SegmentList> {
  const active = await versions.active();
  return { version: active?.version ?? null, segments: active?.document.segments ?? [] };
}

/** A saved segment of the active config, by id: what broadcasts and the lead list resolve. */
export async function activeSegment(versions: SegmentVersions, segmentId: string): Promise<SavedSegment> {
  const active = await versions.active();
  if (!active)
    throw new NoActiveSegmentsError('No nurture config is active yet: add a version and activate it.');
  return segmentIn(active.document.segments, segmentId);
}

/**
 * POST /v1/admin/segments/preview: the count and sample of a definition being edited (checked
 * here, errors at `definition.…`) or of a saved segment of the active config.
 */
export async function previewSegmentFor(
  deps: SegmentPreviewDeps & { versions: SegmentVersions },
  body: { definition?: unknown; segmentId?: string },
): Promise<SegmentPreview> {
  const definition =
    body.segmentId !== undefined
      ? (await activeSegment(deps.versions, body.segmentId)).definition
      : parseDefinition(body.definition);
  return previewSegment(deps, definition);
}
