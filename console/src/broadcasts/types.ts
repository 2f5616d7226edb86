/** The broadcast answers the console reads (the served contract's BroadcastProgress, BroadcastResults). */
export type BroadcastStatus = 'draft' | 'scheduled' | 'running' | 'done' | 'cancelled';
export const STATUSES: { id: BroadcastStatus | ''; label: string }[] = [
  { id: '', label: 'All' },
  { id: 'draft', label: 'Drafts' },
  { id: 'scheduled', label: 'Scheduled' },
  { id: 'running', label: 'Running' },
  { id: 'done', label: 'Done' },
  { id: 'cancelled', label: 'Cancelled' },
];

export interface Variant {
  id: string;
  subject?: string;
  template?: string;
}
export interface Excluded {
  suppressed: number;
  noConsent: number;
  ownedBySales: number;
  test: number;
}
export interface By {
  name: string;
  username?: string;
}
export interface Broadcast {
  broadcastId: string;
  name: string;
  template: string;
  segment: { stages?: string[]; fields?: Record<string, unknown>; consent: true; segmentId?: string };
  sendAt: string;
  status: BroadcastStatus;
  by: By;
  createdAt: string;
  cancelledAt?: string;
  cancelledBy?: By;
  abTest?: {
    variants: Variant[];
    testShare: number;
    metric: 'opened' | 'clicked';
    waitHours: number;
    decideAt: string;
    winner?: string;
  };
  enrolled: number;
  excluded: Excluded;
}
export interface BroadcastList {
  broadcasts: Broadcast[];
  cursor: string | null;
}
export interface VariantResult {
  id: string;
  subject?: string;
  template: string;
  sent: number;
  opened: number;
  clicked: number;
  rate: number;
  winner: boolean;
}
export interface BroadcastResults {
  status: BroadcastStatus;
  freshAsOf: string | null;
  progress: { enrolled: number; sent: number; skipped: number; failed: number; pending: number };
  results: {
    delivered: number;
    opened: number;
    clicked: number;
    bounced: number;
    complained: number;
    unsubscribed: number;
  };
  abTest?: {
    metric: 'opened' | 'clicked';
    winner?: string;
    decideAt: string;
    variants: VariantResult[];
    significance?: { label: string; significant: boolean };
  };
}
export interface Preview {
  recipients: number;
  excluded: Excluded;
  complete: boolean;
}

export const EXCLUDED_LABELS: Record<keyof Excluded, string> = {
  noConsent: 'no marketing consent',
  ownedBySales: 'owned by sales',
  suppressed: 'suppressed (bounced, complained or unsubscribed)',
  test: 'test leads',
};
export const STATUS_LABELS: Record<BroadcastStatus, string> = {
  draft: 'Draft',
  scheduled: 'Scheduled',
  running: 'Running',
  done: 'Done',
  cancelled: 'Cancelled',
};
