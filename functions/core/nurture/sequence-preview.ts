import type * as z from 'zod/mini';
import type { SuppressionStore } from '../consent/suppression';
import { ValidationError } from '../kernel/errors';
import type { LeadStore } from '../leads/ports';
import type { previewBodySchema } from './admin-bodies';
import { configVersion, type NurtureVersions, sequenceIn, storedLead } from './nurture-versions';
import { previewSequence, SAMPLE_UNSUBSCRIBE_URL } from './preview';
import { holdFor } from './preview-hold';
import { sampleVars } from './render';
import type { SequencePreview } from './responses';
import { leadVars, profileVars } from './template-vars';

/**
 * Preview of a sequence for a stored lead (`leadId`: its real signed unsubscribe link, its
 * time zone, step conditions evaluated), a sketched `profile`, or the sample profile: every
 * step rendered with its headers and the time it would go out if enrolled now; for a stored lead,
 * why nothing would go out at all (the sender's gate: consent, sales, suppression...). Writes nothing.
 */
export async function previewSequenceFor(
  deps: {
    versions: NurtureVersions;
    leads: Pick<LeadStore, 'load'>;
    suppressions: Pick<SuppressionStore, 'lookup'>;
    unsubscribeUrl(leadId: string, now: Date): Promise<string>;
  },
  sequenceId: string,
  body: z.infer<typeof previewBodySchema>,
  now: Date,
): Promise<SequencePreview> {
  if (body.leadId && body.profile)
    throw new ValidationError([{ path: 'profile', message: 'give leadId or profile, not both' }]);
  const active = await configVersion(deps.versions, body.version);
  const sequence = sequenceIn(active.config, sequenceId);
  let subject: Parameters<typeof previewSequence>[2];
  let hold: ReturnType<typeof holdFor>;
  if (body.leadId) {
    const lead = await storedLead(deps.leads, body.leadId);
    subject = { lead, vars: leadVars(lead, await deps.unsubscribeUrl(lead.leadId, now)) };
    hold = holdFor(active.config, sequence, lead, await deps.suppressions.lookup(lead.email), now);
  } else if (body.profile) {
    subject = { vars: profileVars(body.profile, SAMPLE_UNSUBSCRIBE_URL), timezone: body.profile.timezone };
  } else {
    subject = { vars: sampleVars(SAMPLE_UNSUBSCRIBE_URL) };
  }
  return {
    version: active.version,
    sequenceId: sequence.id,
    subject: body.leadId ? 'lead' : body.profile ? 'profile' : 'sample',
    steps: previewSequence(active.config, sequence, subject, now),
    ...(hold ? { wouldNotSend: hold } : {}),
  };
}
