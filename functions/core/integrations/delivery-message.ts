import * as z from 'zod/mini';
import { EVENT_TYPES } from './events';
import type { DeliveryMessage } from './ports';

const scalar = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

/** An integration-deliveries message as the worker accepts it (anything else is dropped, logged). */
export const deliveryMessageSchema = z.object({
  event: z.object({
    id: z.string().check(z.regex(/^evt_[A-Za-z0-9_.:-]{1,200}$/)),
    type: z.enum(EVENT_TYPES),
    occurredAt: z.iso.datetime({ offset: true }),
    leadId: z.string().check(z.maxLength(100)),
    data: z.record(z.string(), scalar),
  }),
  destinationId: z.string().check(z.regex(/^[a-z0-9_]{1,64}$/i)),
  attempt: z.int().check(z.gte(1), z.lte(1000)),
  firstQueuedAt: z.iso.datetime({ offset: true }),
  notBefore: z.optional(z.iso.datetime({ offset: true })),
  replayOf: z.optional(z.string().check(z.maxLength(100))),
});

export const deliveryMessageBody = (message: DeliveryMessage) => JSON.stringify(message);

/** The message in a queue body; undefined when it is not one (a retry would not fix it). */
export function parseDeliveryMessage(body: string): DeliveryMessage | undefined {
  try {
    const parsed = deliveryMessageSchema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
