/**
 * `leadflow webhooks redeliver ENDPOINT_ID [--since TIME] [--resume] [--dry-run]`: after a receiver's
 * outage, send again every event that endpoint did not get, through the API's retry route (the
 * console's Retry, one event at a time): each keeps its webhook-id, so a receiver that got one
 * after all drops the copy.
 *
 * Why the delivery log and not the integration-deliveries DLQ: the DLQ holds every destination's
 * parked messages (all endpoints, Slack, HubSpot) and not the 4xx rejections (never retried, so
 * never parked); the log has both, per endpoint, with their time. An event is sent again when its
 * newest log entry is `failed` or `dead_lettered`; one delivered since (a retry got through) or
 * still `retrying` (its next attempt is queued) is left alone. `leadflow dlq redrive
 * integration-deliveries` stays the tool for moving the whole DLQ back.
 */

export interface RedeliverOptions {
  url: string;
  /** An admin token. */
  token: string;
  endpointId: string;
  /** Only events whose newest attempt is at or after this time (ISO 8601). */
  since?: string;
  /** Set a paused or disabled endpoint active first (its deliveries would be parked again). */
  resume?: boolean;
  dryRun?: boolean;
}

export class RedeliverError extends Error {}

/** One delivery log entry as GET .../deliveries answers it (the fields used here). */
export interface LoggedDelivery {
  deliveryId: string;
  eventId: string;
  eventType: string;
  at: string;
  outcome: 'delivered' | 'retrying' | 'failed' | 'dead_lettered';
  status?: number;
  reason?: string;
}

export interface RedeliveryPlan {
  /** The newest undelivered entry of each event to send again, oldest first (the order they happened). */
  send: LoggedDelivery[];
  delivered: number;
  retrying: number;
  /** Events that need nothing more from a DLQ copy: delivered, or (once queued) sent again. */
  settled: Set<string>;
}

/** What to send again from the log (newest first, as the API pages it): one entry per event. */
export function planRedelivery(entries: LoggedDelivery[]): RedeliveryPlan {
  const newest = new Map<string, LoggedDelivery>();
  for (const entry of entries) if (!newest.has(entry.eventId)) newest.set(entry.eventId, entry);
  const latest = [...newest.values()];
  const undelivered = latest.filter((e) => e.outcome === 'failed' || e.outcome === 'dead_lettered');
  return {
    send: undelivered.sort((a, b) => a.at.localeCompare(b.at)),
    delivered: latest.filter((e) => e.outcome === 'delivered').length,
    retrying: latest.filter((e) => e.outcome === 'retrying').length,
    settled: new Set(latest.filter((e) => e.outcome !== 'retrying').map((e) => e.eventId)),
  };
}

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read field by field
type Json = any;

async function call(options: RedeliverOptions, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${options.url.replace(/\/$/, '')}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => undefined);
  if (!res.ok)
    throw new RedeliverError(`${method} ${path}: ${res.status} ${json?.error?.message ?? res.statusText}`);
  return json;
}

/** The endpoint's log back to `since` (the whole 30 days without it), newest first. */
async function logSince(options: RedeliverOptions, base: string, since: number): Promise<LoggedDelivery[]> {
  const entries: LoggedDelivery[] = [];
  let cursor: string | undefined;
  do {
    const page = await call(
      options,
      'GET',
      `${base}/deliveries?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    for (const entry of page.deliveries as LoggedDelivery[]) {
      if (Date.parse(entry.at) < since) return entries;
      entries.push(entry);
    }
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

/** Plans and (unless a dry run) queues the redeliveries; each line goes to `report`. */
export async function redeliver(options: RedeliverOptions, report: (line: string) => void) {
  const since = options.since === undefined ? 0 : Date.parse(options.since);
  if (Number.isNaN(since)) throw new RedeliverError(`--since wants an ISO 8601 time, got "${options.since}"`);
  const base = `/v1/admin/webhooks/endpoints/${encodeURIComponent(options.endpointId)}`;
  const endpoint = await call(options, 'GET', base);
  const plan = planRedelivery(await logSince(options, base, since));
  const window = options.since ? ` since ${new Date(since).toISOString()}` : ' (30 days of log)';
  report(
    `${endpoint.url}: ${plan.send.length} event(s) to send again${window}; ` +
      `${plan.delivered} delivered, ${plan.retrying} still retrying (left to their next attempt)`,
  );
  if (endpoint.status !== 'active' && plan.send.length > 0) {
    const why = `the endpoint is ${endpoint.status}${endpoint.pausedReason ? ` (${endpoint.pausedReason})` : ''}`;
    if (!options.resume)
      throw new RedeliverError(
        `${why}: its deliveries would be parked again. Add --resume to set it active first.`,
      );
    if (!options.dryRun) {
      await call(options, 'PATCH', base, { status: 'active' });
      report(`${why}: set active`);
    } else report(`${why}: --resume would set it active`);
  }
  for (const entry of plan.send) {
    const what = `${entry.eventId} (${entry.eventType}, ${entry.outcome}${entry.status ? ` ${entry.status}` : entry.reason ? ` ${entry.reason}` : ''})`;
    if (options.dryRun) {
      report(`would send again ${what}`);
      continue;
    }
    await call(options, 'POST', `${base}/deliveries/${encodeURIComponent(entry.deliveryId)}/retry`);
    report(`queued ${what}`);
  }
  report(
    options.dryRun
      ? `dry run: nothing queued`
      : `${plan.send.length} event(s) queued again with their webhook-id; see the delivery log for the outcome`,
  );
  return plan;
}
