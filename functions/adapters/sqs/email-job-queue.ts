import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { broadcastPageMessage } from '../../core/nurture/broadcast';
import type { EmailJobs } from '../../core/nurture/queue-due';

const BATCH_MAX = 10;

/**
 * email-jobs: `{"leadId"}` per message, sent 10 to a batch (a message SQS did not take fails the
 * run); and the pages of a broadcast, `{"broadcast", "cursor"}`, one message each.
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
            Entries: batch.map((leadId, i) => ({ Id: String(i), MessageBody: JSON.stringify({ leadId }) })),
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
