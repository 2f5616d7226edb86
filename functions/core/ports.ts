import type { Form } from './form';
import type { Activity, LeadInput, LeadRecord } from './lead';

/** Ports the core declares; adapters implement them (DynamoDB on AWS and locally, fakes in unit tests). */

export interface FormCatalog {
  /** The active version of a form, or undefined when no such form exists. */
  activeForm(formId: string): Promise<Form | undefined>;
}

export interface RateLimit {
  limit: number;
  /** Window start, whole minutes since the epoch. */
  window: number;
}

export interface LeadRepository {
  /**
   * Merges the input into the lead (creating it) and stores the activity, idempotently:
   * a second call with the same activity id stores nothing new and reports `duplicate`.
   * Throws RateLimitedError when the lead already had `perEmail.limit` submissions this window.
   */
  recordSubmission(
    input: LeadInput,
    activity: Activity,
    perEmail: RateLimit,
  ): Promise<{ duplicate: boolean }>;
  find(leadId: string): Promise<{ lead: LeadRecord; activities: Activity[] } | undefined>;
}

export interface RateLimiter {
  /** Counts one hit for the key in the window; false when the limit was already reached. */
  hit(key: string, limit: RateLimit): Promise<boolean>;
}

export interface FormCounters {
  honeypotCaught(formId: string): Promise<void>;
}

/** Fired after a lead is stored: the seam scoring, nurture and handoff hook into. */
export interface LeadCaptured {
  lead: LeadInput;
  activity: Activity;
  duplicate: boolean;
}
export type LeadCapturedListener = (event: LeadCaptured) => Promise<void>;

export interface Clock {
  now(): Date;
}
