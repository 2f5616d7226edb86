import type { Form } from '../capture/form';
import type { NurtureConfig, Settings } from './config-schema';
import type { ActiveNurture } from './enroll';
import { type Enrollment, emptyNurture, type LeadNurture } from './enrollment';

/**
 * Double opt-in confirmations: a one-step transactional enrollment `confirm:<formId>` on the lead
 * item, due at once, so tick and send-email send the confirmation email through the one send
 * path (claim, at most once, timeline entries) — like a broadcast's single step, but not
 * marketing: the gate skips consent, exit rules, the frequency cap and the send window, never
 * the suppression list.
 */
export const CONFIRM_PREFIX = 'confirm:';
export const confirmationKey = (formId: string) => `${CONFIRM_PREFIX}${formId}`;

export const DOUBLE_OPT_IN_DEFAULTS = { template: 'confirm-subscription', expiresInDays: 7 } as const;

/** settings.doubleOptIn with its defaults (the block is optional). */
export function doubleOptInSettings(settings: Pick<Settings, 'doubleOptIn'> | undefined): {
  template: string;
  expiresInDays: number;
} {
  return { ...DOUBLE_OPT_IN_DEFAULTS, ...settings?.doubleOptIn };
}

/**
 * A repeated sign-up sends another confirmation at most this often, whichever double opt-in form
 * it comes from: forms cannot flood an inbox. (Per IP: functions/core/capture.ts.)
 */
export const CONFIRMATION_RESEND_MS = 60 * 60_000;

/**
 * Asks for a confirmation email from this form: a new enrollment due now, unless one is still on
 * its way or a confirmation (from any form) was asked for within the hour. Test leads and a
 * missing nurture config (no template to send) ask nothing.
 */
export function requestConfirmation(
  nurture: LeadNurture | undefined,
  formId: string,
  active: ActiveNurture | undefined,
  now: Date,
): { nurture: LeadNurture | undefined; enrolled?: string } {
  if (!active) return { nurture };
  const key = confirmationKey(formId);
  const existing = nurture?.enrollments[key];
  const recent = Object.values(nurture?.enrollments ?? {}).some(
    (e) =>
      e.sequenceId.startsWith(CONFIRM_PREFIX) &&
      (e.status === 'active' || now.getTime() - Date.parse(e.enrolledAt) < CONFIRMATION_RESEND_MS),
  );
  if (recent) return { nurture };
  const at = now.toISOString();
  const enrollment: Enrollment = {
    sequenceId: key,
    number: (existing?.number ?? 0) + 1,
    status: 'active',
    enrolledAt: at,
    step: 0,
    dueAt: at,
    transactional: {
      kind: 'confirm',
      formId,
      template: doubleOptInSettings(active.config.settings).template,
    },
  };
  const base = nurture ?? emptyNurture();
  return { nurture: { ...base, enrollments: { ...base.enrollments, [key]: enrollment } }, enrolled: key };
}

/**
 * Forms asking for double opt-in need the confirmation template in the nurture config. Checked
 * where forms and nurture config meet (`leadflow config check|push`, `npm start`): the nurture
 * config alone cannot know whether any form needs it.
 */
export function doubleOptInProblems(
  forms: Pick<Form, 'id' | 'consent'>[],
  config: Pick<NurtureConfig, 'settings' | 'templates'> | undefined,
): string[] {
  const template = doubleOptInSettings(config?.settings).template;
  const found = config?.templates.some((t) => t.id === template) === true;
  return forms
    .filter((form) => form.consent?.doubleOptIn === true && !found)
    .map(
      (form) =>
        `form ${form.id}: consent.doubleOptIn needs the confirmation template "${template}" ` +
        '(settings.doubleOptIn.template) in the nurture config',
    );
}
