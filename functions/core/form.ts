import type { Form } from './form-schema';

export type { Form, FormField } from './form-schema';

/** UTM parameters, taken from the body or the page's query string. */
export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export const DEFAULT_HONEYPOT = '_gotcha';

/** Origins the form answers CORS for and accepts posts from. */
export function isOriginAllowed(form: Form, origin: string | undefined): boolean {
  return origin !== undefined && form.allowedOrigins.includes(origin);
}
