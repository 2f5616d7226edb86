import { z } from 'zod';
import { STAGES } from '../leads/lead';
import { savedSegmentSchema } from '../segments/segments';

/**
 * Nurture config as the marketer writes it: config/settings.yaml, config/sequences/*.yaml,
 * config/templates/*.yaml (+ layout.yaml). Published as one versioned document, so every
 * cross-reference (a step's template, a template's variables) is checked in one place.
 * Runtime paths import the types only (`import type`): versions are validated on write.
 */
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'ids are lower-case letters, digits and -');
const activityType = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'activity types are [a-z0-9_]');
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM (24 h)');
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
const weekday = z.enum(WEEKDAYS);
const stage = z.enum(STAGES);
const timezone = z.string().refine(isTimeZone, 'an IANA time zone such as Europe/Berlin');

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Wait before a step: a duration (0 = at once), or until the next weekday and time in the lead's zone. */
export const waitSchema = z.union([
  z
    .object({
      days: z.number().int().min(0).max(365).default(0),
      hours: z.number().int().min(0).max(23).default(0),
      minutes: z.number().int().min(0).max(59).default(0),
    })
    .strict(),
  z.object({ until: z.object({ weekday, time: hhmm }).strict() }).strict(),
]);
export type Wait = z.infer<typeof waitSchema>;

/** Send the step only when this holds; otherwise the step is skipped (`condition_not_met`). */
export const conditionSchema = z.union([
  z.object({ score: z.object({ min: z.number().optional(), max: z.number().optional() }).strict() }).strict(),
  z.object({ stage: z.object({ in: z.array(stage).min(1) }).strict() }).strict(),
  z
    .object({
      field: z.string().min(1).max(64),
      present: z.boolean().optional(),
      equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
      in: z
        .array(z.union([z.string(), z.number()]))
        .min(1)
        .optional(),
    })
    .strict(),
  z.object({ activity: activityType, happened: z.boolean().default(true) }).strict(),
  /** A saved segment of the same config (`segments:`), by id. */
  z.object({ segment: slug }).strict(),
]);
export type StepCondition = z.infer<typeof conditionSchema>;

/**
 * One A/B variant of a step: its own subject (Liquid, like a template's), its own template, or
 * both. `share` is the percent of the step's leads that get it; a lead always gets the same one.
 */
export const stepVariantSchema = z
  .object({
    name: z
      .string()
      .regex(
        /^[a-z0-9][a-z0-9-]{0,31}$/,
        'variant names are lower-case letters, digits and - (e.g. a, short-subject)',
      ),
    subject: z.string().min(1).max(998).optional(),
    template: slug.optional(),
    share: z
      .number()
      .int('a share is a whole percent')
      .min(1, 'a share is at least 1%')
      .max(99, 'a share is at most 99%'),
  })
  .strict()
  .refine((v) => v.subject !== undefined || v.template !== undefined, {
    message: 'a variant changes the subject, the template or both: give subject or template',
  });
export type StepVariant = z.infer<typeof stepVariantSchema>;

/** Two to four variants with distinct names whose shares add up to 100%. */
const stepVariantsSchema = z
  .array(stepVariantSchema)
  .min(2, 'an A/B step has two to four variants')
  .max(4, 'an A/B step has two to four variants')
  .superRefine((variants, ctx) => {
    const total = variants.reduce((sum, v) => sum + v.share, 0);
    if (total !== 100)
      ctx.addIssue({
        code: 'custom',
        message: `the variants' shares add up to ${total}%; they must add up to 100%`,
      });
    variants.forEach((v, i) => {
      if (variants.findIndex((other) => other.name === v.name) !== i)
        ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `variant "${v.name}" is named twice` });
    });
  });

export const stepSchema = z
  .object({
    id: slug,
    wait: waitSchema.default({ days: 0, hours: 0, minutes: 0 }),
    template: slug,
    /** A welcome email goes out at once, whatever the send window (the frequency cap still applies). */
    ignoreSendWindow: z.boolean().default(false),
    when: conditionSchema.optional(),
    /** A/B test: each lead gets one variant (by a hash of lead, sequence and step); `template` is the default. */
    variants: stepVariantsSchema.optional(),
  })
  .strict();
export type Step = z.infer<typeof stepSchema>;

