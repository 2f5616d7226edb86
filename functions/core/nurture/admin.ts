import type * as z from 'zod/mini';
import type { SuppressionStore } from '../consent/suppression';
import { sha256Hex } from '../kernel/email';
import { LeadflowError, LeadNotFoundError, ValidationError } from '../kernel/errors';
import type { Activity, LeadState } from '../leads/lead';
import type { LeadStore } from '../leads/ports';
import type {
  broadcastBodySchema,
  broadcastPreviewBodySchema,
  enrollBodySchema,
  previewBodySchema,
  testSendBodySchema,
} from './admin-bodies';
import { type Broadcast, type BroadcastDeps, previewBroadcast, startBroadcast } from './broadcast';
import type { NurtureConfig, Sequence } from './config-schema';
import { enrollManually } from './enroll';
import { type Mailer, MailerError, mailbox } from './mailer';
import { emailHeaders, previewSequence, SAMPLE_CONFIRM_URL, SAMPLE_UNSUBSCRIBE_URL } from './preview';
import { renderEmail, sampleVars, TemplateRenderError, type TemplateVars } from './render';
import { leadVars, profileVars } from './template-vars';
import { validateNurtureConfig } from './validate-config';

/** An id in the path that names nothing: 404. */
export class NurtureNotFoundError extends LeadflowError {
  constructor(
    readonly code:
      | 'config_not_found'
      | 'version_not_found'
      | 'sequence_not_found'
      | 'template_not_found'
      | 'broadcast_not_found',
    message: string,
  ) {
    super(message);
  }
}

