import type { Form } from './form-schema';

export type { Form, FormField } from './form-schema';

/** UTM parameters, taken from the body or the page's query string. */
export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export const DEFAULT_HONEYPOT = '_gotcha';

/** What a form id looks like (config/forms/<id>.yaml): at most 64 characters. */
export const FORM_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** Whether a requested form id could name a form at all: checked before any look-up. */
export const isFormId = (id: string): boolean => FORM_ID.test(id);

/**
 * A filled honeypot: a non-empty string, or true. Browsers send "" for an untouched field and a
 * script may send false or null: a person, not a bot.
 */
export function honeypotFilled(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : value === true;
}

/** Origins the form answers CORS for and accepts posts from. */
export function isOriginAllowed(form: Form, origin: string | undefined): boolean {
  return origin !== undefined && form.allowedOrigins.includes(origin);
}
