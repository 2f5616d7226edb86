import { spawn } from 'node:child_process';
import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoHandoffStore } from '../../functions/adapters/dynamodb/handoff-store';
import { DynamoLeadStore } from '../../functions/adapters/dynamodb/lead-store';
import { SqsHotLeadQueue } from '../../functions/adapters/sqs/hot-lead-queue';
import { hotLeadMessageSchema } from '../../functions/core/handoff/hot-lead-schema';
import { sendHandoff, sendPendingHandoffs } from '../../functions/core/handoff/sales';
import { leadIdFor } from '../../functions/core/kernel/email';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { publishShippedConfig } from '../fixtures/config';
import { type EmulatorEnv, emulatorEnv, TABLE } from '../fixtures/emulators';

let env: EmulatorEnv;
beforeAll(async () => {
  env = await emulatorEnv();
  await publishShippedConfig(env);
});
afterAll(async () => env?.stop());

describe('a process killed between the DynamoDB write and the queue send', () => {
  it('still gets the hot lead to the queue, once, through the outbox', async () => {
    const email = 'killed@initech.de';
    const leadId = leadIdFor(email);
    // Async: the emulators live in this process and must keep answering the child.
    const child = await new Promise<{ signal: string | null; stdout: string }>((resolve) => {
      const proc = spawn(
        process.execPath,
        ['--import', 'tsx', 'test/fixtures/crash-after-lead-write.ts', leadId, email],
        {
          env: { ...process.env, NODE_NO_WARNINGS: '1' },
        },
      );
      let stdout = '';
      proc.stdout.on('data', (chunk) => {
        stdout += String(chunk);
      });
      const timer = setTimeout(() => proc.kill('SIGTERM'), 30_000);
      proc.on('exit', (_code, signal) => {
        clearTimeout(timer);
        resolve({ signal, stdout });
      });
    });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toContain('not killed');

    const leads = new DynamoLeadStore(dynamo, TABLE);
    expect((await leads.load(leadId))?.handoff).toMatchObject({ number: 1, status: 'pending' });
    const queueUrl = env.queues['hot-leads'] as string;
    const deps = {
      handoffs: new DynamoHandoffStore(dynamo, TABLE),
      queue: new SqsHotLeadQueue(env.sqs, queueUrl),
      clock: { now: () => new Date(Date.now() + 120_000) },
    };
    expect(await sendPendingHandoffs(deps, 60)).toEqual({ sent: 1, failed: 0 });
    // A second tick, and a stray re-send of the same hand-off: nothing new reaches the queue.
    expect(await sendPendingHandoffs(deps, 60)).toEqual({ sent: 0, failed: 0 });
    const lead = await leads.load(leadId);
    if (!lead) throw new Error('lead missing');
    await sendHandoff(deps, {
      ...lead,
      handoff: { ...(lead.handoff as NonNullable<typeof lead.handoff>), status: 'pending' },
    });

    const { Messages = [] } = await env.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    // The message honours the published contract (the schema CRMs read).
    for (const m of Messages)
      expect(hotLeadMessageSchema.safeParse(JSON.parse(m.Body ?? '{}')).success).toBe(true);
    expect(Messages.map((m) => JSON.parse(m.Body ?? '{}'))).toEqual([
      expect.objectContaining({ schema: 'leadflow.hot-lead.v1', leadId, handoff: 1, email }),
    ]);
    expect((await leads.load(leadId))?.handoff?.status).toBe('sent');
  });
});
