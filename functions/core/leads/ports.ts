import type { Activity, LeadInput, LeadState } from './lead';

/** Ports the leads context declares; adapters implement them (DynamoDB on AWS and locally, fakes in unit tests). */

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

/** Fired after a lead is stored: the seam scoring, nurture and handoff hook into. */
export interface LeadCaptured {
  lead: LeadInput;
  activity: Activity;
  duplicate: boolean;
}
export type LeadCapturedListener = (event: LeadCaptured) => Promise<void>;
