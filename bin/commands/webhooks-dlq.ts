/**
 * `webhooks redeliver --dlq`: takes an endpoint's parked messages off the integration-deliveries
 * DLQ once their events were queued again from the delivery log (or delivered since), so the DLQ
 * (and its alarm) holds only what still needs someone. Other destinations' messages are put back
 * as they were (visible again at once).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { parseDeliveryMessage } from '../../functions/core/integrations/delivery-message';

/** Long enough to read the whole DLQ once without seeing a message twice; released at the end. */
const HOLD_SECONDS = 120;
const MAX_PAGES = 5000;

export async function takeParkedOff(
  sqs: SQSClient,
  dlqUrl: string,
  endpointId: string,
  settledEventIds: Set<string>,
): Promise<{ removed: number; left: number }> {
  const held: Message[] = [];
  let removed = 0;
  try {
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 0,
        }),
      );
      if (Messages.length === 0) break;
      for (const m of Messages) {
        const parked = parseDeliveryMessage(m.Body ?? '');
        if (parked?.destinationId === endpointId && settledEventIds.has(parked.event.id)) {
          await sqs.send(new DeleteMessageCommand({ QueueUrl: dlqUrl, ReceiptHandle: m.ReceiptHandle }));
          removed += 1;
        } else held.push(m);
      }
    }
  } finally {
    for (const m of held)
      await sqs.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: dlqUrl,
          ReceiptHandle: m.ReceiptHandle,
          VisibilityTimeout: 0,
        }),
      );
  }
  return { removed, left: held.length };
}
