/** The shapes a captured lead takes between the use cases and the stores. */

export type Stage =
  | 'subscriber'
  | 'lead'
  | 'mql'
  | 'sql'
  | 'opportunity'
  | 'customer'
  | 'disqualified'
  | 'recycled';

export type FieldValue = string | number | boolean;

/** Where a value or an event came from: `form:<id>`, later `meta`, `google`, `api`... */
export type Source = string;

export interface Attribution {
  page?: string;
  referrer?: string;
  utm_source?: string;
  utm_medium?: string;
  utm_campaign?: string;
  utm_term?: string;
  utm_content?: string;
}

export interface ConsentRecord {
  granted: boolean;
  text: string;
  at: string;
  source: Source;
  ip?: string;
}

/** A normalized, validated lead, ready to merge into the stored profile. */
export interface LeadInput {
  leadId: string;
  email: string;
  /** Standard and custom fields with a non-empty value. */
  fields: Record<string, FieldValue>;
  consent?: ConsentRecord;
  attribution: Attribution;
  stage: Stage;
}

export interface Activity {
  activityId: string;
  leadId: string;
  type: 'form_submitted';
  at: string;
  source: Source;
  formId?: string;
  attribution?: Attribution;
  consent?: ConsentRecord;
  /** Field names submitted (not the values: the profile holds those). */
  fields?: string[];
}

/** One profile field as stored: the latest non-empty value, with where and when it came from. */
export interface ProfileField {
  value: FieldValue;
  source: Source;
  at: string;
}

/** The stored lead, as the repository returns it. */
export interface LeadRecord {
  leadId: string;
  email: string;
  stage: Stage;
  profile: Record<string, ProfileField>;
  marketingConsent?: { granted: boolean; at: string; source: Source };
  firstTouch?: Attribution & { at: string; source: Source };
  lastTouch?: Attribution & { at: string; source: Source };
  createdAt: string;
  updatedAt: string;
}
