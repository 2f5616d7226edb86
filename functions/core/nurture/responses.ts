import * as z from 'zod/mini';
import { activationSchema, configVersionsSchema } from '../scoring/responses';
import { segmentDefinitionSchema } from '../segments/segments';
import { segmentSchema } from './broadcast-bodies';
import { BROADCAST_STATUSES } from './broadcast-ports';
import { HOLD_REASONS } from './preview-hold';

/**
 * Answers of the nurture admin routes (/v1/admin/nurture..., sequences, templates, broadcasts),
 * documented in /v1/openapi.json; the use cases of this folder take their return types from here.
 */
const ids = z.array(z.string());
const change = z.object({ added: ids, removed: ids, changed: ids });

/** GET /v1/admin/nurture: the active config with its document, and every version. */
export const nurtureVersionsSchema = configVersionsSchema(
  z
    .record(z.string(), z.unknown())
    .check(z.describe('A nurture config: settings, layout, templates, sequences')),
);
export const nurtureActivatedSchema = z.object({ active: activationSchema });

/** What changed from one config to another (diffConfigs). */
export const configChangesSchema = z.object({
  settings: change.check(z.describe('Settings keys')),
  layout: z.object({ changed: z.boolean() }),
  templates: change.check(z.describe('Template ids')),
  sequences: change.check(z.describe('Sequence ids')),
  segments: change.check(z.describe('Saved segment ids')),
});
export type ConfigChanges = z.infer<typeof configChangesSchema>;
/** GET .../versions/{version}/diff/{other}: the two version numbers and the changes. */
export const configDiffSchema = z.extend(configChangesSchema, { from: z.number(), to: z.number() });

const header = z.object({ name: z.string(), value: z.string() });
export const stepPreviewSchema = z.object({
  stepId: z.string(),
  template: z.string(),
  subject: z.optional(z.string()),
  html: z.optional(z.string()),
  text: z.optional(z.string()),
  headers: z.array(header),
  when: z.string().check(z.describe('When it would be sent (or skipped) if enrolled now')),
  condition: z.optional(z.object({ holds: z.boolean() })),
  error: z.optional(z.string().check(z.describe('The template does not render for this subject'))),
  moved: z.optional(
    z
      .array(z.enum(['frequency_cap', 'send_window']))
      .check(z.describe('Why its time is later than its wait: the frequency cap, the send window')),
  ),
  variant: z.optional(
    z
      .string()
      .check(
        z.describe(
          "An A/B step: the variant a stored lead would get (the sender's choice); a sample or profile shows the first",
        ),
      ),
  ),
});
/** POST /v1/admin/sequences/{id}/preview. */
export const sequencePreviewSchema = z.object({
  version: z.number(),
  sequenceId: z.string(),
  subject: z.enum(['lead', 'profile', 'sample']),
  steps: z.array(stepPreviewSchema),
  wouldNotSend: z.optional(
    z
      .object({ reason: z.enum(HOLD_REASONS), message: z.string() })
      .check(z.describe("A stored lead would get none of it: the sender's gate says why, in words")),
  ),
});
export type SequencePreview = z.infer<typeof sequencePreviewSchema>;

/** POST /v1/admin/sequences/{id}/enrollments: the enrollment as written, its first step due now. */
export const manualEnrollmentSchema = z.object({
  leadId: z.string(),
  sequenceId: z.string(),
  enrollment: z.object({
    sequenceId: z.string(),
    number: z.number(),
    status: z.enum(['active', 'completed', 'exited']),
    enrolledAt: z.string(),
    step: z.number(),
    dueAt: z.optional(z.string()),
    waitFrom: z.optional(
      z.string().check(z.describe("The step's wait runs from this time (resolved when it is sent)")),
    ),
  }),
});
export type ManualEnrollment = z.infer<typeof manualEnrollmentSchema>;

/** POST /v1/admin/templates/{id}/test-send: SES's id of the proof. */
export const proofSentSchema = z.object({ messageId: z.string() });
export type ProofSent = z.infer<typeof proofSentSchema>;

