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
   * queue, towards its dead-letter queue. @default maxConcurrency
   */
  readonly reservedConcurrency?: number;
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
export function emailSendingRate(rate: EmailSendingRate): Required<EmailSendingRate> {
  const batchSize = rate.batchSize ?? 5;
  const maxConcurrency = rate.maxConcurrency ?? 2;
  const reservedConcurrency = rate.reservedConcurrency ?? maxConcurrency;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10) {
    throw new Error(`ServiceStack emailSending.batchSize must be an integer from 1 to 10, got ${batchSize}`);
  }
  if (!Number.isInteger(maxConcurrency) || maxConcurrency < 2 || maxConcurrency > 1000) {
    throw new Error(
      `ServiceStack emailSending.maxConcurrency must be an integer from 2 to 1000, got ${maxConcurrency}`,
    );
  }
  if (!Number.isInteger(reservedConcurrency) || reservedConcurrency < maxConcurrency) {
    throw new Error(
      `ServiceStack emailSending.reservedConcurrency must be an integer of at least maxConcurrency (${maxConcurrency}), got ${reservedConcurrency}`,
    );
  }
  return { batchSize, maxConcurrency, reservedConcurrency };
}

export function positiveInteger(name: string, value: number): string {
  if (!Number.isInteger(value) || value <= 0) {
    throw new Error(`ServiceStack ${name} must be a positive integer, got ${value}`);
  }
  return String(value);
}
