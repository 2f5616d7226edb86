import type { LeadState } from '../leads/lead';
import type { NurtureConfig } from './config-schema';
import { doubleOptInSettings } from './confirmation';
import type { Enrollment } from './enrollment';
import { decideStep } from './gate';
import { LastWrittenLead } from './last-written-lead';
import { MailerError } from './mailer';
import { type RenderedEmail, renderEmail } from './render';
import { leadTimeZone } from './schedule';
import { addCounts, type Counts, emptyTally, type SendDeps, type SendTally } from './send-ports';
import { answeredOnce, type SendReadAhead } from './send-read-ahead';
import {
  advance,
  claim,
  end,
  failedEntry,
  MAX_THROTTLED_ATTEMPTS,
  nextDue,
  releaseLease,
  releaseThrottled,
  reschedule,
  type StepAt,
  skip,
  type Transition,
  withWaitResolved,
} from './send-transitions';
import { type NurtureSequence, sequenceFor } from './sequences';
import { stepEmail, stepVars } from './step-email';
import { variantEmail, variantFor } from './step-variants';
import { stepActivity, stepActivityId } from './timeline';

export type { SendDeps, SendTally } from './send-ports';
export { MAX_THROTTLED_ATTEMPTS } from './send-transitions';

/** A job handles at most this many step outcomes for one lead (each is a few writes). */
const MAX_ROUNDS = 25;

/** send-email's deps for one run: reads of the lead go through the lead this run last wrote. */
type RunDeps = Omit<SendDeps, 'leads'> & { leads: LastWrittenLead };

/**
 * send-email, for one lead.
 * Input: the lead id of an email job. Output: what happened to its steps (a tally).
 * 1. Read the lead (or take the copy this run last wrote); stop if it has no nurture state or is
 *    being erased (the erase waits for a send already in flight).
 * 2. Store the outbox an earlier run wrote with its decision but did not get to store.
 * 3. Nothing due that no other run is sending: end tick's lease and stop.
 * 4. Run the earliest due step: the gate decides on this fresh read, send-transitions.ts turns the
 *    decision into the next version of the lead, written conditionally on the version read (a
 *    lost write makes the next round start over from a read). At most MAX_ROUNDS rounds.
 * A step is sent at most once: it is claimed (`sending`) in the lead write before SES is called;
 * a claim another run may still be sending is left alone, and one that timed out is never sent
 * again — it ends `sent` when its `email_sent` entry exists, else `failed` (`outcome_unknown`).
 * Every step ends on the timeline as sent, skipped (with the reason) or failed (with the error).
 * `ahead`: the batch's read-ahead (send-read-ahead.ts) answers the first read of the lead and the
 * first suppression look-up of its address, once, instead of a request each.
 */
export async function processDueSteps(
  given: SendDeps,
  leadId: string,
  ahead?: SendReadAhead,
): Promise<SendTally> {
  const part = ahead?.take(leadId, given.clock.now());
  const deps: RunDeps = {
    ...given,
    leads: new LastWrittenLead(given.leads, part?.lead),
    suppressions: answeredOnce(given.suppressions, part),
  };
  let tally = emptyTally();
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const lead = await deps.leads.load(leadId);
    if (!lead?.nurture || lead.erasing) return tally;
    for (const entry of lead.nurture.outbox ?? []) await deps.leads.putActivity(entry);
    const now = deps.clock.now();
    const enrollment = nextDue(lead, now);
    if (!enrollment) {
      const released = releaseLease(lead, now);
      if (released) await commit(deps, released);
      return tally;
    }
    const active = await deps.nurture.active();
    if (!active) return tally;
    const { config } = active;
    const counts = await runStep(deps, config, {
      lead,
      enrollment,
      sequence: sequenceFor(config, enrollment),
      zone: leadTimeZone(lead.profile.timezone?.value, config.settings.sendWindow.timezone),
      now,
    });
    tally = addCounts(tally, counts);
  }
  return tally;
}

/** One round: the outcome of the step due, and what it counts (nothing when its write lost). */
async function runStep(deps: RunDeps, config: NurtureConfig, given: StepAt): Promise<Counts> {
  const waited = withWaitResolved(given);
  if ('later' in waited) return (await commit(deps, waited.later)) ?? {};
  const { at } = waited;
  const { lead, enrollment, sequence } = at;
  const step = sequence?.steps[enrollment.step];

  // A claim from an earlier attempt that timed out (its run died): never send it again.
  if (enrollment.sending && enrollment.sending.step === enrollment.step) {
    const sentId = stepActivityId(lead.leadId, enrollment, 'sent');
    if (await deps.leads.hasActivity(lead.leadId, sentId)) return (await commit(deps, advance(at))) ?? {};
    const failed = failedEntry(at, {
      step: step?.id,
      error: 'outcome_unknown',
      message: 'interrupted after the send was claimed; not sent again',
    });
    // The step failed whether or not this write wins (a lost write is retried by the next round).
    return sum({ failed: 1 }, await commit(deps, advance({ ...at, entries: [failed] })));
  }

  const decision = decideStep({
    lead,
    enrollment,
    sequence,
    settings: config.settings,
    suppression: await deps.suppressions.lookup(lead.email),
    zone: at.zone,
    now: at.now,
    broadcastCancelled: enrollment.broadcast
      ? (await deps.broadcasts.get(enrollment.broadcast.id))?.status === 'cancelled'
      : false,
  });
  switch (decision.kind) {
    case 'end':
      return (await commit(deps, end({ ...at, reason: decision.reason, skip: decision.skip }))) ?? {};
    case 'skip':
      return (await commit(deps, skip({ ...at, stepId: decision.step.id, reason: decision.reason }))) ?? {};
    case 'reschedule':
      return (await commit(deps, reschedule({ ...at, decision }))) ?? {};
    case 'send':
      return send(deps, config, { ...at, sequence: sequence as NurtureSequence });
  }
}

