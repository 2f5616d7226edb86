import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AdLeadJob, AdLeadQueue } from '../../core/webhooks/ports';

/** ad-leads: one message per lead to fetch; retries with backoff come from SQS, then the DLQ. */
export class SqsAdLeadQueue implements AdLeadQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(jobs: AdLeadJob[]): Promise<void> {
    for (let i = 0; i < jobs.length; i += 10) {
      const batch = jobs.slice(i, i + 10);
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((job, n) => ({ Id: String(n), MessageBody: JSON.stringify(job) })),
        }),
      );
      if (Failed.length > 0)
        throw new Error(`ad-leads: ${Failed.length} of ${batch.length} messages not queued`);
    }
  }
}
