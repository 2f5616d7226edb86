import type { SuppressionStore } from '../consent/suppression';
import type { Clock } from '../kernel/clock';
import type { Activity, LeadState } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type { NurtureConfig } from './config-schema';
import { doubleOptInSettings } from './confirmation';
import type { ActiveNurture } from './enroll';
import { CLAIM_TIMEOUT_MS, type Enrollment, inFlight } from './enrollment';
import { decideStep, type SkipReason } from './gate';
import { type Mailer, MailerError, mailbox } from './mailer';
import { renderEmail, type TemplateVars } from './render';
import { leadTimeZone, recentSends, stepDueAt } from './schedule';
import { type NurtureSequence, sequenceFor } from './sequences';
import { leadVars } from './template-vars';
import { sequenceActivity, skipActivity, stepActivity, stepActivityId } from './timeline';

export interface SendDeps {
  leads: Pick<LeadStore, 'load' | 'replace' | 'putActivity'> & {
    hasActivity(leadId: string, activityId: string): Promise<boolean>;
  };
  nurture: { active(): Promise<ActiveNurture | undefined> };
  suppressions: Pick<SuppressionStore, 'lookup'>;
  mailer: Mailer;
  /** The signed one-click unsubscribe URL for this lead. */
  unsubscribeUrl(leadId: string, now: Date): Promise<string>;
  /** The signed double opt-in confirmation URL (confirmation emails only); it expires. */
  confirmUrl(leadId: string, formId: string, now: Date, expiresInDays: number): Promise<string>;
  clock: Clock;
}

export interface SendTally {
  sent: number;
  skipped: number;
  failed: number;
  rescheduled: number;
  throttled: number;
  ended: number;
}

/** A job handles at most this many step outcomes for one lead (each is a few writes). */
const MAX_ROUNDS = 25;
/** A throttled step is tried again after 30 s, 1, 2, 4... minutes, at most 30; then it fails. */
export const MAX_THROTTLED_ATTEMPTS = 10;
const backoffMs = (attempt: number) => Math.min(30 * 60_000, 30_000 * 2 ** (attempt - 1));

type Round = 'done' | 'again';

/**
 * send-email, for one lead: runs every due step of its enrollments, one outcome per round,
 * each decided by the gate on a fresh read and written conditionally on the lead's version
 * (a concurrent write makes the round start over). A step is sent at most once: it is
 * claimed (`sending`) in the lead write before SES is called; a claim another run may still be
 * sending is left alone, and one that timed out is never sent again — it ends `sent` when its
 * `email_sent` entry exists, else `failed` (`outcome_unknown`).
 * Every step ends on the timeline as sent, skipped (with the reason) or failed (with the error).
 */
export async function processDueSteps(given: SendDeps, leadId: string): Promise<SendTally> {
  const tally: SendTally = { sent: 0, skipped: 0, failed: 0, rescheduled: 0, throttled: 0, ended: 0 };
  // The lead as this run last wrote it saves the read of the next round (and of settling a send):
  // if someone wrote since, the next conditional write fails and the round starts over from a read.
  let written: LeadState | undefined;
  const deps: SendDeps = {
    ...given,
    leads: {
      load: async (id) => {
        const known = written;
        written = undefined;
        return known ?? given.leads.load(id);
      },
      replace: async (lead, expectedVersion) => {
        const ok = await given.leads.replace(lead, expectedVersion);
        written = ok ? lead : undefined;
        return ok;
      },
      putActivity: (activity) => given.leads.putActivity(activity),
      hasActivity: (id, activityId) => given.leads.hasActivity(id, activityId),
    },
  };
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const lead = await deps.leads.load(leadId);
    // Nothing is sent to a lead being erased (the erase waits for a send already in flight).
    if (!lead?.nurture || lead.erasing) return tally;
    // Entries an earlier run wrote with its decision but did not get to store (it died between).
    for (const entry of lead.nurture.outbox ?? []) await deps.leads.putActivity(entry);
    const now = deps.clock.now();
    const due = dueEnrollments(lead, now);
    const first = due.find((e) => !inFlight(e, now));
    if (!first) {
      // Nothing due (another job ran it, or a lost job's lease ran out): drop the lease. A step
      // another run is sending right now stays off the due index until its claim times out.
      const hold = claimsEnd(due, now);
      if (lead.nurture.leasedUntil !== hold)
        await deps.leads.replace(write(lead, undefined, now, { leasedUntil: hold }), lead.version);
      return tally;
    }
    const active = await deps.nurture.active();
    if (!active) return tally;
    if ((await runStep(deps, lead, first, active.config, now, tally)) === 'done') continue;
  }
  return tally;
}