async function send(
  deps: RunDeps,
  config: NurtureConfig,
  at: StepAt & { sequence: NurtureSequence },
): Promise<Counts> {
  const { lead, enrollment, sequence, now } = at;
  const step = sequence.steps[enrollment.step];
  if (!step) return {};
  const unsubscribeUrl = await deps.unsubscribeUrl(lead.leadId, now);
  const confirm = enrollment.transactional;
  const confirmUrl = confirm
    ? await deps.confirmUrl(
        lead.leadId,
        confirm.formId,
        now,
        doubleOptInSettings(config.settings).expiresInDays,
      )
    : undefined;
  // An A/B step: the lead's variant (the same on every attempt) picks the template and subject.
  const variant = variantFor(sequence.id, step, lead.leadId);
  const { template, subject } = variantEmail(step, variant);
  let rendered: RenderedEmail;
  try {
    rendered = renderEmail(config, template, stepVars(lead, { unsubscribeUrl, confirmUrl }), {
      subject: enrollment.broadcast?.subject ?? subject,
    });
  } catch (error) {
    const failed = failedEntry(at, {
      step: step.id,
      error: 'render_failed',
      message: error instanceof Error ? error.message : String(error),
    });
    return sum({ failed: 1 }, await commit(deps, advance({ ...at, entries: [failed] })));
  }

  // Claim: from this write on the step is never sent again, whatever happens next.
  const claimed = claim({ ...at, transactional: sequence.transactional === true });
  if (!(await deps.leads.replace(claimed.next, claimed.expectedVersion))) return {};
  const held = { leadId: lead.leadId, claimed: claimed.claimed };

  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(
      stepEmail({
        lead,
        sequence,
        step: { ...step, template },
        variant: variant?.name,
        settings: config.settings,
        rendered,
        unsubscribeUrl,
      }),
    ));
  } catch (error) {
    const mailerError =
      error instanceof MailerError
        ? error
        : new MailerError('unknown', 'send_error', error instanceof Error ? error.message : String(error));
    if (mailerError.kind === 'throttled' && (enrollment.attempts ?? 0) + 1 < MAX_THROTTLED_ATTEMPTS) {
      await settle(deps, held, (fresh, current) =>
        releaseThrottled({
          lead: fresh,
          current,
          claimed: held.claimed,
          stepId: step.id,
          error: mailerError.code,
          now,
        }),
      );
      return { throttled: 1 };
    }
    const failed = failedEntry(at, { step: step.id, error: mailerError.code, message: mailerError.message });
    const settled = await settle(deps, held, (fresh, current) =>
      advance({ ...at, lead: fresh, enrollment: current, entries: [failed] }),
    );
    return sum({ failed: 1 }, settled);
  }

  await deps.leads.putActivity(
    // `template` as before; `templateId` is the name the email report and SES events share.
    stepActivity(lead.leadId, enrollment, 'sent', now, {
      step: step.id,
      template,
      templateId: template,
      ...(variant ? { variant: variant.name } : {}),
      messageId,
    }),
  );
  const settled = await settle(deps, held, (fresh, current) =>
    advance({ ...at, lead: fresh, enrollment: current }),
  );
  return sum({ sent: 1 }, settled);
}

const sum = (a: Counts, b: Counts | undefined): Counts => addCounts(emptyTally(), a, b ?? {});

/**
 * Re-reads the lead until the transition `decide` returns is written, while the enrollment still
 * holds this claim; returns what it counts once written. `decide` gets the enrollment as it is
 * now, not as claimed: an exit rule that fired during the send (`exit`) must survive the step's
 * settlement.
 */
async function settle(
  deps: RunDeps,
  claim: { leadId: string; claimed: Enrollment },
  decide: (fresh: LeadState, current: Enrollment) => Transition,
): Promise<Counts> {
  const { leadId, claimed } = claim;
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const fresh = await deps.leads.load(leadId);
    const current = fresh?.nurture?.enrollments[claimed.sequenceId];
    if (
      !fresh ||
      !current ||
      current.number !== claimed.number ||
      current.sending?.at !== claimed.sending?.at
    )
      return {};
    const counts = await commit(deps, decide(fresh, current));
    if (counts) return counts;
  }
  // Left claimed: the next job finds the claim and settles it from the timeline (never re-sends).
  return {};
}

/**
 * Writes a decision (conditional on the version it was made on) with its timeline entries in
 * the item's outbox, then stores the entries: the timeline never shows a decision that lost its
 * write, and a crash between the two is healed by the next run (which stores the outbox first).
 * Returns what the decision counts, or undefined when another write came first.
 */
async function commit(deps: RunDeps, transition: Transition): Promise<Counts | undefined> {
  const { next, expectedVersion, counts } = transition;
  if (!(await deps.leads.replace(next, expectedVersion))) return undefined;
  for (const entry of next.nurture?.outbox ?? []) await deps.leads.putActivity(entry);
  deps.leads.outboxStored(next.leadId);
  return counts;
}
