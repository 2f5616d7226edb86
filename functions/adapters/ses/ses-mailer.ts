import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { type Mailer, MailerError, type OutgoingEmail } from '../../core/nurture/mailer';

/** Refusals that pass: the sending rate, the daily quota, sending paused by the operator. */
const LATER = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'LimitExceededException',
  'SendingPausedException',
  'AccountSuspendedException',
]);

/**
 * SES v2 SendEmail with Simple content: the List-Unsubscribe headers travel in `Headers`
 * (which the local emulator keeps too), tags name the lead and step for SES events, and the
 * configuration set routes those events to ses-events. The client must not retry on its own
 * (maxAttempts 1): a retry after a timeout could send twice; the step's own backoff retries
 * what SES refused.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    // Required: without it SES publishes no bounce or complaint for this message.
    private readonly configurationSet: string,
    // Confirmations: a set of their own, not paused with marketing sends (defaults to the one above).
    private readonly transactionalConfigurationSet: string = configurationSet,
  ) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    try {
      const result = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: email.from,
          ReplyToAddresses: email.replyTo ? [email.replyTo] : undefined,
          Destination: { ToAddresses: [email.to] },
          Content: {
            Simple: {
              Subject: { Data: email.subject, Charset: 'UTF-8' },
              Body: {
                Html: { Data: email.html, Charset: 'UTF-8' },
                Text: { Data: email.text, Charset: 'UTF-8' },
              },
              Headers: email.headers.map(({ name, value }) => ({ Name: name, Value: value })),
            },
          },
          EmailTags: email.tags.map(({ name, value }) => ({ Name: name, Value: value })),
          ConfigurationSetName: email.transactional
            ? this.transactionalConfigurationSet
            : this.configurationSet,
        }),
      );
      return { messageId: result.MessageId ?? '' };
    } catch (error) {
      throw classify(error);
    }
  }
}

export function classify(error: unknown): MailerError {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (LATER.has(name) || /maximum sending rate exceeded/i.test(message))
    return new MailerError('throttled', name, message);
  // A 4xx answer is SES refusing this message: it was not sent.
  if (status !== undefined && status >= 400 && status < 500)
    return new MailerError('rejected', name, message);
  // No answer or a server error: it may have been sent.
  return new MailerError('unknown', name, message);
}
