import type { FormDocument } from './types';

const SETTINGS: Record<string, string> = {
  id: 'Id',
  name: 'Form name',
  description: 'Description',
  stage: 'Leads start as',
  thankYouUrl: 'Thank-you page URL',
  allowedOrigins: 'Allowed origins',
  honeypotField: 'Honeypot field',
  consent: 'Consent to marketing email',
  'consent.text': 'Consent text',
  'consent.field': 'Consent field',
  'consent.required': 'Consent required',
  'consent.doubleOptIn': 'Double opt-in',
  fields: 'the fields',
};

const FIELD_SETTINGS: Record<string, string> = {
  name: 'Name',
  type: 'Type',
  label: 'Label',
  required: 'Required',
  maxLength: 'Longest answer',
  options: 'Options',
  min: 'Smallest number',
  max: 'Largest number',
  nameLike: 'Name-like',
};

/**
 * A setting of the form both people changed (`fields.2.label`), named as the editor labels it:
 * "Field 3: company, Label"; allowed origins are one setting (`allowedOrigins.1` → Allowed origins).
 */
export function formFieldInWords(path: string, form: FormDocument): string {
  const parts = path.split('.');
  if (parts[0] === 'fields' && parts[1] !== undefined && /^\d+$/.test(parts[1])) {
    const n = Number(parts[1]);
    const name = form.fields[n]?.name;
    const setting = parts[2] ? (FIELD_SETTINGS[parts[2]] ?? parts[2]) : '';
    return `Field ${n + 1}${name ? `: ${name}` : ''}${setting ? `, ${setting}` : ''}`;
  }
  if (parts[0] === 'allowedOrigins') return SETTINGS.allowedOrigins as string;
  const known = SETTINGS[parts.slice(0, 2).join('.')] ?? SETTINGS[parts[0] ?? ''];
  if (known) return known;
  return path === '(the whole document)' ? 'the whole form' : path;
}
