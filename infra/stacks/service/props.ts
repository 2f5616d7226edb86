import type { ThrottleSettings } from 'aws-cdk-lib/aws-apigatewayv2';

/**
 * The knobs that hold send-email under the account's SES sending rate. send-email runs the records
 * of a batch one after another, so at most `maxConcurrency` jobs are in flight; a bigger batch only
 * means fewer invocations for the same pace.
 */
export interface EmailSendingRate {
  /** Jobs (one lead, or one broadcast page, each) per invocation, run in turn; SQS allows 1 to 10. @default 5 */
  readonly batchSize?: number;
  /** Invocations email-jobs runs at once: the event source's maximum concurrency (2 to 1000). @default 2 */
  readonly maxConcurrency?: number;
  /**
   * Reserved concurrency of send-email, its ceiling whoever invokes it (a DLQ redrive, a manual run).
   * At least `maxConcurrency`: below it Lambda throttles the event source and jobs go back to the
   * queue, towards its dead-letter queue. Opt-in: Lambda keeps 100 of the account's concurrency
   * unreserved, so a fresh account (quota 10) can reserve nothing; the stack then needs
   * `accountConcurrency` to check the reservation against. @default - none: `maxConcurrency` alone paces the queue
   */
  readonly reservedConcurrency?: number;
}

/** Lambda refuses a reservation that leaves less than this of the account's concurrency unreserved. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/**
 * Refuses, at synth, reservations the account cannot grant (CloudFormation would fail the deploy
 * half-way instead): they need the account's concurrency quota, and must leave 100 of it unreserved.
 */
export function checkReservations(reservations: Record<string, number>, accountConcurrency?: number): void {
  const asked = Object.entries(reservations);
  if (asked.length === 0) return;
  const total = asked.reduce((sum, [, reserved]) => sum + reserved, 0);
  const list = asked.map(([name, reserved]) => `${name} ${reserved}`).join(', ');
  if (accountConcurrency === undefined) {
    throw new Error(
      `ServiceStack reserves concurrency (${list}) but accountConcurrency is not set: give the account's ` +
        'Lambda concurrency quota (Service Quotas, "Concurrent executions"; new accounts often have 10) ' +
        'so the reservation can be checked, or reserve nothing',
    );
  }
  if (!Number.isInteger(accountConcurrency) || accountConcurrency < 1) {
    throw new Error(`ServiceStack accountConcurrency must be a positive integer, got ${accountConcurrency}`);
  }
  if (accountConcurrency - total < UNRESERVED_CONCURRENCY_MINIMUM) {
    throw new Error(
      `ServiceStack reserves ${total} concurrent executions (${list}), but the account's quota of ` +
        `${accountConcurrency} must keep ${UNRESERVED_CONCURRENCY_MINIMUM} unreserved: at most ` +
        `${Math.max(0, accountConcurrency - UNRESERVED_CONCURRENCY_MINIMUM)} can be reserved. Ask AWS for a higher ` +
        'quota (Service Quotas, "Concurrent executions"), or reserve nothing',
    );
  }
}

/** SQS takes a visibility timeout of at most 12 hours; the function rejects anything but a positive integer. */
export function claimWindow(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > 43_200) {
    throw new Error(
      `ServiceStack claimWindowSeconds must be an integer from 1 to 43200 (12 hours), got ${seconds}`,
    );
  }
  return String(seconds);
}

/** A platform API base URL: absolute https, so a lead's data never travels in clear. */
export function httpsUrl(name: string, value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.search || url.hash) {
    throw new Error(
      `ServiceStack ${name} must be an https base URL like https://api.example.com, without query or fragment, got "${value}"`,
    );
  }
  return value;
}

/** Graph API versions look like v21.0; the function puts the value into the request path. */
export function graphVersion(value: string): string {
  if (!/^v\d+\.\d+$/.test(value)) {
    throw new Error(`ServiceStack metaGraphVersion must look like v21.0, got "${value}"`);
  }
  return value;
}

/** Defaults and the limits SQS and Lambda set (batch 1 to 10, maximum concurrency 2 to 1000). */
export function emailSendingRate(rate: EmailSendingRate): EmailSendingRate & {
  readonly batchSize: number;
  readonly maxConcurrency: number;
} {
  const batchSize = rate.batchSize ?? 5;
  const maxConcurrency = rate.maxConcurrency ?? 2;
  const { reservedConcurrency } = rate;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new Error(`ServiceStack emailSending.batchSize must be an integer from 1 to 10, got ${batchSize}`);
  }
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    throw new Error(
      `ServiceStack emailSending.maxConcurrency must be an integer from 2 to 1000, got ${maxConcurrency}`,
    );
  }
  if (
    reservedConcurrency !== undefined &&
    (!Number.isInteger(reservedConcurrency) || reservedConcurrency < maxConcurrency)
  ) {
    throw new Error(
      `ServiceStack emailSending.reservedConcurrency must be an integer of at least maxConcurrency (${maxConcurrency}), got ${reservedConcurrency}`,
    );
  }
  return { batchSize, maxConcurrency, ...(reservedConcurrency !== undefined && { reservedConcurrency }) };
}

export function positiveInteger(name: string, value: number): string {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`ServiceStack ${name} must be a positive integer, got ${value}`);
  }
  return String(value);
}

/**
 * Stage-wide API throttling: API Gateway takes a steady rate (requests per second, may be fractional)
 * and a burst (whole requests), both positive; a burst below the rate would cap the rate at it.
 */
export function throttleSettings(value: ThrottleSettings | undefined): ThrottleSettings {
  const { rateLimit = 50, burstLimit = 100 } = value ?? {};
  if (!Number.isFinite(rateLimit) || rateLimit <= 0) {
    throw new Error(
      `ServiceStack throttle.rateLimit must be a positive number of requests per second, got ${rateLimit}`,
    );
  }
  if (!Number.isInteger(burstLimit) || burstLimit < 1 || burstLimit < rateLimit) {
    throw new Error(
      `ServiceStack throttle.burstLimit must be a whole number of requests of at least the rate limit (${rateLimit}), got ${burstLimit}`,
    );
  }
  return { rateLimit, burstLimit };
}
