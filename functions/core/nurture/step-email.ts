import type { LeadState } from '../leads/lead';
import type { Settings, Step } from './config-schema';
import { mailbox, type OutgoingEmail } from './mailer';
import type { RenderedEmail, TemplateVars } from './render';
import type { NurtureSequence } from './sequences';
import { leadVars } from './template-vars';

/**
 * What a step's template sees. A confirmation email goes to an address nobody has confirmed: it
 * gets no profile field the sign-up typed (a name would be an attacker's words to a stranger;
 * `{{ firstName }}` renders as its default), only the address itself and the link.
 */
export function stepVars(
  lead: LeadState,
  links: { unsubscribeUrl: string; confirmUrl?: string },
): TemplateVars {
  const vars = leadVars(lead, links.unsubscribeUrl);
  if (!links.confirmUrl) return vars;
  return { ...vars, fields: { email: lead.email }, custom: {}, confirmUrl: links.confirmUrl };
}

/** The email of a step: one-click unsubscribe headers, and tags that name the lead and the step. */
export function stepEmail(email: {
  lead: LeadState;
  sequence: NurtureSequence;
  step: Step;
  settings: Settings;
  rendered: RenderedEmail;
  unsubscribeUrl: string;
}): OutgoingEmail {
  const { lead, sequence, step, settings, rendered, unsubscribeUrl } = email;
  return {
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
    ...(sequence.transactional === true ? { transactional: true } : {}),
  };
}

/** SES tag values allow ASCII letters, digits, _ and - only. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