/** When the last in-flight claim among these times out, if any. */
function claimsEnd(enrollments: Enrollment[], now: Date): string | undefined {
  const ends = enrollments
    .filter((e) => inFlight(e, now))
    .map((e) => claimEnd(e.sending?.at ?? now.toISOString()));
  return ends.length > 0 ? ends.sort().at(-1) : undefined;
}

const claimEnd = (at: string) => new Date(Date.parse(at) + CLAIM_TIMEOUT_MS).toISOString();

function dueEnrollments(lead: LeadState, now: Date): Enrollment[] {
  const at = now.toISOString();
  return Object.values(lead.nurture?.enrollments ?? {})
    .filter((e) => e.status === 'active' && e.dueAt !== undefined && e.dueAt <= at)
    .sort((a, b) => (a.dueAt ?? '').localeCompare(b.dueAt ?? ''));
}

async function runStep(
  deps: SendDeps,
  lead: LeadState,
  enrollment: Enrollment,
  config: NurtureConfig,
  now: Date,
  tally: SendTally,
): Promise<Round> {
  const sequence = sequenceFor(config, enrollment);
  const zone = leadTimeZone(lead.profile.timezone?.value, config.settings.sendWindow.timezone);
  const step = sequence?.steps[enrollment.step];

  // A claim from an earlier attempt that timed out (its run died): never send it again.
  if (enrollment.sending && enrollment.sending.step === enrollment.step) {
    const sentId = stepActivityId(lead.leadId, enrollment, 'sent');
    if (await deps.leads.hasActivity(lead.leadId, sentId)) {
      return (await advance(deps, lead, enrollment, sequence, zone, now, [], tally)) ? 'done' : 'again';
    }
    tally.failed += 1;
    const failed = stepActivity(lead.leadId, enrollment, 'failed', now, {
      step: step?.id,
      error: 'outcome_unknown',
      message: 'interrupted after the send was claimed; not sent again',
    });
    return (await advance(deps, lead, enrollment, sequence, zone, now, [failed], tally)) ? 'done' : 'again';
  }

  // The first wait of an enrollment runs from when it started: resolve it to the real due time.
  if (enrollment.waitFrom && step) {
    const dueAt = stepDueAt(step.wait, new Date(enrollment.waitFrom), zone);
    const resolved: Enrollment = { ...enrollment, waitFrom: undefined, dueAt: dueAt.toISOString() };
    if (!(await deps.leads.replace(write(lead, resolved, now), lead.version))) return 'again';
    return 'done';
  }

  const suppression = await deps.suppressions.lookup(lead.email);
  const decision = decideStep({
    lead,
    enrollment,
    sequence,
    settings: config.settings,
    suppression,
    zone,
    now,
  });
  switch (decision.kind) {
    case 'end':
      return (await end(deps, lead, enrollment, sequence, decision.reason, decision.skip, now, tally))
        ? 'done'
        : 'again';
    case 'skip': {
      const skipped = skipActivity(lead.leadId, enrollment, decision.step.id, decision.reason, now);
      const ok = await advance(deps, lead, enrollment, sequence, zone, now, [skipped], tally);
      if (ok) tally.skipped += 1;
      return ok ? 'done' : 'again';
    }
    case 'reschedule': {
      const reschedules = (enrollment.reschedules ?? 0) + 1;
      const capMoves = (enrollment.capMoves ?? 0) + (decision.reason === 'frequency_cap' ? 1 : 0);
      const moved: Enrollment = { ...enrollment, dueAt: decision.at.toISOString(), reschedules, capMoves };
      const entry = stepActivity(lead.leadId, enrollment, `rescheduled.${reschedules}`, now, {
        step: decision.step.id,
        reason: decision.reason,
        until: decision.at.toISOString(),
      });
      if (!(await commit(deps, write(lead, moved, now, {}, [entry]), lead.version))) return 'again';
      tally.rescheduled += 1;
      return 'done';
    }
    case 'send':
      return send(deps, lead, enrollment, sequence as NurtureSequence, config, zone, now, tally);
  }
}

