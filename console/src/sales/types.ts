/** The sales API's answers as the console reads them (shapes of /v1/sales/...). */

export interface ScoreCard {
  fit: number;
  engagement: number;
  total: number;
  grade: string;
  modelVersion: number;
}

export interface LeadCard {
  leadId: string;
  email: string;
  stage: string;
  profile: Record<string, string | number | boolean>;
  score: ScoreCard | null;
  whyHot: { rule: string; points: number; reason: string }[];
  source: { first: Record<string, string> | null; last: Record<string, string> | null };
  handoff: number;
  becameHotAt: string;
  recentActivity: { type: string; at: string; source: string; formId?: string }[];
  claimToken: string;
  claimExpiresAt: string;
  /** Notes left on the lead (earlier hand-offs, people's notes), when the API puts them on the card. */
  notes?: CardNote[];
}

/** A note on a lead: a person's note, or what a rep wrote with an outcome. */
export interface CardNote {
  text: string;
  at: string;
  by?: { name: string };
  /** The outcome it came with, in words. */
  outcome?: string;
  handoff?: number;
}

export interface MyClaim extends LeadCard {
  claimedAt: string;
}

export interface OwnedLead {
  leadId: string;
  email: string;
  name: string | null;
  company: string | null;
  stage: string;
  score: number | null;
  since: string;
  lastOutcome: string | null;
  newActivity: { type: string; at: string }[];
}

export interface MyClaims {
  claims: MyClaim[];
  /** The latest owned leads (the API sends up to 25). */
  owned: OwnedLead[];
  /** How many leads sales owns through the caller in all. */
  ownedTotal?: number;
}

export interface TeamWaiting {
  leadId: string;
  email: string;
  name: string | null;
  handoff: number;
  becameHotAt: string;
  waitingSeconds: number;
  slaBreached: boolean;
}

export interface TeamClaim {
  leadId: string;
  email: string;
  name: string | null;
  rep: string;
  repName: string;
  handoff: number;
  claimedAt: string;
  expiresAt: string;
  heldSeconds: number;
  /** The rep's last outcome under this claim (contacted keeps it open). */
  lastOutcome?: string | null;
  slaBreached: boolean;
}

export interface TeamRep {
  rep: string;
  repName: string;
  claims: number;
  owned: number;
  slaBreaches: number;
}

/** An owned lead that did something since its owner's last outcome. */
export interface TeamOwnedActivity {
  leadId: string;
  email: string;
  name: string | null;
  rep: string;
  repName: string;
  lastActivity: { type: string; at: string };
  lastOutcome: string | null;
}

export interface Team {
  waiting: TeamWaiting[];
  claims: TeamClaim[];
  reps: TeamRep[];
  ownedActivity?: TeamOwnedActivity[];
  slaMinutes: number;
}

export const OUTCOMES = [
  'contacted',
  'meeting_booked',
  'qualified',
  'disqualified',
  'recycled',
  'won',
  'lost',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** POST /v1/sales/leads/{leadId}/outcome. */
export interface OutcomeRecorded {
  leadId: string;
  outcome: Outcome;
  stage: string;
  /** True when the claim stays open (contacted). */
  claimOpen: boolean;
}

/** GET /v1/sales/queue. */
export interface SalesQueue {
  pending: number;
  waiting: number;
  claimed: number;
  oldestWaitingSince: string | null;
}
