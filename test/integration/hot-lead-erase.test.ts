import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore } from '../../functions/adapters/dynamodb/token-store';
import { SqsHotLeadQueue } from '../../functions/adapters/sqs/hot-lead-queue';
import { hotLeadMessageSchema, leadErasedMessageSchema } from '../../functions/core/handoff/hot-lead-schema';
import type { LocalStack } from '../../functions/local/stack';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { sqs } from '../../functions/shared/aws/sqs';
import { api, hotDemoRequest, startTestStack } from '../fixtures/local-api';

/**
 * The erase event on hot-leads.fifo (the queue contract for a CRM reading it directly), and the
 * API's claim path: it deletes erase events and drops hot-lead messages of erased leads.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let rep: string;
let queue: SqsHotLeadQueue;
let queueUrl: string;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  delete process.env.LEADFLOW_CLAIM_WINDOW_SECONDS;
  stack = await startTestStack({ tickSeconds: 3600 });
  http = api(stack);
  rep = await new DynamoTokenStore(dynamo, stack.tableName).create('sales', 'rep erase');
  queueUrl = stack.queues['hot-leads'] as string;
  queue = new SqsHotLeadQueue(sqs, queueUrl);
}, 30_000);
afterAll(async () => stack?.stop());

const claim = () => http.post('/v1/sales/claims', {}, rep);
async function hotLead(email: string): Promise<string> {
  expect((await http.submit('demo-request', hotDemoRequest(email))).status).toBe(202);
  return (await http.get(`/v1/admin/leads?email=${encodeURIComponent(email)}`, stack.tokens.marketing)).json
    .leadId;
}
/** What a CRM consuming the queue directly receives next (with its FIFO attributes). */
async function direct() {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 1,
      VisibilityTimeout: 30,
      AttributeNames: ['All'],
    }),
  );
  return Messages[0];
}
/** Messages on the queue, waiting or in flight (the emulator counts in-flight ones in both). */
async function depth(which: 'all' | 'inFlight' = 'all') {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const inFlight = Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
  return which === 'inFlight'
    ? inFlight
    : Math.max(Number(Attributes?.ApproximateNumberOfMessages), inFlight);
}

describe('erase events on the hot-lead queue', () => {
  it('serves the JSON Schema of the erase event next to the hot-lead one, and lists it in OpenAPI', async () => {
    const res = await http.get('/v1/schemas/lead-erased.v1.json');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      $id: 'https://leadflow.dev/schemas/lead-erased.v1.json',
      properties: { schema: { const: 'leadflow.lead-erased.v1' }, leadId: {}, erasedAt: {} },
      required: expect.arrayContaining(['schema', 'leadId', 'erasedAt']),
    });
    const openApi = (await http.get('/v1/openapi.json')).json;
    expect(openApi.paths['/v1/schemas/lead-erased.v1.json']?.get).toBeDefined();
  });

  it('reaches a direct consumer after the hot-lead message of the same lead, in its group, once per erase', async () => {
    const leadId = await hotLead('direct@initech.de');
    const erasedAt = new Date().toISOString();
    await queue.sendErased(leadId, erasedAt);
    await queue.sendErased(leadId, erasedAt); // a retried erase: dropped by the deduplication id

    const first = await direct();
    expect(hotLeadMessageSchema.parse(JSON.parse(first?.Body ?? ''))).toMatchObject({ leadId });
    // On AWS the group is also blocked while the hot-lead message is in flight (the emulator does
    // not block it): either way the erase event comes after it.
    const erased = await direct();
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first?.ReceiptHandle }));
    expect(leadErasedMessageSchema.parse(JSON.parse(erased?.Body ?? ''))).toEqual({
      schema: 'leadflow.lead-erased.v1',
      leadId,
      erasedAt,
    });
    expect(erased?.Attributes).toMatchObject({
      MessageGroupId: leadId,
      MessageDeduplicationId: expect.stringContaining(leadId),
    });
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: erased?.ReceiptHandle }));
    expect(await direct()).toBeUndefined();
  });

  it('lets the claim path delete erase events and go on to the next hot lead', async () => {
    await queue.sendErased('ld_0123456789abcdef01234567', new Date().toISOString());
    const next = await hotLead('next@initech.de');
    const card = await claim();
    expect(card.status).toBe(200);
    expect(card.json.leadId).toBe(next);
    await http.post(
      `/v1/sales/leads/${next}/outcome`,
      { claimToken: card.json.claimToken, outcome: 'won' },
      rep,
    );
    expect(await depth()).toBe(0);
  });

  it('drops (deletes, never shows) the hot-lead message of a lead being erased or gone', async () => {
    const erasing = await hotLead('erasing@initech.de');
    await dynamo.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: { pk: `LEAD#${erasing}`, sk: 'LEAD' },
        UpdateExpression: 'SET erasing = :at',
        ExpressionAttributeValues: { ':at': new Date().toISOString() },
      }),
    );
    const gone = await hotLead('gone@initech.de');
    await dynamo.send(
      new DeleteCommand({ TableName: stack.tableName, Key: { pk: `LEAD#${gone}`, sk: 'LEAD' } }),
    );
    expect((await claim()).status).toBe(204);
    expect(await depth()).toBe(0);
  });

  it('skips a message it cannot read (not JSON, or another schema) without a 5xx, and leaves it for its consumer', async () => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: 'not json {',
        MessageGroupId: 'garbage',
        MessageDeduplicationId: 'garbage-1',
      }),
    );
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: JSON.stringify({
          schema: 'leadflow.hot-lead.v9',
          leadId: 'ld_0123456789abcdef01234567',
        }),
        MessageGroupId: 'future',
        MessageDeduplicationId: 'future-1',
      }),
    );
    const next = await hotLead('after-garbage@initech.de');
    const card = await claim();
    expect(card.status).toBe(200);
    expect(card.json.leadId).toBe(next);
    expect((await claim()).status).toBe(204);
    // Both unreadable messages are still there (in flight now), for their consumer or the DLQ.
    await http.post(
      `/v1/sales/leads/${next}/outcome`,
      { claimToken: card.json.claimToken, outcome: 'won' },
      rep,
    );
    expect(await depth('inFlight')).toBe(2);
  });
});
