import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { ImportQueue } from '../../core/imports/import-ports';

/** One page of an import travels as one message (lead-imports): SQS retries it, then the DLQ. */
export class SqsImportQueue implements ImportQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async page(importId: string, fromRow: number): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ importId, fromRow }) }),
    );
  }
}
