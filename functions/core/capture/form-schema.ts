import { z } from 'zod';
import { DEFAULT_HONEYPOT, FORM_ID } from './form';

/**
 * The form config schema: validates config/forms/*.yaml and every published version.
 * Every object is strict: a key the schema does not know (a typo, or half of a label a YAML
 * flow mapping split at a comma) is an error at that object's path, naming the key.
 */
const strict = <Shape extends z.ZodRawShape>(shape: Shape) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
        : undefined,
  });

const fieldName = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'field names are letters, digits and _, starting with a letter');

const baseField = {
  name: fieldName,
  label: z.string().max(200).optional(),
  required: z.boolean().default(false),
};

export const formFieldSchema = z.discriminatedUnion('type', [
  strict({
    ...baseField,
    type: z.literal('text'),
    maxLength: z.number().int().min(1).max(2000).default(200),
    /**
     * A name (like firstName, lastName, company, jobTitle, which always are): refuses web
     * addresses, domains, email addresses and markup, so no one can mail a message in it.
     */
    nameLike: z.boolean().optional(),
  }),
  strict({
    ...baseField,
    type: z.literal('textarea'),
    maxLength: z.number().int().min(1).max(10000).default(5000),
  }),
  strict({ ...baseField, type: z.literal('email') }),
  strict({ ...baseField, type: z.literal('phone') }),
  strict({ ...baseField, type: z.literal('country') }),
  strict({ ...baseField, type: z.literal('boolean') }),
  strict({
    ...baseField,
    type: z.literal('number'),
    min: z.number().optional(),
    max: z.number().optional(),
  }),
  strict({ ...baseField, type: z.literal('select'), options: z.array(z.string().min(1).max(200)).min(1) }),
]);
export type FormField = z.infer<typeof formFieldSchema>;

const origin = z
  .url({ protocol: /^https?$/ })
  .refine((value) => new URL(value).origin === value, 'an origin is scheme://host[:port], no path');

/** A form, as the marketer writes it in config/forms/<id>.yaml. */
export const formSchema = strict({
  id: z.string().regex(FORM_ID, 'form ids are lower-case letters, digits and -'),
  name: z.string().min(1).max(200),
  description: z.string().max(2000).optional(),
  stage: z.enum(['subscriber', 'lead']).default('lead'),
  thankYouUrl: z.url({ protocol: /^https?$/ }),
  allowedOrigins: z.array(origin).min(1),
  honeypotField: z.string().default(DEFAULT_HONEYPOT),
  consent: strict({
    field: fieldName.default('consent'),
    text: z.string().min(1).max(2000),
    required: z.boolean().default(false),
    /**
     * Double opt-in: ticking the box is not enough; marketing consent is granted (and nurture
     * starts) only when the person clicks the link in a confirmation email.
     */
    doubleOptIn: z.boolean().default(false),
  }).optional(),
  fields: z.array(formFieldSchema).min(1).max(100),
}).superRefine((form, ctx) => {
  const names = form.fields.map((f) => f.name);
  const email = form.fields.find((f) => f.name === 'email');
  if (email?.type !== 'email' || !email.required) {
    ctx.addIssue({
      code: 'custom',
      path: ['fields'],
      message: 'a form needs a required field "email" of type email',
    });
  }
  names.forEach((name, i) => {
    if (names.indexOf(name) !== i) {
      ctx.addIssue({
        code: 'custom',
        path: ['fields', i, 'name'],
        message: `field "${name}" is declared twice`,
      });
    }
  });
  if (form.consent && !names.includes(form.consent.field)) {
    ctx.addIssue({
      code: 'custom',
      path: ['consent', 'field'],
      message: `consent field "${form.consent.field}" is not one of the form's fields`,
    });
  }
});
export type Form = z.infer<typeof formSchema>;
