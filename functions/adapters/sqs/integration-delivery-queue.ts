import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { deliveryMessageBody } from '../../core/integrations/delivery-message';
import type { DeliveryMessage, DeliveryQueue } from '../../core/integrations/ports';

const BATCH_MAX = 10;
/** SQS's longest DelaySeconds: a longer wait is chained in hops (delivery.ts). */
export const MAX_DELAY_SECONDS = 900;

/** integration-deliveries: one message per (event, destination); its DLQ parks exhausted ones. */
export class SqsDeliveryQueue implements DeliveryQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    /** Read when a message is parked (only the worker has the DLQ's URL). */
    private readonly dlqUrl: () => string,
  ) {}

  async enqueue(messages: DeliveryMessage[]): Promise<void> {
    for (let start = 0; start < messages.length; start += BATCH_MAX) {
      const batch = messages.slice(start, start + BATCH_MAX);
      const result = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((message, i) => ({ Id: String(i), MessageBody: deliveryMessageBody(message) })),
        }),
      );
      // A message SQS did not take fails the run: the entry keeps its key and is published again.
      if (result.Failed && result.Failed.length > 0)
        throw new Error(`integration-deliveries refused ${result.Failed.length} message(s)`);
    }
  }

  async enqueueLater(message: DeliveryMessage, delaySeconds: number): Promise<void> {
    const delay = Math.max(0, Math.min(MAX_DELAY_SECONDS, Math.ceil(delaySeconds)));
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: deliveryMessageBody(message),
        DelaySeconds: delay,
      }),
    );
  }

  async deadLetter(message: DeliveryMessage): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.dlqUrl(), MessageBody: deliveryMessageBody(message) }),
    );
  }
}
