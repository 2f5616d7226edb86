import type * as z from 'zod/mini';
import type { SuppressionStore } from '../consent/suppression';
import { LeadflowError, ValidationError } from '../kernel/errors';
import type { LeadStore } from '../leads/ports';
import type { testSendBodySchema } from './admin-bodies';
import { type Mailer, MailerError, mailbox } from './mailer';
import { configVersion, type NurtureVersions, storedLead, templateIn } from './nurture-versions';
import { emailHeaders, SAMPLE_CONFIRM_URL, SAMPLE_UNSUBSCRIBE_URL } from './preview';
import { renderEmail, sampleVars, TemplateRenderError, type TemplateVars } from './render';
import type { ProofSent } from './responses';
import { leadVars } from './template-vars';

/** A proof to an address on the suppression list: never sent (invariant 4 holds for proofs too). */
export class SuppressedAddressError extends LeadflowError {
  readonly code = 'suppressed_address';
  constructor() {
    super(
      'This address is on the suppression list (unsubscribed, bounced or complained): no email goes to it.',
    );
  }
}

/** SES did not take the proof. `kind` says whether it was refused, throttled, or may have gone out. */
export class ProofNotSentError extends LeadflowError {
  readonly code: 'proof_throttled' | 'proof_rejected' | 'proof_not_sent';
  constructor(
    readonly kind: MailerError['kind'],
    message: string,
  ) {
    super(message);
    this.code =
      kind === 'throttled' ? 'proof_throttled' : kind === 'rejected' ? 'proof_rejected' : 'proof_not_sent';
  }
}

/**
 * A proof of a template to any address: rendered for a stored lead or the sample profile,
 * subject prefixed `[Proof] `, sent through the mailer. Not marketing to the lead: no
 * enrollment, no timeline entry, no frequency-cap count, no consent check — but never to a
 * suppressed address. The unsubscribe link is a sample one: a proof's reader is not the lead,
 * and a click must not unsubscribe the lead.
 */
export async function sendProof(
  deps: {
    versions: NurtureVersions;
    leads: Pick<LeadStore, 'load'>;
    suppressions: Pick<SuppressionStore, 'lookup'>;
    mailer: Mailer;
  },
  templateId: string,
  body: z.infer<typeof testSendBodySchema>,
): Promise<ProofSent> {
  const active = await configVersion(deps.versions, body.version);
  templateIn(active.config, templateId);
  const vars: TemplateVars = {
    ...(body.leadId
      ? leadVars(await storedLead(deps.leads, body.leadId), SAMPLE_UNSUBSCRIBE_URL)
      : sampleVars(SAMPLE_UNSUBSCRIBE_URL)),
    // A proof of the confirmation email shows where its button goes, without a working link.
    confirmUrl: SAMPLE_CONFIRM_URL,
  };
  if (await deps.suppressions.lookup(body.to)) throw new SuppressedAddressError();
  let rendered: ReturnType<typeof renderEmail>;
  try {
    rendered = renderEmail(active.config, templateId, vars);
  } catch (error) {
    if (!(error instanceof TemplateRenderError)) throw error;
    throw new ValidationError(
      [{ path: 'template', message: error.message }],
      'The template does not render.',
    );
  }
  const { settings } = active.config;
  try {
    return await deps.mailer.send({
      to: body.to,
      from: mailbox(settings.sender.name, settings.sender.email),
      replyTo: settings.replyTo,
      subject: `[Proof] ${rendered.subject}`,
      html: rendered.html,
      text: rendered.text,
      // From and Reply-To travel as the mailer's own fields.
      headers: emailHeaders(settings, vars.unsubscribeUrl).filter((h) => h.name.startsWith('List-')),
      // No leadId tag: SES events of a proof must not land on a lead's timeline or score.
      tags: [
        { name: 'purpose', value: 'proof' },
        { name: 'template', value: templateId },
      ],
    });
  } catch (error) {
    if (!(error instanceof MailerError)) throw error;
    throw new ProofNotSentError(error.kind, `SES did not take the proof (${error.code}).`);
  }
}