const excluded = z.object({
  suppressed: z.number(),
  noConsent: z.number(),
  ownedBySales: z.number(),
  test: z.number(),
});
/** POST /v1/admin/broadcasts/preview. */
export const broadcastPreviewSchema = z.object({
  recipients: z.number(),
  excluded,
  scanned: z.number(),
  complete: z.boolean().check(z.describe('false when the count stopped before the last lead')),
});
export type BroadcastPreview = z.infer<typeof broadcastPreviewSchema>;

const by = z.object({ name: z.string(), username: z.optional(z.string()) });
/** POST /v1/admin/broadcasts and GET /v1/admin/broadcasts/{id}: a broadcast and its progress. */
export const broadcastProgressSchema = z.object({
  broadcastId: z.string(),
  name: z.string(),
  template: z.string(),
  // With a saved segment (segmentId), its definition as it was when the broadcast was made.
  segment: z.extend(segmentSchema, { definition: z.optional(segmentDefinitionSchema) }),
  sendAt: z.string(),
  ignoreSendWindow: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  by: by.check(z.describe('Who made it')),
  status: z
    .enum(BROADCAST_STATUSES)
    .check(
      z.describe(
        'scheduled: started, its sendAt ahead; running: pages being enrolled or an A/B test waiting',
      ),
    ),
  finishedAt: z.optional(z.string()),
  cancelledAt: z.optional(z.string()),
  cancelledBy: z.optional(by),
  editedAt: z.optional(z.string()),
  editedBy: z.optional(by),
  scheduledAt: z.optional(z.string()),
  scheduledBy: z.optional(by),
  abTest: z.optional(
    z.object({
      variants: z.array(
        z.object({ id: z.string(), subject: z.optional(z.string()), template: z.optional(z.string()) }),
      ),
      testShare: z.number(),
      metric: z.enum(['opened', 'clicked']),
      waitHours: z.number(),
      decideAt: z.string(),
      winner: z.optional(z.string()),
      decidedAt: z.optional(z.string()),
    }),
  ),
  phase: z.optional(z.enum(['test', 'rest'])),
  pages: z.number(),
  scanned: z.number(),
  enrolled: z.number(),
  excluded,
});
export type BroadcastProgress = z.infer<typeof broadcastProgressSchema>;

/** GET /v1/admin/broadcasts: newest first; `cursor` asks for the next page (null: no more). */
export const broadcastListSchema = z.object({
  broadcasts: z.array(broadcastProgressSchema),
  cursor: z.nullable(z.string()),
});
export type BroadcastList = z.infer<typeof broadcastListSchema>;

const variantResult = z.object({
  id: z.string(),
  subject: z.optional(z.string()),
  template: z.string(),
  sent: z.number(),
  opened: z.number(),
  clicked: z.number(),
  rate: z.number().check(z.describe("The winner metric's share of sends (0..1)")),
  winner: z.boolean(),
});
/** GET /v1/admin/broadcasts/{id}/results: progress and results from the email report. */
export const broadcastResultsSchema = z.object({
  broadcastId: z.string(),
  status: z.enum(BROADCAST_STATUSES),
  freshAsOf: z.nullable(
    z.string().check(z.describe('The reports count timeline entries up to a tick behind')),
  ),
  progress: z.object({
    enrolled: z.number(),
    sent: z.number(),
    skipped: z.number(),
    failed: z.number(),
    pending: z.number().check(z.describe('Enrolled, not yet sent, skipped or failed')),
  }),
  results: z.object({
    delivered: z.number(),
    opened: z.number(),
    clicked: z.number(),
    opens: z.number(),
    clicks: z.number(),
    bounced: z.number(),
    complained: z.number(),
    unsubscribed: z.number(),
    skippedBroadcastCancelled: z.number(),
  }),
  abTest: z.optional(
    z.object({
      metric: z.enum(['opened', 'clicked']),
      winner: z.optional(z.string()),
      decideAt: z.string(),
      variants: z.array(variantResult),
      significance: z.optional(
        z.object({
          leader: z.string(),
          runnerUp: z.string(),
          z: z.number(),
          significant: z.boolean(),
          label: z.string(),
        }),
      ),
    }),
  ),
});
export type BroadcastResults = z.infer<typeof broadcastResultsSchema>;
