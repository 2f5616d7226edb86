import { segmentListSchema, segmentPreviewBodySchema, segmentPreviewSchema } from '../core/segments/segments';
import { auth, bearer, body, err, jsonBodyErrors, ok } from './openapi-parts';

/** Paths of the segments admin (served by functions/handlers/admin-nurture.ts); merge with `segmentSchemas`. */
export const segmentSchemas = {
  SegmentPreview: segmentPreviewBodySchema,
  SegmentPreviewResult: segmentPreviewSchema,
  SegmentList: segmentListSchema,
};

export const segmentPaths = {
  '/v1/admin/segments': {
    get: {
      summary: 'The saved segments of the active nurture config (marketing)',
      security: bearer,
      responses: { '200': ok('The active version and its segments', 'SegmentList'), ...auth },
    },
  },
  '/v1/admin/segments/preview': {
    post: {
      summary:
        'How many leads are in a segment now (a definition being edited, or a saved segmentId) and the first 20 of them',
      security: bearer,
      requestBody: body('SegmentPreview'),
      responses: {
        '200': ok(
          'The count (complete: false when the time budget ran out) and a sample',
          'SegmentPreviewResult',
        ),
        '400': err('Invalid definition (details name each field: definition.conditions.0.value)'),
        '404': err('Unknown segmentId, or no active nurture config (segment_not_found, config_not_found)'),
        ...jsonBodyErrors('64 KB'),
        ...auth,
      },
    },
  },
};
