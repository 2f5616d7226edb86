import type { FieldValue, LeadState } from '../leads/lead';

/** The versioned contract of the hot-lead queue (also what a CRM reads when it consumes the queue). */
export const HOT_LEAD_SCHEMA = 'leadflow.hot-lead.v1';

export interface HotLeadMessage {
  schema: typeof HOT_LEAD_SCHEMA;
  leadId: string;
  handoff: number;
  becameHotAt: string;
  email: string;
  profile: Record<string, FieldValue>;
  stage: string;
  score: { fit: number; engagement: number; total: number; grade: string; modelVersion: number } | null;
  /** The rules that made the lead hot, with their points and reasons. */
  whyHot: { rule: string; points: number; reason: string }[];
  source: { first: Record<string, string> | null; last: Record<string, string> | null };
}

/** The message for a lead's current hand-off. */
export function hotLeadMessage(lead: LeadState): HotLeadMessage {
  const handoff = lead.handoff;
  if (!handoff) throw new Error(`lead ${lead.leadId} has no hand-off`);
  const rules = new Set(handoff.rules);
  return {
    schema: HOT_LEAD_SCHEMA,
    leadId: lead.leadId,
    handoff: handoff.number,
    becameHotAt: handoff.becameHotAt,
    email: lead.email,
    profile: Object.fromEntries(Object.entries(lead.profile).map(([name, field]) => [name, field.value])),
    stage: lead.stage,
    score: lead.score
      ? {
          fit: lead.score.fit,
          engagement: lead.score.engagement,
          total: lead.score.total,
          grade: lead.score.grade,
          modelVersion: lead.score.modelVersion,
        }
      : null,
    whyHot: (lead.score?.breakdown ?? [])
      .filter((entry) => rules.has(entry.rule))
      .map(({ rule, points, reason }) => ({ rule, points, reason })),
    source: { first: touch(lead.firstTouch), last: touch(lead.lastTouch) },
  };
}

function touch(value: object | undefined): Record<string, string> | null {
  if (!value) return null;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<
    string,
    string
  >;
}

/** Exactly once per time a lead becomes hot: SQS FIFO drops a second send with the same id. */
export const deduplicationId = (leadId: string, handoff: number) => `${leadId}-${handoff}`;

/** Sales owns a lead from the moment it turns hot until its hand-off closes: nurture must not email it. */
export function ownedBySales(lead: Pick<LeadState, 'handoff'>): boolean {
  return lead.handoff !== undefined && lead.handoff.status !== 'closed';
}
