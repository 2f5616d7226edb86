import * as z from 'zod/mini';
import { leadIdSchema } from '../kernel/lead-id';
import { strictError } from './broadcast-bodies';

/** Request and response bodies of the template routes (preview, variables). */
const source = z.string().check(z.minLength(1), z.maxLength(100_000));
const slug = z
  .string()
  .check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lower-case letters, digits and -'));

/** A template as the editor holds it: MJML or HTML (one of them), with its subject and text body. */
export const draftTemplateSchema = z
  .strictObject(
    {
      id: z.optional(slug),
      name: z.optional(z.string().check(z.maxLength(200))),
      subject: z.string().check(z.minLength(1), z.maxLength(998)),
      mjml: z.optional(source),
      html: z.optional(source),
      text: source,
    },
    { error: strictError },
  )
  .check(
    z.refine((t) => (t.mjml === undefined) !== (t.html === undefined), {
      message: 'give the body as mjml or as html (one of them)',
      path: ['mjml'],
    }),
  );
export type DraftTemplate = z.infer<typeof draftTemplateSchema>;

/** POST /v1/admin/templates/preview: a draft rendered for a stored lead or the sample profile. */
export const templatePreviewBodySchema = z
  .strictObject(
    {
      template: draftTemplateSchema,
      leadId: z.optional(leadIdSchema),
      sample: z.optional(z.literal(true)),
      /** The screen width the preview is shown at (px): elements wider than it are warned about. */
      width: z.optional(z.number().check(z.int(), z.minimum(280), z.maximum(1200))),
      version: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(999_999))),
    },
    { error: strictError },
  )
  .check(
    z.refine((b) => !(b.leadId && b.sample), {
      message: 'preview for a lead (leadId) or the sample profile (sample: true), not both',
      path: ['sample'],
    }),
  );
export type TemplatePreviewBody = z.infer<typeof templatePreviewBodySchema>;

const problem = z.object({ path: z.string(), message: z.string() });

export const templatePreviewSchema = z.object({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  /** Unknown variables, elements wider than the screen: shown, not refused. */
  warnings: z.array(problem),
  /** The config version whose layout and settings framed the preview. */
  version: z.number(),
});
export type TemplatePreview = z.infer<typeof templatePreviewSchema>;

export const VARIABLE_GROUPS = ['lead', 'custom', 'email'] as const;
export const templateVariableSchema = z.object({
  /** As written in Liquid: `firstName`, `custom.plan`, `unsubscribeUrl`. */
  name: z.string(),
  group: z.enum(VARIABLE_GROUPS),
  description: z.string(),
  /** The sample profile's value, when it has one. */
  example: z.optional(z.string()),
});
export const templateVariablesSchema = z.object({
  variables: z.array(templateVariableSchema),
  /** The Liquid filters a template may use. */
  filters: z.array(z.string()),
});
export type TemplateVariables = z.infer<typeof templateVariablesSchema>;
