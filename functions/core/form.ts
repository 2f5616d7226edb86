import type { Form } from './form-schema';

export type { Form, FormField } from './form-schema';

/** Lead fields every form, the API, config and templates share (camelCase, plus utm_*). */
export const STANDARD_FIELDS = [
  'email',
  'firstName',
  'lastName',
  'company',
  'jobTitle',
  'phone',
  'country',
  'companySize',
  'consent',
] as const;
export const UTM_FIELDS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'] as const;
export const DEFAULT_HONEYPOT = '_gotcha';

/** Origins the form answers CORS for and accepts posts from. */
export function isOriginAllowed(form: Form, origin: string | undefined): boolean {
  return origin !== undefined && form.allowedOrigins.includes(origin);
}
