import { LeadflowError, ValidationError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import { replayMessage } from './deliver';
import type { DeliveryResult } from './destination';
import type { DeliveryLog, DeliveryLogEntry, DeliveryQueue } from './ports';
import { checkEndpointUrl, type UrlPolicy } from './url-rules';
import { WebhookDestination, type WebhookTransport } from './webhook-destination';
import {
  type ChangedBy,
  type EndpointCreate,
  type EndpointPatch,
  type EndpointView,
  endpointView,
  newSecret,
  ROTATION_OVERLAP_HOURS,
  type WebhookEndpoint,
} from './webhook-endpoint';
import { testPayload } from './webhook-payload';

export class WebhookEndpointNotFoundError extends LeadflowError {
  readonly code = 'webhook_endpoint_not_found';
  constructor() {
    super('No webhook endpoint with that id.');
  }
}

export class DeliveryNotFoundError extends LeadflowError {
  readonly code = 'delivery_not_found';
  constructor() {
    super('No delivery with that id in the last 30 days of this endpoint.');
  }
}

export interface WebhookEndpointStore {
  create(endpoint: WebhookEndpoint): Promise<void>;
  get(id: string): Promise<WebhookEndpoint | undefined>;
  list(): Promise<WebhookEndpoint[]>;
  /** Conditional on the version read: false when another change came first. */
  replace(endpoint: WebhookEndpoint, expectedVersion: number): Promise<boolean>;
  remove(id: string): Promise<boolean>;
}

export interface EndpointDeps {
  endpoints: WebhookEndpointStore;
  log: DeliveryLog;
  queue: Pick<DeliveryQueue, 'enqueue'>;
  transport: WebhookTransport;
  policy: UrlPolicy;
  clock: { now(): Date };
}

const ENDPOINT_ID = /^wh_[0-9A-HJKMNP-TV-Z]{26}$/;
const author = (by: ChangedBy): ChangedBy =>
  by.username ? { name: by.name, username: by.username } : { name: by.name };

function checkedUrl(url: string, policy: UrlPolicy): string {
  const verdict = checkEndpointUrl(url, policy);
  if (!verdict.ok)
    throw new ValidationError([{ path: 'url', message: verdict.reason }], 'The endpoint URL is not allowed.');
  return verdict.url.toString();
}

async function load(deps: Pick<EndpointDeps, 'endpoints'>, id: string): Promise<WebhookEndpoint> {
  const endpoint = ENDPOINT_ID.test(id) ? await deps.endpoints.get(id) : undefined;
  if (!endpoint) throw new WebhookEndpointNotFoundError();
  return endpoint;
}

/** Creates an endpoint (URL checked against the SSRF rules); the answer holds its secret, this once. */
export async function createEndpoint(
  deps: EndpointDeps,
  input: EndpointCreate,
  by: ChangedBy,
): Promise<EndpointView & { secret: string }> {
  const now = deps.clock.now().toISOString();
  const endpoint: WebhookEndpoint = {
    endpointId: newId('wh', deps.clock.now()),
    url: checkedUrl(input.url, deps.policy),
    description: input.description,
    eventTypes: [...new Set(input.eventTypes)],
    status: input.status,
    secret: newSecret(),
    createdAt: now,
    createdBy: author(by),
    updatedAt: now,
    updatedBy: author(by),
    version: 1,
  };
  await deps.endpoints.create(endpoint);
  return { ...endpointView(endpoint), secret: endpoint.secret };
}

export async function listEndpoints(deps: Pick<EndpointDeps, 'endpoints'>): Promise<EndpointView[]> {
  return (await deps.endpoints.list()).map(endpointView);
}

export async function getEndpoint(deps: Pick<EndpointDeps, 'endpoints'>, id: string): Promise<EndpointView> {
  return endpointView(await load(deps, id));
}

/** Read, change, write conditionally on the version; again on a concurrent change. */
async function change(
  deps: EndpointDeps,
  id: string,
  by: ChangedBy,
  apply: (endpoint: WebhookEndpoint, now: Date) => WebhookEndpoint,
): Promise<WebhookEndpoint> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const endpoint = await load(deps, id);
    const now = deps.clock.now();
    const next = {
      ...apply(endpoint, now),
      updatedAt: now.toISOString(),
      updatedBy: author(by),
      version: endpoint.version + 1,
    };
    if (await deps.endpoints.replace(next, endpoint.version)) return next;
  }
  throw new Error(`webhook endpoint ${id} kept changing`);
}

