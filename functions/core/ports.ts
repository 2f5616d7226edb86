import type { ActiveModel } from './evolve';
import type { Form } from './form';
import type { Activity, LeadInput, LeadState } from './lead';

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

/** Leads as whole, versioned items: single-item conditional writes only (no transactions). */
export interface LeadStore {
  load(leadId: string): Promise<LeadState | undefined>;
  /** Writes a new lead unless one exists; a refusal may carry the existing lead (saves a read on AWS). */
  create(lead: LeadState): Promise<{ created: true } | { created: false; existing?: LeadState }>;
  /** Replaces the lead if it is still at `expectedVersion`; false when someone else wrote first. */
  replace(lead: LeadState, expectedVersion: number): Promise<boolean>;
  /** Stores an activity once: a second put of the same id stores nothing and reports `duplicate`. */
  putActivity(activity: Activity): Promise<{ duplicate: boolean }>;
  /** The lead and its timeline, for the lead view. */
  find(leadId: string): Promise<{ lead: LeadState; activities: Activity[] } | undefined>;
}

export interface ScoringModels {
  /** The active scoring model, or undefined when none was published yet. */
  active(): Promise<ActiveModel | undefined>;
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