async function send(
  deps: SendDeps,
  lead: LeadState,
  enrollment: Enrollment,
  sequence: NurtureSequence,
  config: NurtureConfig,
  zone: string,
  now: Date,
  tally: SendTally,
): Promise<Round> {
  const step = sequence.steps[enrollment.step];
  if (!step) return 'done';
  let rendered: ReturnType<typeof renderEmail>;
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
  try {
    rendered = renderEmail(config, step.template, varsOf(lead, unsubscribeUrl, confirmUrl));
  } catch (error) {
    tally.failed += 1;
    const failed = stepActivity(lead.leadId, enrollment, 'failed', now, {
      step: step.id,
      error: 'render_failed',
      message: error instanceof Error ? error.message : String(error),
    });
    return (await advance(deps, lead, enrollment, sequence, zone, now, [failed], tally)) ? 'done' : 'again';
  }

  // Claim: from here on this step is never sent again, whatever happens next. Until the claim
  // times out, tick does not queue the lead again (the index entry moves to the claim's end).
  const at = now.toISOString();
  const claimed: Enrollment = { ...enrollment, sending: { step: enrollment.step, at } };
  // A confirmation email is not marketing: it does not count toward the frequency cap.
  const sent = sequence.transactional
    ? (lead.nurture?.sent ?? [])
    : recentSends([...(lead.nurture?.sent ?? []), at], now);
  const claimedLead = write(lead, claimed, now, { sent, leasedUntil: claimEnd(at) });
  if (!(await deps.leads.replace(claimedLead, lead.version))) return 'again';

  const { settings } = config;
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send({
      to: lead.email,
      from: mailbox(settings.sender.name, settings.sender.email),
      replyTo: settings.replyTo,
      ...rendered,
      headers: [
        { name: 'List-Unsubscribe', value: `<${unsubscribeUrl}>` },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ],
      tags: [
        { name: 'leadId', value: lead.leadId },
        { name: 'sequence', value: tagValue(sequence.id) },
        { name: 'step', value: tagValue(step.id) },
      ],
    }));
  } catch (error) {
    const mailerError =
      error instanceof MailerError
        ? error
        : new MailerError('unknown', 'send_error', error instanceof Error ? error.message : String(error));
    if (mailerError.kind === 'throttled' && (enrollment.attempts ?? 0) + 1 < MAX_THROTTLED_ATTEMPTS) {
      tally.throttled += 1;
      await unclaim(deps, lead.leadId, claimed, step.id, mailerError, now);
      return 'done';
    }
    tally.failed += 1;
    const failed = stepActivity(lead.leadId, enrollment, 'failed', now, {
      step: step.id,
      error: mailerError.code,
      message: mailerError.message,
    });
    await settle(deps, lead.leadId, claimed, (fresh, current) =>
      advance(deps, fresh, current, sequence, zone, now, [failed], tally),
    );
    return 'done';
  }

  tally.sent += 1;
  await deps.leads.putActivity(
    stepActivity(lead.leadId, enrollment, 'sent', now, {
      step: step.id,
      template: step.template,
      messageId,
    }),
  );
  await settle(deps, lead.leadId, claimed, (fresh, current) =>
    advance(deps, fresh, current, sequence, zone, now, [], tally),
  );
  return 'done';
}

/**
 * Throttled: not sent. Release the claim, take the send off the cap, try again after a backoff;
 * the timeline shows the step moved (`email_rescheduled`, reason `throttled`) and until when.
 */
async function unclaim(
  deps: SendDeps,
  leadId: string,
  claimed: Enrollment,
  stepId: string,
  error: MailerError,
  now: Date,
) {
  const at = claimed.sending?.at;
  const attempts = (claimed.attempts ?? 0) + 1;
  const until = new Date(now.getTime() + backoffMs(attempts)).toISOString();
  const entry = stepActivity(leadId, claimed, `rescheduled.throttled.${attempts}`, now, {
    step: stepId,
    reason: 'throttled',
    until,
    error: error.code,
  });
  await settle(deps, leadId, claimed, async (fresh, current) => {
    const retry: Enrollment = { ...current, sending: undefined, attempts, dueAt: until };
    const sent = (fresh.nurture?.sent ?? []).filter((t) => t !== at);
    return commit(deps, write(fresh, retry, now, { sent }, [entry]), fresh.version);
  });
}

/**
 * Re-reads the lead until `apply` writes, while the enrollment still holds this claim. `apply`
 * gets the enrollment as it is now, not as claimed: an exit rule that fired during the send
 * (`exit`) must survive the step's settlement.
 */
async function settle(
  deps: SendDeps,
  leadId: string,
  claimed: Enrollment,
  apply: (fresh: LeadState, current: Enrollment) => Promise<boolean>,
): Promise<void> {
  for (let attempt = 0; attempt < 8; attempt += 1) {
    const fresh = await deps.leads.load(leadId);
    const current = fresh?.nurture?.enrollments[claimed.sequenceId];
    if (
      !fresh ||
      !current ||
      current.number !== claimed.number ||
      current.sending?.at !== claimed.sending?.at
    )
      return;
    if (await apply(fresh, current)) return;
  }
  // Left claimed: the next job finds the claim and settles it from the timeline (never re-sends).
}