/** PATCH: url (checked again), description, event types, status (active again clears a pause). */
export async function updateEndpoint(deps: EndpointDeps, id: string, patch: EndpointPatch, by: ChangedBy) {
  const url = patch.url === undefined ? undefined : checkedUrl(patch.url, deps.policy);
  const updated = await change(deps, id, by, (endpoint) => {
    const next: WebhookEndpoint = {
      ...endpoint,
      ...(url !== undefined ? { url } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      ...(patch.eventTypes ? { eventTypes: [...new Set(patch.eventTypes)] } : {}),
      ...(patch.status ? { status: patch.status } : {}),
    };
    if (patch.status === 'active' && endpoint.status !== 'active') {
      delete next.pausedReason;
      delete next.pausedAt;
      delete next.failingSince;
    }
    return next;
  });
  return endpointView(updated);
}

export async function deleteEndpoint(deps: Pick<EndpointDeps, 'endpoints'>, id: string): Promise<void> {
  await load(deps, id);
  await deps.endpoints.remove(id);
}

/** A new secret, shown this once; the previous one is still signed with for 24 hours. */
export async function rotateSecret(deps: EndpointDeps, id: string, by: ChangedBy) {
  const updated = await change(deps, id, by, (endpoint, now) => ({
    ...endpoint,
    secret: newSecret(),
    previousSecret: endpoint.secret,
    previousSecretUntil: new Date(now.getTime() + ROTATION_OVERLAP_HOURS * 3600_000).toISOString(),
  }));
  return { id, secret: updated.secret, previousSecretUntil: updated.previousSecretUntil ?? '' };
}

/** The endpoint's delivery log, newest first (30 days). */
export async function listDeliveries(deps: EndpointDeps, id: string, limit: number, cursor?: string) {
  await load(deps, id);
  const page = await deps.log.list(id, limit, cursor);
  return { deliveries: page.entries.map(deliveryView), ...(page.cursor ? { cursor: page.cursor } : {}) };
}

/** Queues a logged delivery again (same event id, fresh retries): a replay after a fix. */
export async function retryDelivery(deps: EndpointDeps, id: string, deliveryId: string) {
  await load(deps, id);
  const entry = /^dlv_[0-9A-Z]{26}$/.test(deliveryId) ? await deps.log.get(id, deliveryId) : undefined;
  if (!entry) throw new DeliveryNotFoundError();
  const message = replayMessage(entry, deps.clock.now());
  await deps.queue.enqueue([message]);
  return { queued: true, eventId: message.event.id, replayOf: deliveryId };
}

/** Sends a `webhook.test` ping now (signed like any delivery) and answers what the receiver said. */
export async function testEndpoint(deps: EndpointDeps, id: string) {
  const endpoint = await load(deps, id);
  const now = deps.clock.now();
  const eventId = `evt_test_${newId('ping', now).slice(5)}`;
  const result = await new WebhookDestination(endpoint, deps.transport, deps.policy, deps.clock).send(
    eventId,
    testPayload(eventId, now),
  );
  return testView(eventId, result);
}

function testView(eventId: string, result: DeliveryResult) {
  return {
    eventId,
    delivered: result.kind === 'delivered',
    ...(result.status !== undefined ? { status: result.status } : {}),
    latencyMs: Math.round(result.latencyMs),
    ...(result.kind !== 'delivered' ? { reason: result.reason } : {}),
    ...(result.excerpt ? { excerpt: result.excerpt } : {}),
  };
}

export function deliveryView(entry: DeliveryLogEntry) {
  const { message: _m, destinationId: _d, ...view } = entry;
  return view;
}
