import { leadIdFor, normalizeEmail, sha256Hex } from '../kernel/email';
import { LeadflowError, ValidationError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import type { ActivityInput } from './activity-input';
import type { Activity } from './lead';
import { type RecordDeps, recordActivity } from './record-activity';
import type { ActivityFailed, ActivityRecorded } from './responses';

/** One result per event, as answered (responses.ts), but a failure keeps the error itself: the handler answers its code and message. */
export type IngestResult = ActivityRecorded | (Omit<ActivityFailed, 'error'> & { error: LeadflowError });

const FUTURE_SLACK_MS = 5 * 60_000;

/**
 * Record product events (page viewed, trial started, webinar attended...) for engagement scoring.
 * Input: validated activity inputs and the caller's token name (the source).
 * Output: one result per input, in order.
 * 1. Every input is checked first: a bad one fails the whole call and nothing is stored.
 * 2. Each event gets a stable id from its idempotencyKey, so a retried event is not counted twice.
 * 3. An unknown email creates a lead only when the call asks for it (createLead); else lead_not_found.
 */
export async function ingestActivities(
  deps: RecordDeps,
  inputs: ActivityInput[],
  caller: string,
): Promise<IngestResult[]> {
  const now = deps.clock.now();
  const future = inputs.findIndex(
    (input) => input.occurredAt && Date.parse(input.occurredAt) > now.getTime() + FUTURE_SLACK_MS,
  );
  if (future >= 0) {
    throw new ValidationError([
      {
        path: inputs.length > 1 ? `activities.${future}.occurredAt` : 'occurredAt',
        message: 'is in the future',
      },
    ]);
  }
  const results: IngestResult[] = [];
  for (const input of inputs) {
    const leadId = input.leadId ?? leadIdFor(input.email ?? '');
    const at = input.occurredAt ? new Date(input.occurredAt).toISOString() : now.toISOString();
    const activity: Activity = {
      activityId: input.idempotencyKey
        ? `act_i${sha256Hex(`${caller}\n${input.idempotencyKey}`).slice(0, 25)}`
        : newId('act', now),
      leadId,
      type: input.type,
      at,
      source: `api:${caller}`,
      ...(input.properties ? { properties: input.properties } : {}),
    };
    try {
      const recorded = await recordActivity(
        deps,
        { leadId, email: input.email ? normalizeEmail(input.email) : '', activity },
        { createIfMissing: input.createLead === true && input.email !== undefined },
      );
      results.push({
        leadId,
        activityId: activity.activityId,
        status: recorded.duplicate ? 'duplicate' : 'accepted',
      });
    } catch (error) {
      if (!(error instanceof LeadflowError)) throw error;
      results.push({ leadId, status: 'failed', error });
    }
  }
  return results;
}
