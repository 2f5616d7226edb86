import { sha256Hex } from '../kernel/email';
import { LeadflowError, MalformedBodyError, UnauthorizedError } from '../kernel/errors';
import { type AdLead, adLeadToCapture } from './ad-lead';
import { type AdCaptureDeps, captureAdLead, DELIVERY_KEEP_SECONDS } from './capture-ad-lead';
import { googleAdLead } from './google';
import {
  eraseLinkedinData,
  leadFormId,
  linkedinAdLead,
  linkedinNotification,
  verifyLinkedinSignature,
} from './linkedin';
import { metaAdLead, metaLeadgenChanges, verifyMetaSignature } from './meta';
import type {
  AdLeadJob,
  AdLeadQueue,
  DeliveryStore,
  LinkedinApi,
  LinkedinLeadJob,
  MetaGraph,
  MetaLeadJob,
  WebhookDelivery,
} from './ports';
import { checkTiktokSignature, tiktokAdLead } from './tiktok';

export interface WebhookDeps extends AdCaptureDeps {
  deliveries: DeliveryStore;
  queue: AdLeadQueue;
  graph: MetaGraph;
  linkedin: LinkedinApi;
}

export class WebhookNotConfiguredError extends LeadflowError {
  readonly code = 'webhook_not_configured';
  constructor(provider: string) {
    super(`Webhooks from ${provider} are not configured here.`);
  }
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw new MalformedBodyError('The body is not valid JSON.');
  }
}

/**
 * One delivery per distinct body: a redelivered (or replayed) body maps to the same id. `kept`
 * is what is stored (the raw body, or a copy with secrets taken out).
 */
async function receive(deps: WebhookDeps, provider: string, raw: Buffer, kept = raw.toString('utf8')) {
  const now = deps.clock.now();
  const delivery: WebhookDelivery = {
    deliveryId: `dlv_${provider}_${sha256Hex(raw.toString('base64')).slice(0, 32)}`,
    provider,
    receivedAt: now.toISOString(),
    body: kept,
    expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_KEEP_SECONDS,
    status: 'received',
  };
  const recorded = await deps.deliveries.record(delivery);
  return { delivery: recorded.existing ?? delivery, duplicate: recorded.duplicate };
}

/**
 * Meta: verify the signature over the raw bytes (401, nothing stored), keep the delivery, queue
 * one fetch per leadgen change and answer at once. A delivery seen before and already queued
 * stores and queues nothing; one that never got queued (a crash) is queued now.
 */
export async function receiveMeta(
  deps: WebhookDeps,
  raw: Buffer,
  signature: string | undefined,
  appSecret: string,
): Promise<{ deliveryId: string; leads: number; duplicate: boolean }> {
  if (!verifyMetaSignature(raw, signature, appSecret))
    throw new UnauthorizedError('The X-Hub-Signature-256 does not match.');
  const changes = metaLeadgenChanges(parseJson(raw));
  const { delivery, duplicate } = await receive(deps, 'meta', raw);
  if (duplicate && delivery.status !== 'received')
    return { deliveryId: delivery.deliveryId, leads: 0, duplicate };
  await queueMeta(deps, delivery.deliveryId, changes);
  return { deliveryId: delivery.deliveryId, leads: changes.length, duplicate };
}

async function queueMeta(deps: WebhookDeps, deliveryId: string, changes: MetaLeadJob['change'][]) {
  if (changes.length > 0)
    await deps.queue.enqueue(changes.map((change) => ({ provider: 'meta', deliveryId, change })));
  await deps.deliveries.mark(deliveryId, 'queued');
}

/** The ad-leads consumer: fetch the lead from the Graph API and capture it (throws to retry). */
export async function processMetaJob(
  deps: WebhookDeps,
  job: MetaLeadJob,
): Promise<{ leadId: string; duplicate: boolean; skipped?: boolean }> {
  const graph = await deps.graph.lead(job.change.leadgenId);
  const result = await captureAdLead(deps, metaAdLead(graph, job.change, job.deliveryId));
  if (result.erased) return { leadId: result.leadId, duplicate: false, skipped: true };
  await deps.deliveries.mark(job.deliveryId, 'processed');
  return result;
}

/** The ad-leads consumer: each job fetches its lead from its platform (throws to retry). */
export async function processAdLeadJob(
  deps: WebhookDeps,
  job: AdLeadJob,
): Promise<{ leadId?: string; duplicate: boolean; skipped?: boolean }> {
  return job.provider === 'linkedin' ? processLinkedinJob(deps, job) : processMetaJob(deps, job);
}

/**
 * Which lead a LinkedIn form response landed on. A DELETED notification names the response, not
 * the person, and the lead's id comes from the email inside the response, so the mapping is kept
 * when the response is captured: a small record in the delivery store, id `ref_linkedin_<hash of the
 * response id>`, `detail` = the lead id. A DELETED notification turns it into a tombstone
 * (`detail` = "erased"), which also stops a response still waiting in the queue from being captured
 * after its deletion. It holds no personal data (the response URN and a lead id) and is kept 400
 * days: LinkedIn keeps form responses for up to 365 days, so no DELETED can come later. The mapping
 * stays true after that, so expiry is only housekeeping.
 */
