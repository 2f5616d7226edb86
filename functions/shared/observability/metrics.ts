import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

/**
 * The business counters, as CloudWatch embedded metric format (EMF) records on stdout: namespace
 * `Leadflow`, dimension `service` = `leadflow` on every metric (Powertools' default dimension),
 * plus `source` on LeadsCaptured. The edge counts (handlers and wiring): core returns results.
 *
 * - FormSubmissions: every form POST answered (accepted, honeypot or refused);
 * - LeadsCaptured (source: form, meta, linkedin, google, tiktok): a submission or ad lead stored
 *   (not a retried Idempotency-Key or a delivery seen before, not one skipped as deleted);
 * - HandoffsSent: a hot lead's hand-off put on the hot-leads queue (at once or by tick);
 * - EmailsSent: an e-mail SES accepted (nurture steps, confirmations, proofs);
 * - EmailsBounced, EmailsComplained: a bounce or complaint event from SES;
 * - ClaimsMade: a lead card handed to a sales rep.
 * - TimelineEntriesCounted: timeline entries the reports aggregator counted into the rollups.
 * - IntegrationDeliveriesQueued: (event, destination) messages tick's publisher queued.
 * - IntegrationDeliveriesDeadLettered: deliveries parked on the DLQ (retries used up, endpoint paused).
 * - WebhookEndpointStopped: an endpoint paused after a day of failures, or disabled by a 410 (alarmed).
 */
export type BusinessCounter =
  | 'FormSubmissions'
  | 'HandoffsSent'
  | 'EmailsSent'
  | 'EmailsBounced'
  | 'EmailsComplained'
  | 'ClaimsMade'
  | 'TimelineEntriesCounted'
  | 'IntegrationDeliveriesQueued'
  | 'IntegrationDeliveriesDeadLettered'
  | 'WebhookEndpointStopped';
export type LeadSource = 'form' | 'meta' | 'linkedin' | 'google' | 'tiktok';

export const METRICS_NAMESPACE = 'Leadflow';
export const METRICS_SERVICE = 'leadflow';

const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: METRICS_SERVICE });

/**
 * EMF is written in Lambda (where POWERTOOLS_METRICS_DISABLED or POWERTOOLS_DEV can still turn it
 * off, as Powertools reads them); outside Lambda (the local stack, tests) only when
 * POWERTOOLS_METRICS_DISABLED is set, so local output stays logs only.
 */
function emitting(): boolean {
  return (
    process.env.AWS_LAMBDA_FUNCTION_NAME !== undefined ||
    process.env.POWERTOOLS_METRICS_DISABLED !== undefined
  );
}

/** Adds `value` to a counter; written with the invocation's other metrics when it ends. */
export function count(name: BusinessCounter, value = 1): void {
  if (value > 0 && emitting()) metrics.addMetric(name, MetricUnit.Count, value);
}

/** One lead captured from `source`: its own EMF record (the `source` dimension is this metric's only). */
export function countLeadCaptured(source: LeadSource): void {
  if (!emitting()) return;
  const single = metrics.singleMetric();
  single.addDimension('source', source);
  single.addMetric('LeadsCaptured', MetricUnit.Count, 1);
}

/** Writes the counters added so far as one EMF record; nothing (and no warning) when there are none. */
export function publishMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** Middy: publish the invocation's counters when the handler returns or throws. */
export function metricsPublishing<E, R>(): MiddlewareObj<E, R> {
  return {
    after: async () => publishMetrics(),
    onError: async () => publishMetrics(),
  };
}