export const triggerSchema = z.union([
  z.object({ on: z.literal('form_submitted'), formId: z.string().min(1).max(200).optional() }).strict(),
  z.object({ on: z.literal('stage_reached'), stage }).strict(),
  z.object({ on: z.literal('activity'), type: activityType }).strict(),
  z.object({ on: z.literal('manual') }).strict(),
]);
export type Trigger = z.infer<typeof triggerSchema>;

export const sequenceSchema = z
  .object({
    id: slug,
    name: z.string().min(1).max(200),
    description: z.string().max(2000).optional(),
    enabled: z.boolean().default(true),
    trigger: triggerSchema,
    entry: z
      .object({
        /** Marketing email needs consent (default). */
        requireConsent: z.boolean().default(true),
        /** never: once per lead; after_exit: again once the previous enrollment ended. */
        reentry: z.enum(['never', 'after_exit']).default('never'),
      })
      .strict()
      .default({ requireConsent: true, reentry: 'never' }),
    steps: z.array(stepSchema).min(1).max(50),
    exit: z
      .object({
        /** Became hot or owned by sales (default on: sales talks to them now). */
        onHandoff: z.boolean().default(true),
        stages: z.array(stage).default([]),
        activities: z.array(activityType).default([]),
        /** The goal: an activity that ends the enrollment as `goal_met`. */
        goal: activityType.optional(),
      })
      .strict()
      .default({ onHandoff: true, stages: [], activities: [] }),
  })
  .strict();
export type Sequence = z.infer<typeof sequenceSchema>;

export const templateSchema = z
  .object({
    id: slug,
    name: z.string().max(200).optional(),
    subject: z.string().min(1).max(998),
    /** Liquid in MJML content components (mjml.ts); compiled into `html` on validate and publish. */
    mjml: z.string().min(1).max(100_000).optional(),
    /** Liquid; HTML-escaped output by default. Rendered inside the layout's `content`. Derived when `mjml` is given. */
    html: z.string().min(1).max(100_000),
    text: z.string().min(1).max(100_000),
  })
  .strict();
export type Template = z.infer<typeof templateSchema>;

/** The shared frame of every marketing email: must show the postal address and the unsubscribe link. */
export const layoutSchema = z
  .object({
    /** An `<mjml>` document with the slot `<mj-text>{{ content }}</mj-text>`; compiled into `html`. */
    mjml: z.string().min(1).max(100_000).optional(),
    html: z.string().min(1).max(100_000),
    text: z.string().min(1).max(100_000),
  })
  .strict();
export type Layout = z.infer<typeof layoutSchema>;

const emailAddress = z.email();
export const settingsSchema = z
  .object({
    sender: z.object({ email: emailAddress, name: z.string().min(1).max(200) }).strict(),
    replyTo: emailAddress.optional(),
    /** CAN-SPAM: every marketing email carries the sender's postal address. */
    postalAddress: z.string().min(10).max(500),
    sendWindow: z
      .object({
        days: z.array(weekday).min(1),
        start: hhmm,
        end: hhmm,
        /** Used when the lead's own time zone (profile field `timezone`) is unknown. */
        timezone: timezone.default('UTC'),
      })
      .strict()
      .refine((w) => w.start < w.end, { message: 'start must be before end', path: ['end'] }),
    frequencyCap: z
      .object({
        perDay: z.number().int().min(1).max(50),
        perWeek: z.number().int().min(1).max(100),
      })
      .strict()
      .refine((c) => c.perDay <= c.perWeek, { message: 'perDay cannot exceed perWeek', path: ['perDay'] }),
    /**
     * Double opt-in forms: the template of the confirmation email and how long its link works.
     * Optional: without it, `confirm-subscription` and 7 days.
     */
    doubleOptIn: z
      .object({
        template: slug.default('confirm-subscription'),
        expiresInDays: z.number().int().min(1).max(30).default(7),
      })
      .strict()
      .optional(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const nurtureConfigSchema = z
  .object({
    settings: settingsSchema,
    layout: layoutSchema,
    templates: z.array(templateSchema).max(500),
    sequences: z.array(sequenceSchema).max(200),
    /** Saved segments (config/segments/*.yaml): broadcasts, the lead list and step conditions name them by id. */
    segments: z.array(savedSegmentSchema).max(200).optional(),
  })
  .strict();
export type NurtureConfig = z.infer<typeof nurtureConfigSchema>;
