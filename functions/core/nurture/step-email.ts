import { attributionTags, type EmailAttribution } from '../kernel/email-attribution';
import type { LeadState } from '../leads/lead';
import type { Settings, Step } from './config-schema';
import { mailbox, type OutgoingEmail } from './mailer';
import type { RenderedEmail, TemplateVars } from './render';
import { BROADCAST_PREFIX, type NurtureSequence } from './sequences';
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

/**
 * What a step's email is counted under: its sequence and step, or its broadcast, and its template.
 * A broadcast's enrollment key `broadcast:<id>` is not a sequence: it is named by its broadcast id.
 */
export function stepAttribution(
  sequence: Pick<NurtureSequence, 'id'>,
  step: Pick<Step, 'id' | 'template'>,
  variant?: string,
): EmailAttribution {
  if (sequence.id.startsWith(BROADCAST_PREFIX)) {
    return {
      step: step.id,
      templateId: step.template,
      broadcastId: sequence.id.slice(BROADCAST_PREFIX.length),
    };
  }
  return {
    sequenceId: sequence.id,
    step: step.id,
    templateId: step.template,
    ...(variant ? { variant } : {}),
  };
}

/**
 * The email of a step: one-click unsubscribe headers, and tags that name the lead and what the
 * send is counted under (sequence, step, template, broadcast; they come back on its SES events).
 */
export function stepEmail(email: {
  lead: LeadState;
  sequence: NurtureSequence;
  step: Step;
  /** The A/B variant's name, tagged so its opens and clicks count for it. */
  variant?: string;
  settings: Settings;
  rendered: RenderedEmail;
  unsubscribeUrl: string;
}): OutgoingEmail {
  const { lead, sequence, step, variant, settings, rendered, unsubscribeUrl } = email;
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
      ...attributionTags(stepAttribution(sequence, step, variant)),
    ],
    ...(sequence.transactional === true ? { transactional: true } : {}),
  };
}
