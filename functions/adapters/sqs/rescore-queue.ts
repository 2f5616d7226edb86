import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Rescore pages travel as messages, so each page gets SQS retries and, in the end, the DLQ. */
export class SqsRescoreQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async requestPage(version: number, cursor: string | null): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify({ version, cursor }) }),
    );
  }
}
