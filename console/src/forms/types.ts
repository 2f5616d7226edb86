/** Answers of /v1/admin/forms... as the Forms pages read them (the served contract: /v1/openapi.json). */
export interface ChangedBy {
  name: string;
  username?: string;
}

export interface FormSummary {
  formId: string;
  name?: string;
  activeVersion: number | null;
  latestVersion: number;
  submissionsLast7Days: number;
  activatedAt?: string;
  activatedBy?: ChangedBy;
  lastChange: { at: string; what: 'added' | 'activated'; version: number; by?: ChangedBy };
}

export const FIELD_TYPES = [
  'email',
  'text',
  'textarea',
  'phone',
  'country',
  'boolean',
  'number',
  'select',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A form field as config/forms/<id>.yaml writes it. */
export interface FormField {
  name: string;
  type: FieldType;
  label?: string;
  required?: boolean;
  maxLength?: number;
  nameLike?: boolean;
  min?: number;
  max?: number;
  options?: string[];
}

export interface FormDocument {
  id: string;
  name: string;
  description?: string;
  stage: 'subscriber' | 'lead';
  thankYouUrl: string;
  allowedOrigins: string[];
  honeypotField?: string;
  consent?: { field: string; text: string; required: boolean; doubleOptIn: boolean };
  fields: FormField[];
}

export interface VersionSummary {
  version: number;
  createdAt: string;
  createdBy?: ChangedBy;
  activatedAt?: string;
  activatedBy?: ChangedBy;
}

export interface FormVersions {
  active: (VersionSummary & { document: FormDocument }) | null;
  versions: VersionSummary[];
}

export interface FormEmbed {
  formId: string;
  version: number;
  html: string;
}

/** A new form's starting point: the one field every form needs. */
export const newForm = (): FormDocument => ({
  id: '',
  name: '',
  stage: 'lead',
  thankYouUrl: 'https://',
  allowedOrigins: [],
  fields: [{ name: 'email', type: 'email', label: 'Work email', required: true }],
});

/** Who, in words: "Maya Lindqvist (maya)". */
export const who = (by: ChangedBy | undefined) =>
  by ? (by.username ? `${by.name} (${by.username})` : by.name) : 'someone (not recorded)';
