import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { deduplicationId, HOT_LEAD_SCHEMA, type HotLeadMessage } from '../../core/handoff/hot-lead-message';
import { erasedDeduplicationId, LEAD_ERASED_SCHEMA, leadErasedMessage } from '../../core/handoff/lead-erased';
import type { HotLeadQueue, QueuedMessage } from '../../core/handoff/ports';
import { LEAD_ID } from '../../core/kernel/lead-id';

/** SQS's answers for a receipt that names no message in flight any more (expired, deleted, foreign). */
const GONE = new Set([
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'InvalidParameterValue',
  'InvalidIdFormat',
]);
const gone = (error: unknown) =>
  error instanceof Error && (GONE.has(error.name) || GONE.has((error as { Code?: string }).Code ?? ''));

/**
 * hot-leads.fifo. One message group per lead, so reps claim in parallel while a lead's own
 * messages stay in order; the deduplication id (lead + hand-off number) makes a re-send a no-op.
 * The queue also carries erase events (`leadflow.lead-erased.v1`) in the lead's group.
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

  async sendErased(leadId: string, erasedAt: string): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(leadErasedMessage(leadId, erasedAt)),
        MessageGroupId: leadId,
        MessageDeduplicationId: erasedDeduplicationId(leadId, erasedAt),
      }),
    );
  }

  async receive(visibilitySeconds: number): Promise<QueuedMessage | undefined> {
    const { Messages = [] } = await this.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 1,
        VisibilityTimeout: visibilitySeconds,
        WaitTimeSeconds: 0,
      }),
    );
    const [first] = Messages;
    if (!first?.ReceiptHandle) return undefined;
    const receipt = first.ReceiptHandle;
    let body: unknown;
    try {
      body = JSON.parse(first.Body ?? '');
    } catch {
      return { kind: 'unknown', receipt };
    }
    if (typeof body !== 'object' || body === null) return { kind: 'unknown', receipt };
    const { schema, leadId, handoff, erasedAt } = body as Record<string, unknown>;
    if (typeof leadId !== 'string' || !LEAD_ID.test(leadId)) return { kind: 'unknown', receipt };
    if (schema === HOT_LEAD_SCHEMA && Number.isSafeInteger(handoff)) {
      return { kind: 'hot-lead', message: body as HotLeadMessage, receipt };
    }
    if (schema === LEAD_ERASED_SCHEMA && typeof erasedAt === 'string') {
      return { kind: 'lead-erased', message: leadErasedMessage(leadId, erasedAt), receipt };
    }
    // Not ours to read (a newer schema, or garbage): left for its consumer or the DLQ.
    return { kind: 'unknown', receipt };
  }

  async changeVisibility(receipt: string, seconds: number): Promise<boolean> {
    try {
      await this.sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.queueUrl,
          ReceiptHandle: receipt,
          VisibilityTimeout: seconds,
        }),
      );
      return true;
    } catch (error) {
      if (gone(error)) return false;
      throw error;
    }
  }

  async remove(receipt: string): Promise<boolean> {
    try {
      await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
      return true;
    } catch (error) {
      if (gone(error)) return false;
      throw error;
    }
  }
}
