import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { LEAD_ID } from '../../core/kernel/lead-id';
import { BROADCAST_ID } from '../../core/nurture/broadcast-ids';
import type { EmailJobs } from '../../core/nurture/queue-due';

const BATCH_MAX = 10;

/**
 * The email-jobs message format, in one place: `{"leadId"}` asks for one lead's due steps,
 * `{"broadcast", "cursor"}` for one page of a broadcast.
 */
export type EmailJob =
  | { kind: 'lead'; leadId: string }
  | { kind: 'broadcast'; broadcastId: string; cursor: string | null };

export const leadJobMessage = (leadId: string) => JSON.stringify({ leadId });
export const broadcastPageMessage = (broadcastId: string, cursor: string | null) =>
  JSON.stringify({ broadcast: broadcastId, cursor });

/** What an email-jobs message asks for; undefined for anything else (a retry would not fix it). */
export function parseEmailJob(body: string): EmailJob | undefined {
  let message: unknown;
  try {
    message = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (message === null || typeof message !== 'object') return undefined;
  const { leadId, broadcast, cursor } = message as Record<string, unknown>;
  if (typeof leadId === 'string' && LEAD_ID.test(leadId)) return { kind: 'lead', leadId };
  if (
    typeof broadcast === 'string' &&
    BROADCAST_ID.test(broadcast) &&
    (cursor === null || typeof cursor === 'string')
  )
    return { kind: 'broadcast', broadcastId: broadcast, cursor };
  return undefined;
}

/**
 * email-jobs: one message per lead, sent 10 to a batch (a message SQS did not take fails the
 * run); and the pages of a broadcast, one message each.
 */
export class SqsEmailJobs implements EmailJobs {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(leadIds: string[]): Promise<void> {
    const batches: string[][] = [];
    for (let i = 0; i < leadIds.length; i += BATCH_MAX) batches.push(leadIds.slice(i, i + BATCH_MAX));
    await Promise.all(
      batches.map(async (batch) => {
        const result = await this.sqs.send(
          new SendMessageBatchCommand({
            QueueUrl: this.queueUrl,
            Entries: batch.map((leadId, i) => ({ Id: String(i), MessageBody: leadJobMessage(leadId) })),
          }),
        );
        if (result.Failed && result.Failed.length > 0) {
          // Those leads stay leased and are queued again when the lease ends.
          throw new Error(`email-jobs refused ${result.Failed.length} of ${batch.length} messages`);
        }
      }),
    );
  }

  async requestBroadcastPage(broadcastId: string, cursor: string | null): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: broadcastPageMessage(broadcastId, cursor),
      }),
    );
  }
}