/** Manual enrollment refused by the entry rules: the code says which (already_enrolled, no_consent...). */
export class EnrollmentRefusedError extends LeadflowError {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

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

export interface NurtureVersions {
  active(): Promise<{ config: NurtureConfig; version: number } | undefined>;
  version(version: number): Promise<{ config: NurtureConfig; version: number } | undefined>;
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

/** A config posted to the admin API, validated; errors carry `config.`-prefixed paths. */
export function draftConfig(document: unknown) {
  const result = validateNurtureConfig(document);
  if (!result.ok) {
    throw new ValidationError(
      result.errors.map((e) => ({ path: e.path ? `config.${e.path}` : 'config', message: e.message })),
      'The nurture config is not valid.',
    );
  }
  return result;
}

/** The given version, or the active one. */
export async function configVersion(versions: NurtureVersions, wanted?: number) {
  if (wanted === undefined) return activeConfig(versions);
  const found = await versions.version(wanted);
  if (!found) throw new NurtureNotFoundError('version_not_found', `No nurture config version ${wanted}.`);
  return found;
}

async function activeConfig(versions: Pick<NurtureVersions, 'active'>) {
  const found = await versions.active();
  if (!found)
    throw new NurtureNotFoundError(
      'config_not_found',
      'No nurture config is active yet: add a version and activate it.',
    );
  return found;
}

export function sequenceIn(config: NurtureConfig, sequenceId: string): Sequence {
  const sequence = config.sequences.find((s) => s.id === sequenceId);
  if (!sequence)
    throw new NurtureNotFoundError(
      'sequence_not_found',
      `No sequence "${sequenceId.slice(0, 64)}" in this version.`,
    );
  return sequence;
}

function templateIn(config: NurtureConfig, templateId: string): void {
  if (!config.templates.some((t) => t.id === templateId))
    throw new NurtureNotFoundError(
      'template_not_found',
      `No template "${templateId.slice(0, 64)}" in this version.`,
    );
}

async function storedLead(leads: Pick<LeadStore, 'load'>, id: string): Promise<LeadState> {
  const lead = await leads.load(id);
  if (!lead) throw new LeadNotFoundError();
  return lead;
}

/**
 * Preview of a sequence for a stored lead (`leadId`: its real signed unsubscribe link, its
 * time zone, step conditions evaluated), a sketched `profile`, or the sample profile: every
 * step rendered with its headers and the time it would go out if enrolled now. Writes nothing.
 */
export async function previewSequenceFor(
  deps: {
    versions: NurtureVersions;
    leads: Pick<LeadStore, 'load'>;
    unsubscribeUrl(leadId: string, now: Date): Promise<string>;
  },
  sequenceId: string,
  body: z.infer<typeof previewBodySchema>,
  now: Date,
) {
  if (body.leadId && body.profile)
    throw new ValidationError([{ path: 'profile', message: 'give leadId or profile, not both' }]);
  const active = await configVersion(deps.versions, body.version);
  const sequence = sequenceIn(active.config, sequenceId);
  let subject: Parameters<typeof previewSequence>[2];
  if (body.leadId) {
    const lead = await storedLead(deps.leads, body.leadId);
    subject = { lead, vars: leadVars(lead, await deps.unsubscribeUrl(lead.leadId, now)) };
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
  };
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
): Promise<{ messageId: string }> {
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

/**
 * Manual enrollment: the sequence's entry rules (consent, re-entry, sales, exit stages; test
 * leads never), written on the lead conditionally on its version (re-read and retried on a
 * concurrent write), then a `sequence_enrolled` timeline entry with a deterministic id.
 */
export async function enrollLead(
  deps: {
    versions: Pick<NurtureVersions, 'active'>;
    leads: Pick<LeadStore, 'load' | 'replace' | 'putActivity'>;
  },
  sequenceId: string,
  body: z.infer<typeof enrollBodySchema>,
  by: string,
  now: Date,
) {
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
  by: string,
  now: Date,
): Activity {
  return {
    activityId: `act_nurture_${sha256Hex(`${leadId}|${sequenceId}|${number}|sequence_enrolled`).slice(0, 24)}`,
    leadId,
    type: 'sequence_enrolled',
    at: now.toISOString(),
    source: `admin:${by}`,
    properties: { sequenceId, enrollment: number, manual: true },
  };
}

/** How many leads a broadcast would reach now (the template must exist in the active config). */
export async function previewBroadcastFor(
  deps: Pick<BroadcastDeps, 'leads' | 'suppressions'> & { versions: Pick<NurtureVersions, 'active'> },
  body: z.infer<typeof broadcastPreviewBodySchema>,
) {
  templateIn((await activeConfig(deps.versions)).config, body.template);
  return previewBroadcast(deps, body.segment);
}

/** Starts a broadcast of a template of the active config: now, or at `sendAt` (within a year). */
export async function createBroadcast(
  deps: Pick<BroadcastDeps, 'broadcasts' | 'requestPage'> & { versions: Pick<NurtureVersions, 'active'> },
  body: z.infer<typeof broadcastBodySchema>,
  broadcastId: string,
  by: string,
  now: Date,
) {
  templateIn((await activeConfig(deps.versions)).config, body.template);
  const sendAt = body.sendAt ? new Date(body.sendAt) : now;
  if (sendAt.getTime() > now.getTime() + 366 * 24 * 60 * 60 * 1000)
    throw new ValidationError([{ path: 'sendAt', message: 'at most a year ahead' }]);
  const broadcast = await startBroadcast(
    deps,
    {
      broadcastId,
      template: body.template,
      segment: body.segment,
      sendAt: sendAt < now ? now : sendAt,
      ignoreSendWindow: body.ignoreSendWindow ?? false,
    },
    by,
    now,
  );
  return progressView(broadcast);
}

/** A broadcast's progress as the API shows it (the paging cursor stays internal). */
export function progressView(broadcast: Broadcast) {
  const { cursor: _cursor, previous: _previous, ...view } = broadcast;
  return view;
}

type Change = { added: string[]; removed: string[]; changed: string[] };

/** What changed from one config version to another: sequences and templates by id, settings by key, the layout. */
export function diffConfigs(from: NurtureConfig, to: NurtureConfig) {
  return {
    settings: diffKeyed(from.settings as Record<string, unknown>, to.settings as Record<string, unknown>),
    layout: { changed: stable(from.layout) !== stable(to.layout) },
    templates: diffKeyed(byId(from.templates), byId(to.templates)),
    sequences: diffKeyed(byId(from.sequences), byId(to.sequences)),
  };
}

function byId(items: { id: string }[]): Record<string, unknown> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

function diffKeyed(from: Record<string, unknown>, to: Record<string, unknown>): Change {
  const change: Change = { added: [], removed: [], changed: [] };
  for (const key of Object.keys(to)) {
    if (!(key in from)) change.added.push(key);
    else if (stable(from[key]) !== stable(to[key])) change.changed.push(key);
  }
  for (const key of Object.keys(from)) if (!(key in to)) change.removed.push(key);
  return change;
}

/** JSON with sorted keys: the same value stored twice compares equal whatever its key order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
