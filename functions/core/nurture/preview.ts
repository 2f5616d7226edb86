import type { LeadState } from '../leads/lead';
import type { NurtureConfig, Sequence, Settings } from './config-schema';
import { conditionHolds } from './gate';
import { mailbox } from './mailer';
import { renderEmail, type TemplateVars } from './render';
import { frequencyCapCheck, leadTimeZone, sendWindowCheck, stepDueAt } from './schedule';
import { variantEmail, variantFor } from './step-variants';

/** Enough to cross a week of capped days and a closed window without looping forever. */
const MAX_MOVES = 30;

/**
 * Previews of nurture email: what each step of a sequence would look like for a stored lead, a
 * sketched profile or the sample profile, and when it would go out if enrolled now. Pure: the
 * caller passes the clock and the unsubscribe link; nothing is written.
 */

/** The unsubscribe link of sample previews and proofs: obviously not a working link (`.invalid`). */
export const SAMPLE_UNSUBSCRIBE_URL = 'https://unsubscribe.example.invalid/sample-preview-not-a-real-link';
/** The double opt-in link of proofs: not a working link either. */
export const SAMPLE_CONFIRM_URL = 'https://confirm.example.invalid/sample-preview-not-a-real-link';

export interface PreviewSubject {
  /** A stored lead: step conditions are evaluated, its time zone and recent sends are used. */
  lead?: LeadState;
  vars: TemplateVars;
  /** A sketched profile's `timezone` field, when it gives one. */
  timezone?: unknown;
}

export interface StepPreview {
  stepId: string;
  template: string;
  subject?: string;
  html?: string;
  text?: string;
  headers: { name: string; value: string }[];
  /** When it would be sent (or, when its condition does not hold, skipped) if enrolled now. */
  when: string;
  condition?: { holds: boolean };
  /** The template failed to render for this subject (it would end `failed`). */
  error?: string;
  /** Why its time is later than its wait: the frequency cap, the send window, or both. */
  moved?: ('frequency_cap' | 'send_window')[];
  /** An A/B step: the variant a stored lead would get (the sender's choice); a sample or profile shows the first. */
  variant?: string;
}

/** The headers every marketing email carries (RFC 8058 one-click unsubscribe, sender, reply-to). */
export function emailHeaders(settings: Settings, unsubscribeUrl: string): { name: string; value: string }[] {
  return [
    { name: 'List-Unsubscribe', value: `<${unsubscribeUrl}>` },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
    { name: 'From', value: mailbox(settings.sender.name, settings.sender.email) },
    ...(settings.replyTo ? [{ name: 'Reply-To', value: settings.replyTo }] : []),
  ];
}

/**
 * Every step of `sequence`, rendered for the subject, with the time it would go out if the
 * subject were enrolled now: the waits walked from now (each from the previous step's send,
 * like send-email), moved by the frequency cap (the lead's recent sends plus the previewed
 * ones) and the send window unless the step ignores it. A step whose condition does not hold
 * for the lead is skipped at its due time, and the next wait runs from then.
 */
export function previewSequence(
  config: NurtureConfig,
  sequence: Sequence,
  subject: PreviewSubject,
  now: Date,
): StepPreview[] {
  const { settings } = config;
  const zone = leadTimeZone(
    subject.lead ? subject.lead.profile.timezone?.value : subject.timezone,
    settings.sendWindow.timezone,
  );
  const sent = [...(subject.lead?.nurture?.sent ?? [])];
  const headers = emailHeaders(settings, subject.vars.unsubscribeUrl);
  let at = now;
  return sequence.steps.map((step) => {
    at = stepDueAt(step.wait, at, zone);
    const holds =
      step.when && subject.lead
        ? conditionHolds(step.when, subject.lead, { segments: config.segments, now: at })
        : undefined;
    const moved = new Set<'frequency_cap' | 'send_window'>();
    if (holds !== false) {
      at = sendTime(settings, zone, at, sent, step.ignoreSendWindow, moved);
      sent.push(at.toISOString());
    }
    const variant = subject.lead ? variantFor(sequence.id, step, subject.lead.leadId) : step.variants?.[0];
    const { template, subject: variantSubject } = variantEmail(step, variant);
    const preview: StepPreview = {
      stepId: step.id,
      template,
      ...(variant ? { variant: variant.name } : {}),
      headers,
      when: at.toISOString(),
      ...(holds === undefined ? {} : { condition: { holds } }),
      ...(moved.size > 0 ? { moved: [...moved] } : {}),
    };
    try {
      return { ...preview, ...renderEmail(config, template, subject.vars, { subject: variantSubject }) };
    } catch (error) {
      return { ...preview, error: error instanceof Error ? error.message : String(error) };
    }
  });
}

/** The first moment from `due` at which the gate lets the step through: under the cap, inside the window. */
function sendTime(
  settings: Settings,
  zone: string,
  due: Date,
  sent: string[],
  ignoreSendWindow: boolean,
  moved: Set<'frequency_cap' | 'send_window'>,
): Date {
  let at = due;
  for (let move = 0; move < MAX_MOVES; move += 1) {
    const cap = frequencyCapCheck(sent, settings.frequencyCap, at);
    if (!cap.ok) {
      at = cap.retryAt;
      moved.add('frequency_cap');
      continue;
    }
    if (ignoreSendWindow) return at;
    const window = sendWindowCheck(settings.sendWindow, zone, at);
    if (window.open) return at;
    at = window.opensAt;
    moved.add('send_window');
  }
  return at;
}
