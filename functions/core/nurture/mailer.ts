/** The outgoing side of nurture: SES v2 on AWS and locally (aws-ses-v2-local); a fake in unit tests. */
export interface OutgoingEmail {
  to: string;
  /** `Name <address>` */
  from: string;
  replyTo?: string;
  subject: string;
  html: string;
  text: string;
  headers: { name: string; value: string }[];
  /** SES message tags: come back on every SES event (the lead and the step it was for). */
  tags: { name: string; value: string }[];
  /**
   * Transactional mail (a double opt-in confirmation): sent with the transactional configuration
   * set, which keeps sending while marketing sends are paused for the account's reputation.
   */
  transactional?: boolean;
}

export interface Mailer {
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/**
 * A send that failed, by what it means for "at most once":
 * - `throttled`: SES refused it for rate (TooManyRequestsException, "Maximum sending rate
 *   exceeded"): not sent, try again later with backoff;
 * - `rejected`: SES refused this message for good (MessageRejected, unverified sender...): not sent;
 * - `unknown`: no answer (a timeout, a dropped connection): it may have gone out, so it is
 *   never sent again — the step ends `failed` with this error.
 */
export class MailerError extends Error {
  constructor(
    readonly kind: 'throttled' | 'rejected' | 'unknown',
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MailerError';
  }
}

/**
 * `Name <address>` for a From header as SES takes it: a plain ASCII name as is, one with
 * specials (a comma would split the list) quoted, a non-ASCII name as an RFC 2047 encoded word
 * (SES refuses raw non-ASCII display names).
 */
export function mailbox(name: string, address: string): string {
  const clean = name.replace(/[\p{Cc}]/gu, ' ').trim();
  if (!clean) return address;
  if (!/^[\x20-\x7e]*$/.test(clean)) {
    return `=?UTF-8?B?${Buffer.from(clean, 'utf8').toString('base64')}?= <${address}>`;
  }
  if (/^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~ ]*$/.test(clean)) return `${clean} <${address}>`;
  return `"${clean.replace(/(["\\])/g, '\\$1')}" <${address}>`;
}
