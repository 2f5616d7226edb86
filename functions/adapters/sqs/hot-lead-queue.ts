import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { deduplicationId, HOT_LEAD_SCHEMA, type HotLeadMessage } from '../../core/handoff/hot-lead-message';
import type { HotLeadQueue } from '../../core/handoff/ports';

/**
 * hot-leads.fifo. One message group per lead, so reps claim in parallel while a lead's own
 * messages stay in order; the deduplication id (lead + hand-off number) makes a re-send a no-op.
 */
export class SqsHotLeadQueue implements HotLeadQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(message: HotLeadMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(message),
        MessageGroupId: message.leadId,
        MessageDeduplicationId: deduplicationId(message.leadId, message.handoff),
      }),
    );
  }

  async receive(visibilitySeconds: number) {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 1,
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: 0,
      }),
    );
    const [first] = Messages;
    if (!first?.Body || !first.ReceiptHandle) return undefined;
    const message = JSON.parse(first.Body) as HotLeadMessage;
    if (message.schema !== HOT_LEAD_SCHEMA) {
      // Not ours to read (a newer schema, or garbage): leave it for its consumer or the DLQ.
      return undefined;
    }
    return { message, receipt: first.ReceiptHandle };
  }

  async changeVisibility(receipt: string, seconds: number): Promise<void> {
    await this.sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: this.queueUrl,
        ReceiptHandle: receipt,
        VisibilityTimeout: seconds,
      }),
    );
  }

  async remove(receipt: string): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
  }
}
