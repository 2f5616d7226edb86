import { activateBodySchema } from '../core/config-versions/conflict';
import {
  broadcastBodySchema,
  broadcastPreviewBodySchema,
  configBodySchema,
  enrollBodySchema,
  previewBodySchema,
  testSendBodySchema,
} from '../core/nurture/admin-bodies';
import {
  broadcastPreviewSchema,
  broadcastProgressSchema,
  configDiffSchema,
  manualEnrollmentSchema,
  nurtureActivatedSchema,
  nurtureVersionsSchema,
  proofSentSchema,
  sequencePreviewSchema,
} from '../core/nurture/responses';
import {
  activationBody,
  activationErrors,
  auth,
  bearer,
  body,
  err,
  jsonBodyErrors,
  ok,
  pathParam,
  versionConflict,
} from './openapi-parts';

/** Paths of the nurture admin (functions/handlers/admin-nurture.ts); merge with `nurtureSchemas`. */
const invalid = err('Invalid body (details list each field by path)');
const configBodyErrors = jsonBodyErrors('512 KB');
const bodyErrors = jsonBodyErrors('64 KB');

export const nurtureSchemas = {
  NurtureVersions: nurtureVersionsSchema,
  NurtureActivated: nurtureActivatedSchema,
  NurtureDiff: configDiffSchema,
  SequencePreview: sequencePreviewSchema,
  ManualEnrollment: manualEnrollmentSchema,
  ProofSent: proofSentSchema,
  BroadcastPreviewResult: broadcastPreviewSchema,
  BroadcastProgress: broadcastProgressSchema,
  NurtureConfigBody: configBodySchema,
  ActivateVersionBody: activateBodySchema,
  NurturePreview: previewBodySchema,
  NurtureTestSend: testSendBodySchema,
  NurtureEnroll: enrollBodySchema,
  BroadcastPreview: broadcastPreviewBodySchema,
  Broadcast: broadcastBodySchema,
};

export const nurturePaths = {
  '/v1/admin/nurture': {
    get: {
      summary:
        'The active nurture config (settings, layout, templates, sequences) and every version (marketing)',
      security: bearer,
      responses: { '200': ok('Active version and versions, newest first', 'NurtureVersions'), ...auth },
    },
  },
  '/v1/admin/nurture/validate': {
    post: {
      summary: 'Validate a nurture config: errors with paths, or warnings',
      security: bearer,
      requestBody: body('NurtureConfigBody'),
      responses: {
        '200': ok('{valid, errors} or {valid, warnings}', 'ValidationResult'),
        '400': invalid,
        ...configBodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/nurture/versions': {
    post: {
      summary: 'Add a nurture config version (not active yet)',
      security: bearer,
      requestBody: body('NurtureConfigBody'),
      responses: {
        '201': ok('Version added', 'VersionAdded'),
        '400': err('Invalid config (paths under config.)'),
        ...versionConflict,
        ...configBodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/nurture/versions/{version}/activate': {
    post: {
      summary: 'Activate a version (forwards or back: a rollback is an activation too)',
      security: bearer,
      parameters: [pathParam('version')],
      requestBody: activationBody,
      responses: {
        '200': ok('Activated', 'NurtureActivated'),
        '400': err('Not a version number, or an invalid body'),
        '404': err('No such version'),
        ...activationErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/nurture/versions/{version}/diff/{other}': {
    get: {
      summary: 'What changed from one version to another: sequences, templates, settings keys, layout',
      security: bearer,
      parameters: [pathParam('version'), pathParam('other')],
      responses: {
        '200': ok('Added, removed and changed ids and keys', 'NurtureDiff'),
        '400': err('Not a version number'),
        '404': err('No such version'),
        ...auth,
      },
    },
  },
  '/v1/admin/sequences/{id}/preview': {
    post: {
      summary:
        'Render every step for a lead, a sketched profile or the sample profile, with headers and when it would send if enrolled now; writes nothing',
      security: bearer,
      parameters: [pathParam('id')],
      requestBody: body('NurturePreview'),
      responses: {
        '200': ok('One entry per step', 'SequencePreview'),
        '400': invalid,
        '404': err('Unknown sequence, lead, version, or no active config'),
        ...bodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/sequences/{id}/enrollments': {
    post: {
      summary: "Enroll a lead by hand, under the sequence's entry rules",
      security: bearer,
      parameters: [pathParam('id')],
      requestBody: body('NurtureEnroll'),
      responses: {
        '201': ok('Enrolled: the enrollment, its first step due now', 'ManualEnrollment'),
        '400': invalid,
        '404': err('Unknown sequence or lead'),
        '409': err('Refused by the entry rules: already_enrolled, no_consent, owned_by_sales...'),
        ...bodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/templates/{id}/test-send': {
    post: {
      summary:
        'Send a proof ([Proof] subject) to any address not on the suppression list; nothing is recorded',
      security: bearer,
      parameters: [pathParam('id')],
      requestBody: body('NurtureTestSend'),
      responses: {
        '202': ok('Sent: the SES message id', 'ProofSent'),
        '400': err('Invalid body, or suppressed_address, or SES refused the message (proof_rejected)'),
        '404': err('Unknown template, lead or version'),
        '429': err('SES throttled the proof: try again shortly'),
        '502': err('No answer from SES (proof_not_sent): the proof may or may not have gone out'),
        ...bodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/broadcasts/preview': {
    post: {
      summary: 'How many leads a broadcast would reach now, and why the rest of the segment is left out',
      security: bearer,
      requestBody: body('BroadcastPreview'),
      responses: {
        '200': ok('Recipients, and why the rest of the segment is left out', 'BroadcastPreviewResult'),
        '400': invalid,
        '404': err('Unknown template, or no active config'),
        ...bodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/broadcasts': {
    post: {
      summary:
        'Broadcast a template to a segment, now or at sendAt (optionally an A/B test first), through the same gates and caps as sequences; or keep it as a draft',
      security: bearer,
      parameters: [
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          description: 'A retry with the same key returns the broadcast it started instead of a second one',
          schema: { type: 'string', maxLength: 255 },
        },
      ],
      requestBody: body('Broadcast'),
      responses: {
        '201': ok(
          'Kept as a draft (`draft: true`): nothing is queued until it is scheduled',
          'BroadcastProgress',
        ),
        '202': ok('Started: the broadcast with its id', 'BroadcastProgress'),
        '400': invalid,
        '404': err('Unknown template, or no active config'),
        ...bodyErrors,
        ...auth,
      },
    },
  },
  '/v1/admin/broadcasts/{id}': {
    get: {
      summary:
        "A broadcast's progress: pages, scanned, enrolled, excluded; status draft, scheduled, running, done or cancelled",
      security: bearer,
      parameters: [pathParam('id')],
      responses: { '200': ok('Progress', 'BroadcastProgress'), '404': err('No such broadcast'), ...auth },
    },
  },
};