const LINKEDIN_REF_KEEP_SECONDS = 400 * 24 * 3600;
const ERASED = 'erased';
export const linkedinRefId = (responseId: string) => `ref_linkedin_${sha256Hex(responseId).slice(0, 32)}`;

function putLinkedinRef(deps: WebhookDeps, responseId: string, detail: string) {
  const now = deps.clock.now();
  return deps.deliveries.record({
    deliveryId: linkedinRefId(responseId),
    provider: 'linkedin',
    receivedAt: now.toISOString(),
    body: JSON.stringify({ leadGenFormResponse: `urn:li:leadGenFormResponse:${responseId}` }),
    expiresAt: Math.floor(now.getTime() / 1000) + LINKEDIN_REF_KEEP_SECONDS,
    status: 'processed',
    detail,
  });
}

/**
 * LinkedIn: verify the signature over the raw bytes (401, nothing stored) and keep the delivery.
 * CREATED queues a fetch of the form response (answered at once, like Meta); DELETED erases what
 * the response put on its lead, at once. A delivery seen before and already handled does nothing;
 * actions other than CREATED and DELETED are acknowledged and not stored.
 */
export async function receiveLinkedin(
  deps: WebhookDeps,
  raw: Buffer,
  signature: string | undefined,
  clientSecret: string,
): Promise<{ deliveryId?: string; action: 'CREATED' | 'DELETED' | 'ignored'; duplicate: boolean }> {
  if (!verifyLinkedinSignature(raw, signature, clientSecret))
    throw new UnauthorizedError('The X-LI-Signature does not match.');
  const notification = linkedinNotification(parseJson(raw));
  if (!notification) return { action: 'ignored', duplicate: false };
  const { delivery, duplicate } = await receive(deps, 'linkedin', raw);
  const result = { deliveryId: delivery.deliveryId, action: notification.action, duplicate };
  if (duplicate && delivery.status !== 'received') return result;
  if (notification.action === 'CREATED') {
    await deps.queue.enqueue([{ provider: 'linkedin', deliveryId: delivery.deliveryId, notification }]);
    await deps.deliveries.mark(delivery.deliveryId, 'queued');
  } else {
    const erased = await eraseLinkedinResponse(deps, notification.responseId);
    await deps.deliveries.mark(delivery.deliveryId, 'processed', erased.found ? ERASED : 'no lead held it');
  }
  return result;
}

/** DELETED: tombstone the response; when a lead already holds it, erase its LinkedIn data. */
async function eraseLinkedinResponse(deps: WebhookDeps, responseId: string) {
  const tombstone = await putLinkedinRef(deps, responseId, ERASED);
  const leadId = tombstone.existing?.detail;
  if (!tombstone.duplicate || !leadId || leadId === ERASED) return { found: false, erased: [] as string[] };
  const result = await eraseLinkedinData(deps, leadId, responseId);
  await deps.deliveries.mark(linkedinRefId(responseId), 'processed', ERASED);
  return result;
}

const hasQuestions = (form: unknown) =>
  Array.isArray((form as { content?: { questions?: unknown } } | undefined)?.content?.questions);

/**
 * The ad-leads consumer for LinkedIn: fetch the form response (and its form, when the response does
 * not carry the questions), capture it, and remember which lead holds it. A response deleted before
 * it was fetched is not captured; one deleted while it was being captured is erased at once.
 */
export async function processLinkedinJob(
  deps: WebhookDeps,
  job: LinkedinLeadJob,
): Promise<{ leadId?: string; duplicate: boolean; skipped?: boolean }> {
  const { notification, deliveryId } = job;
  const ref = await deps.deliveries.get(linkedinRefId(notification.responseId));
  if (ref?.detail === ERASED) {
    await deps.deliveries.mark(deliveryId, 'processed', 'deleted on LinkedIn before it was fetched');
    return { duplicate: false, skipped: true };
  }
  const response = await deps.linkedin.formResponse(notification.responseId);
  const embedded = (response as { form?: unknown } | undefined)?.form;
  const formId =
    leadFormId((response as { versionedLeadGenFormUrn?: unknown } | undefined)?.versionedLeadGenFormUrn) ??
    notification.formId;
  const form = hasQuestions(embedded) ? embedded : formId ? await deps.linkedin.leadForm(formId) : undefined;
  const captured = await captureAdLead(deps, linkedinAdLead(response, form, notification, deliveryId));
  if (captured.erased) return { leadId: captured.leadId, duplicate: false, skipped: true };
  const remembered = await putLinkedinRef(deps, notification.responseId, captured.leadId);
  // The reference names the lead: an erase of the lead takes it too.
  await deps.deliveries.linkLead(
    linkedinRefId(notification.responseId),
    captured.leadId,
    Math.floor(deps.clock.now().getTime() / 1000) + LINKEDIN_REF_KEEP_SECONDS,
  );
  if (remembered.duplicate && remembered.existing?.detail === ERASED)
    await eraseLinkedinData(deps, captured.leadId, notification.responseId);
  await deps.deliveries.mark(deliveryId, 'processed');
  return captured;
}

