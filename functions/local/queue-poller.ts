import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { invokeLocally } from './invocation';

export type QueueHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | undefined>;

/**
 * The local Lambda event source mapping: long-polls a queue, hands batches to the handler as
 * SQS events and deletes what it did not report as failed (partial batch responses), so a
 * failed record comes back after its visibility timeout and ends in the DLQ, as on AWS.
 */
export function pollQueue(sqs: SQSClient, queueUrl: string, name: string, load: () => Promise<QueueHandler>) {
  let running = true;
  const arn = `arn:aws:sqs:us-east-1:000000000000:${queueUrl.split('/').pop()}`;
  const loop = (async () => {
    while (running) {
      try {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: 1,
            MessageSystemAttributeNames: ['All'],
          }),
        );
        if (!running || Messages.length === 0) continue;
        const event: SQSEvent = {
          Records: Messages.map((m) => ({
            messageId: m.MessageId ?? '',
            receiptHandle: m.ReceiptHandle ?? '',
            body: m.Body ?? '',
            attributes: (m.Attributes ?? {}) as SQSEvent['Records'][number]['attributes'],
            messageAttributes: {},
            md5OfBody: m.MD5OfBody ?? '',
            eventSource: 'aws:sqs',
            eventSourceARN: arn,
            awsRegion: 'us-east-1',
          })),
        };
        let failed = new Set(Messages.map((m) => m.MessageId));
        try {
          const handler = await load();
          const result = await invokeLocally(name, handler, event);
          failed = new Set(result?.batchItemFailures.map((f) => f.itemIdentifier) ?? []);
        } catch (error) {
          console.error(
            `local queue ${name}: handler failed:`,
            error instanceof Error ? error.message : error,
          );
        }
        const done = Messages.filter((m) => !failed.has(m.MessageId));
        if (done.length > 0) {
          await sqs.send(
            new DeleteMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })),
            }),
          );
        }
      } catch (error) {
        if (running) console.error(`local queue ${name}:`, error instanceof Error ? error.message : error);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
    },
  };
}
