import type * as z from 'zod/mini';
import { sha256Hex } from '../kernel/email';
import { LeadflowError } from '../kernel/errors';
import type { Activity, LeadState } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { enrollBodySchema } from './admin-bodies';
import { enrollManually } from './enroll';
import { activeConfig, type NurtureVersions, sequenceIn, storedLead } from './nurture-versions';
import type { ManualEnrollment } from './responses';

/** Manual enrollment refused by the entry rules: the code says which (already_enrolled, no_consent...). */
export class EnrollmentRefusedError extends LeadflowError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const REFUSALS: Record<string, string> = {
  test_lead: 'Test leads from ad platforms are never nurtured.',
  sequence_disabled: 'The sequence is disabled.',
  already_enrolled: 'The lead is in this sequence now.',
  already_enrolled_once: 'The lead was in this sequence before and it does not allow re-entry.',
  no_consent: 'The sequence needs marketing consent, and the lead has not given it.',
  owned_by_sales: 'Sales owns the lead now: nurture does not email it.',
  stage_reached: "The lead's stage is one of the sequence's exit stages.",
};
const ENROLL_ATTEMPTS = 5;

/** Who enrolled the lead: a signed-in person (name and user name) or an API token (its name). */
export type EnrolledBy = NonNullable<Activity['by']>;

/**
 * Manual enrollment: the sequence's entry rules (consent, re-entry, sales, exit stages; test
 * leads never), written on the lead conditionally on its version (re-read and retried on a
 * concurrent write), then a `sequence_enrolled` timeline entry with a deterministic id that
 * records who enrolled it.
 */
export async function enrollLead(
  deps: {
    versions: Pick<NurtureVersions, 'active'>;
    leads: Pick<LeadStore, 'load' | 'replace' | 'putActivity'>;
  },
  sequenceId: string,
  body: z.infer<typeof enrollBodySchema>,
  by: EnrolledBy,
  now: Date,
): Promise<ManualEnrollment> {
  const active = await activeConfig(deps.versions);
  const sequence = sequenceIn(active.config, sequenceId);
  for (let attempt = 0; attempt < ENROLL_ATTEMPTS; attempt += 1) {
    const lead = await storedLead(deps.leads, body.leadId);
    const result = enrollManually(lead, sequence, now);
    if ('refused' in result)
      throw new EnrollmentRefusedError(
        result.refused,
        REFUSALS[result.refused] ?? 'The entry rules refuse it.',
      );
    const next: LeadState = {
      ...lead,
      nurture: result.nurture,
      version: lead.version + 1,
      updatedAt: now.toISOString(),
    };
    if (!(await deps.leads.replace(next, lead.version))) continue;
    await deps.leads.putActivity(
      enrolledActivity(lead.leadId, sequence.id, result.enrollment.number, by, now),
    );
    return { leadId: lead.leadId, sequenceId: sequence.id, enrollment: result.enrollment };
  }
  throw new Error(`lead ${body.leadId} kept changing while enrolling it`);
}

function enrolledActivity(
  leadId: string,
  sequenceId: string,
  number: number,
  by: EnrolledBy,
  now: Date,
): Activity {
  return {
    activityId: `act_nurture_${sha256Hex(`${leadId}|${sequenceId}|${number}|sequence_enrolled`).slice(0, 24)}`,
    leadId,
    type: 'sequence_enrolled',
    at: now.toISOString(),
    source: `admin:${by.name}`,
    properties: { sequenceId, enrollment: number, manual: true },
    by: by.username ? { name: by.name, username: by.username } : { name: by.name },
  };
}