/**
 * The capture's own 400 (no email, or one that does not validate), before the delivery is kept:
 * a lead refused with 400 stores nothing (security review, issue 10).
 */
async function refuseUncapturable(lead: AdLead, now: Date): Promise<void> {
  await adLeadToCapture(lead, now.toISOString());
}

/**
 * TikTok: the signature (with its timestamp) over the raw bytes, 401 when wrong or more than 5
 * minutes from now, nothing stored; the lead travels in the delivery and is captured at once.
 */
export async function receiveTiktok(
  deps: WebhookDeps,
  raw: Buffer,
  signature: string | undefined,
  secret: string,
): Promise<{ deliveryId: string; leadId: string; duplicate: boolean }> {
  const nowSeconds = Math.floor(deps.clock.now().getTime() / 1000);
  const check = checkTiktokSignature(raw, signature, secret, nowSeconds);
  if (check === 'invalid') throw new UnauthorizedError('The TikTok-Signature does not match.');
  if (check === 'stale')
    throw new UnauthorizedError('The TikTok-Signature timestamp is more than 5 minutes from now.');
  const probe = tiktokAdLead(parseJson(raw), 'pending');
  await refuseUncapturable(probe, deps.clock.now());
  const { delivery, duplicate } = await receive(deps, 'tiktok', raw);
  const captured = await captureAdLead(deps, { ...probe, deliveryId: delivery.deliveryId });
  if (!captured.erased) await deps.deliveries.mark(delivery.deliveryId, 'processed');
  return {
    deliveryId: delivery.deliveryId,
    leadId: captured.leadId,
    duplicate: duplicate || captured.duplicate,
  };
}

/** Google: the key is in the body (403 when wrong, nothing stored); the lead is captured at once. */
export async function receiveGoogle(
  deps: WebhookDeps,
  raw: Buffer,
  googleKey: string,
): Promise<{ deliveryId: string; leadId: string; duplicate: boolean; test: boolean }> {
  const parsed = parseJson(raw);
  const probe = googleAdLead(parsed, googleKey, 'pending');
  await refuseUncapturable(probe, deps.clock.now());
  // The shared key travels in the body: it is not kept with the delivery.
  const kept = JSON.stringify({ ...(parsed as object), google_key: '[checked]' });
  const { delivery, duplicate } = await receive(deps, 'google', raw, kept);
  const lead: AdLead = { ...probe, deliveryId: delivery.deliveryId };
  const captured = await captureAdLead(deps, lead);
  if (!captured.erased) await deps.deliveries.mark(delivery.deliveryId, 'processed');
  return {
    deliveryId: delivery.deliveryId,
    leadId: captured.leadId,
    duplicate: duplicate || captured.duplicate,
    test: lead.test === true,
  };
}

/**
 * Replay a kept delivery through today's mapping (after a fix): the body was verified when it
 * arrived and is replayed as stored. Captures dedupe on the platform's lead id, so a replay
 * refreshes the lead's fields without a second activity.
 */
export async function replayDelivery(
  deps: WebhookDeps,
  deliveryId: string,
): Promise<{ provider: string; leads: number; erased: number }> {
  if (deliveryId.startsWith('ref_'))
    throw new MalformedBodyError(`${deliveryId} is a lead reference, not a delivery.`);
  const delivery = await deps.deliveries.get(deliveryId);
  if (!delivery || delivery.expiresAt * 1000 < deps.clock.now().getTime()) {
    throw new MalformedBodyError(`No kept delivery ${deliveryId} (deliveries are kept 30 days).`);
  }
  const raw = Buffer.from(delivery.body, 'utf8');
  const { provider } = delivery;
  const tally = (results: { skipped?: boolean; erased?: boolean }[]) => ({
    provider,
    leads: results.filter((r) => !r.skipped && !r.erased).length,
    erased: results.filter((r) => r.skipped || r.erased).length,
  });
  if (provider === 'meta') {
    const results = [];
    for (const change of metaLeadgenChanges(parseJson(raw)))
      results.push(await processMetaJob(deps, { provider: 'meta', deliveryId, change }));
    return tally(results);
  }
  if (provider === 'google')
    return tally([await captureAdLead(deps, googleAdLead(parseJson(raw), '[checked]', deliveryId))]);
  if (provider === 'linkedin') {
    const notification = linkedinNotification(parseJson(raw));
    if (!notification) return tally([]);
    if (notification.action === 'DELETED') {
      await eraseLinkedinResponse(deps, notification.responseId);
      return tally([]);
    }
    return tally([await processLinkedinJob(deps, { provider: 'linkedin', deliveryId, notification })]);
  }
  if (provider === 'tiktok')
    return tally([await captureAdLead(deps, tiktokAdLead(parseJson(raw), deliveryId))]);
  throw new MalformedBodyError(`Replay of ${provider} deliveries is not supported yet.`);
}
