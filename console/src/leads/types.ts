/** The API's answers the lead pages read (functions/core/leads): only what they use. */
// The API's own definitions (functions/core/leads): the console cannot drift from them.
import type { HandoffHistoryEntry } from '../../../functions/core/leads/handoff-history';
import type { ExportView as LeadExportView } from '../../../functions/core/leads/lead-export-job';
import type { LeadRow } from '../../../functions/core/leads/lead-list';
import type { PathToHot } from '../../../functions/core/scoring/path-to-hot';

export { STAGES } from '../../../functions/core/leads/lead';
export type { HandoffHistoryEntry, LeadExportView, LeadRow, PathToHot };
export type HandoffEvent = HandoffHistoryEntry['events'][number];
export const GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

export interface LeadList {
  leads: LeadRow[];
  total: number;
  totalExact: boolean;
  cursor: string | null;
}

export interface Person {
  name: string;
  username?: string;
}

export interface ScoreView {
  fit: number;
  engagement: number;
  total: number;
  grade: string;
  mql: boolean;
  hot: boolean;
  breakdown: { rule: string; kind: 'fit' | 'engagement'; points: number; reason: string }[];
  modelVersion: number;
}

export interface TimelineEntry {
  type: string;
  at: string;
  activityId: string;
  source: string;
  formId?: string;
  by?: Person;
  text?: string;
  effect?: unknown;
  [field: string]: unknown;
}

export interface HandoffView {
  number: number;
  status: 'pending' | 'sent' | 'claimed' | 'closed';
  becameHotAt: string;
  rules: string[];
  sentAt?: string;
  claim?: { rep: string; claimedAt: string; expiresAt: string };
  closedAt?: string;
  outcome?: string;
}

export interface LeadView {
  leadId: string;
  email: string;
  stage: string;
  profile: Record<string, string | number | boolean>;
  fieldSources: Record<string, { source: string; at: string }>;
  score: ScoreView | null;
  pathToHot: PathToHot | null;
  handoff: HandoffView | null;
  handoffs: HandoffHistoryEntry[];
  ownedBySales: boolean;
  owner?: { rep: string; repName: string; since: string } | null;
  consent: {
    granted: boolean;
    text: string;
    at: string;
    source: string;
    ip?: string;
    doubleOptIn?: boolean;
    pendingConfirmation?: boolean;
  }[];
  suppressed: { reason: string; at: string } | null;
  marketingConsent: { granted: boolean; at: string; source: string } | null;
  enrollments: {
    sequenceId: string;
    number: number;
    status: 'active' | 'completed' | 'exited';
    enrolledAt: string;
    step: number;
    dueAt: string | null;
    endedAt: string | null;
    reason: string | null;
  }[];
  timeline: TimelineEntry[];
  createdAt: string;
  updatedAt: string;
}

/** What an activity changed (functions/core/leads/lead.ts ActivityEffect). */
export interface ActivityEffect {
  score?: { from: number | null; to: number; modelVersion: number; rules: string[] };
  stage?: { from: string; to: string };
  handoff?: number;
  enrolled?: string[];
  exiting?: string[];
}