/** Moves past the current step: schedules the next one or completes the enrollment. */
async function advance(
  deps: SendDeps,
  lead: LeadState,
  enrollment: Enrollment,
  sequence: NurtureSequence | undefined,
  zone: string,
  now: Date,
  entries: Activity[],
  tally: SendTally,
): Promise<boolean> {
  const nextStep = sequence?.steps[enrollment.step + 1];
  const base: Enrollment = {
    ...enrollment,
    sending: undefined,
    reschedules: undefined,
    capMoves: undefined,
    attempts: undefined,
  };
  if (nextStep) {
    const next: Enrollment = {
      ...base,
      step: enrollment.step + 1,
      // An exit that fired meanwhile is recorded now (its remaining steps skipped), not after the wait.
      dueAt: (enrollment.exit ? now : stepDueAt(nextStep.wait, now, zone)).toISOString(),
    };
    return commit(deps, write(lead, next, now, {}, entries), lead.version);
  }
  const completed = sequenceActivity(lead.leadId, enrollment, 'sequence_completed', now, {});
  const done: Enrollment = { ...base, status: 'completed', dueAt: undefined, endedAt: now.toISOString() };
  const ok = await commit(deps, write(lead, done, now, {}, [...entries, completed]), lead.version);
  if (ok) tally.ended += 1;
  return ok;
}

/** Ends the enrollment: every step not sent yet is skipped with the reason, then the exit is recorded. */
async function end(
  deps: SendDeps,
  lead: LeadState,
  enrollment: Enrollment,
  sequence: NurtureSequence | undefined,
  reason: string,
  skip: SkipReason,
  now: Date,
  tally: SendTally,
): Promise<boolean> {
  const steps = sequence?.steps ?? [];
  const remaining = steps.length > 0 ? steps.slice(enrollment.step) : [{ id: `step-${enrollment.step}` }];
  const entries = remaining.map((step, i) =>
    skipActivity(lead.leadId, { ...enrollment, step: enrollment.step + i }, step.id, skip, now, reason),
  );
  entries.push(
    sequenceActivity(lead.leadId, enrollment, 'sequence_exited', now, { reason, skipped: remaining.length }),
  );
  const ended: Enrollment = {
    ...enrollment,
    status: 'exited',
    dueAt: undefined,
    exit: undefined,
    sending: undefined,
    endedAt: now.toISOString(),
    reason,
  };
  const ok = await commit(deps, write(lead, ended, now, {}, entries), lead.version);
  if (ok) {
    tally.ended += 1;
    tally.skipped += remaining.length;
  }
  return ok;
}

/**
 * The next version of the lead with one enrollment replaced; any write here also ends tick's
 * lease, unless it sets a new one (a claim keeps the lead off the due index while it is sent).
 */
function write(
  lead: LeadState,
  enrollment: Enrollment | undefined,
  now: Date,
  extra: { sent?: string[]; leasedUntil?: string } = {},
  outbox: Activity[] = [],
): LeadState {
  const nurture = lead.nurture ?? { enrollments: {}, sent: [], seen: [] };
  const enrollments = enrollment
    ? { ...nurture.enrollments, [enrollment.sequenceId]: enrollment }
    : nurture.enrollments;
  const { leasedUntil, ...rest } = extra;
  return {
    ...lead,
    version: lead.version + 1,
    updatedAt: now.toISOString(),
    nurture: {
      ...nurture,
      ...rest,
      enrollments,
      leasedUntil,
      outbox: outbox.length > 0 ? outbox : undefined,
    },
  };
}

/**
 * Writes a decision (conditional on the version it was made on) with its timeline entries in
 * the item's outbox, then stores the entries: the timeline never shows a decision that lost its
 * write, and a crash between the two is healed by the next run (which stores the outbox first).
 */
async function commit(deps: SendDeps, next: LeadState, expectedVersion: number): Promise<boolean> {
  if (!(await deps.leads.replace(next, expectedVersion))) return false;
  for (const entry of next.nurture?.outbox ?? []) await deps.leads.putActivity(entry);
  // Stored: this run need not store them again (the item keeps them until its next write).
  if (next.nurture) next.nurture.outbox = undefined;
  return true;
}

/**
 * A confirmation email goes to an address nobody has confirmed: it gets no profile field the
 * sign-up typed (a name would be an attacker's words to a stranger; `{{ firstName }}` renders as
 * its default), only the address itself and the link.
 */
function varsOf(lead: LeadState, unsubscribeUrl: string, confirmUrl?: string): TemplateVars {
  const vars = leadVars(lead, unsubscribeUrl);
  if (!confirmUrl) return vars;
  return { ...vars, fields: { email: lead.email }, custom: {}, confirmUrl };
}

/** SES tag values allow ASCII letters, digits, _ and - only. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
