import type { LeadNurture } from '../nurture/enrollment';
import type { EngagementAggregate, Score } from '../scoring/score';

/** The shapes a captured lead takes between the use cases and the stores. */

/** The funnel stages, in order; a lead's stage only moves forward (recycled goes back to nurture). */
export const STAGES = [
  'subscriber',
  'lead',
  'mql',
  'sql',
  'opportunity',
  'customer',
  'disqualified',
  'recycled',
] as const;
export type Stage = (typeof STAGES)[number];

export type FieldValue = string | number | boolean;

/** Where a value or an event came from: `form:<id>`, later `meta`, `google`, `api`... */
export type Source = string;

export interface Attribution {
  /** Ad platforms add campaign_id, adgroup_id, ad_id, form_id, gclid, ... */
  [key: string]: string | undefined;
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
  /** Given on a double opt-in form: not marketing consent until the confirmation link is clicked. */
  pendingConfirmation?: boolean;
  /** Confirmed through the double opt-in link (`at` is the click). */
  doubleOptIn?: boolean;
}

/**
 * A double opt-in in progress or done: the form that asked, the consent text shown there, and
 * whether the person clicked the confirmation link. The latest request wins.
 */
export interface OptIn {
  formId: string;
  text: string;
  requestedAt: string;
  status: 'pending' | 'confirmed' | 'withdrawn';
  confirmedAt?: string;
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
  /** An ad platform's test lead: kept apart from sales and nurture. */
  test?: boolean;
}

/** What an activity changed on its lead: shown on the timeline, so every score change is explained. */
export interface ActivityEffect {
  score?: { from: number | null; to: number; modelVersion: number; rules: string[] };
  /** `since`: when the lead entered `from` (the time in that stage ends here), where known. */
  stage?: { from: Stage; to: Stage; since?: string };
  /** This activity made the lead hot: handoff number `handoff` is pending for sales. */
  handoff?: number;
  /** The score that made it hot (with `handoff`): what the scoring-quality report calibrates. */
  hot?: HandoffScore;
  /** This activity created the lead, in this stage (before its first score moved it on: see `stage`). */
  created?: Stage;
  /** Sequences this activity enrolled the lead in. */
  enrolled?: string[];
  /** Sequences an exit rule ended on this activity (their remaining steps are skipped). */
  exiting?: string[];
  /** Sales owned the lead when this activity came (the rep's user name): the owner is told. */
  ownedBy?: string;
}

export interface Activity {
  activityId: string;
  leadId: string;
  /** form_submitted, page_viewed, email_clicked, trial_started, ... ([a-z0-9_]). */
  type: string;
  at: string;
  source: Source;
  formId?: string;
  attribution?: Attribution;
  consent?: ConsentRecord;
  /** Field names submitted (not the values: the profile holds those). */
  fields?: string[];
  properties?: Record<string, unknown>;
  effect?: ActivityEffect;
  /** The person (or API token) who made it, where one did: notes, outcomes, manual enrollments. */
  by?: { name: string; username?: string };
}

/** One profile field as stored: the latest non-empty value, with where and when it came from. */
export interface ProfileField {
  value: FieldValue;
  source: Source;
  at: string;
}

/**
 * The outbox entry for sales: written in the same item write that made the lead hot; the
 * hand-off sender (tick) moves it on. Open while pending, sent or claimed.
 */
/** The score at the moment a lead became hot: the prediction sales outcomes are checked against. */
export interface HandoffScore {
  total: number;
  grade: string;
  modelVersion: number;
  /** The rules that scored points. */
  rules: string[];
}

export interface Handoff {
  number: number;
  score?: HandoffScore;
  status: 'pending' | 'sent' | 'claimed' | 'closed';
  becameHotAt: string;
  rules: string[];
  sentAt?: string;
  /** The rep holding the lead now; a claim past `expiresAt` is void (the message is back on the queue). */
  claim?: { nonce: string; rep: string; claimedAt: string; expiresAt: string };
  closedAt?: string;
  outcome?: SalesOutcome;
}

export const SALES_OUTCOMES = [
  'contacted',
  'meeting_booked',
  'qualified',
  'disqualified',
  'recycled',
  'won',
  'lost',
] as const;
export type SalesOutcome = (typeof SALES_OUTCOMES)[number];

/** The stored lead, as the repository returns it. */
export interface LeadRecord {
  leadId: string;
  email: string;
  stage: Stage;
  profile: Record<string, ProfileField>;
  marketingConsent?: { granted: boolean; at: string; source: Source };
  /** Double opt-in: a confirmation asked for (pending) or clicked (confirmed). */
  optIn?: OptIn;
  firstTouch?: Attribution & { at: string; source: Source };
  lastTouch?: Attribution & { at: string; source: Source };
  /** When the lead entered its current stage (leads from before it was kept: unknown). */
  stageSince?: string;
  createdAt: string;
  updatedAt: string;
}

/** The whole lead item: the record plus what scoring keeps on it, versioned for optimistic writes. */
export interface LeadState extends LeadRecord {
  version: number;
  aggregate: EngagementAggregate;
  score: Score | null;
  /** Per-email submission counter for the current minute. */
  rate?: { window: number; count: number };
  handoff?: Handoff;
  /**
   * Sales owns the lead: a rep took it on (an outcome that keeps it open, such as contacted or
   * meeting booked). Its new activity goes to that rep, never back on the shared queue, until an
   * outcome hands it back (recycled, disqualified, lost) or a manager reassigns it.
   */
  owner?: { rep: string; repName: string; since: string; handoff: number };
  /** Sequence enrollments, recent marketing sends, the due-index lease. */
  nurture?: LeadNurture;
  /** Created by an ad platform's test delivery: never handed off or nurtured. */
  test?: boolean;
  /** A GDPR erase began at this time: nothing is claimed or sent for the lead any more. */
  erasing?: string;
  /**
   * The activity the latest activity write applied, as it goes on the timeline (with its effect).
   * A retry after a crash before the timeline put stores this one, never the retry's own content.
   */
  lastActivity?: Activity;
  /** Activity type → when the latest one happened (segments' "in the last N days"; core/segments/last-seen.ts). */
  lastSeen?: Record<string, string>;
}
