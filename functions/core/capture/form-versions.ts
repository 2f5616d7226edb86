import * as z from 'zod/mini';
import { basedOnSchema } from '../config-versions/versions';
import { ValidationError } from '../kernel/errors';
import { doubleOptInProblems } from '../nurture/confirmation';
import { type Form, formSchema } from './form-schema';

/** The word for forms in version errors ("No form version 9."). */
export const FORM = 'form';

/** POST /v1/admin/forms/{formId}/versions and .../validate: the form document as in config/forms/<id>.yaml. */
export const formBodySchema = z.object({
  form: z.unknown().check(z.describe('A form as in config/forms/<id>.yaml; `id` may be left out')),
  basedOn: z.optional(basedOnSchema),
});

/** What double opt-in needs of the active nurture config: its settings and templates. */
export type NurtureForForms = Parameters<typeof doubleOptInProblems>[1];

type Problem = { path: string; message: string };

/**
 * Checks a form as `leadflow config check` does: the form schema, the path's id, and double
 * opt-in against the active nurture config (its confirmation template must exist).
 * Output: problems at `form.<path>`, each message naming the field it is about in words.
 */
export function checkForm(
  formId: string,
  document: unknown,
  nurture: NurtureForForms,
): { ok: true; form: Form } | { ok: false; errors: Problem[] } {
  const given = document !== null && typeof document === 'object' && !Array.isArray(document) ? document : {};
  const withId = { id: formId, ...given } as Record<string, unknown>;
  if (withId.id !== formId)
    return {
      ok: false,
      errors: [{ path: 'form.id', message: `must be the form id in the path, "${formId}"` }],
    };
  const parsed = formSchema.safeParse(withId);
  if (!parsed.success)
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({
        path: ['form', ...issue.path].join('.'),
        message: inWords(withId, issue.path, issue.message),
      })),
    };
  const optIn = doubleOptInProblems([parsed.data], nurture);
  if (optIn.length > 0)
    return { ok: false, errors: optIn.map((message) => ({ path: 'form.consent.doubleOptIn', message })) };
  return { ok: true, form: parsed.data };
}

/** A valid form for a new version, or ValidationError (400) with the problems. */
export function draftForm(
  formId: string,
  document: unknown,
  nurture: NurtureForForms,
): { document: Form; warnings: Problem[] } {
  const checked = checkForm(formId, document, nurture);
  if (!checked.ok) throw new ValidationError(checked.errors, 'The form is not valid.');
  return { document: checked.form, warnings: [] };
}

/** `fields.2.label: too long` says which field by its name: `field "company": too long`. */
function inWords(form: Record<string, unknown>, path: PropertyKey[], message: string): string {
  if (path[0] !== 'fields' || typeof path[1] !== 'number') return message;
  const field = (form.fields as { name?: unknown }[] | undefined)?.[path[1]];
  const name = typeof field?.name === 'string' && field.name ? `"${field.name}"` : `number ${path[1] + 1}`;
  return `field ${name}: ${message}`;
}
