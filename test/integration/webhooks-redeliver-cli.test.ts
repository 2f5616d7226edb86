import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDeadLetterQueue, listDeadLetterQueues } from '../../bin/commands/dlq';
import { planRedelivery } from '../../bin/commands/webhooks-redeliver';
import type { LocalStack } from '../../functions/local/stack';
import { api, hotDemoRequest, type Json, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * `leadflow webhooks redeliver` as an operator runs it (the CLI in a child process) against the
 * local stack and a real receiver on 127.0.0.1 that first refuses everything (400: a receiver
 * broken by a bad deploy, so nothing is retried) and then is fixed.
 */
const run = promisify(execFile);
let stack: LocalStack;
let receiver: Server;
let base = '';
let answer = 400;
const received: string[] = [];
/** Paths answering 503 (come back in 2 s) whatever `answer` says. */
const down = new Set<string>();

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (down.has(req.url ?? '')) return res.writeHead(503, { 'retry-after': '2' }).end('down');
      received.push(`${answer} ${req.headers['webhook-id']}`);
      res.writeHead(answer).end(answer === 200 ? 'ok' : 'broken');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await new Promise((resolve) => receiver.once('listening', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  process.env.LEADFLOW_WEBHOOK_RETRY_BASE_SECONDS = '1';
  stack = await startTestStack({ tickSeconds: 1 });
}, 60_000);
afterAll(async () => {
  await stack?.stop();
  receiver?.close();
});

const cli = (args: string[]) =>
  run(process.execPath, ['bin/leadflow.mjs', 'webhooks', 'redeliver', ...args], {
    env: { ...process.env, LEADFLOW_API_URL: stack.apiUrl, LEADFLOW_TOKEN: stack.tokens.admin },
  });
const failed = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the command to fail');
    },
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('leadflow webhooks redeliver', () => {
  it('sends again the events a broken receiver refused, with their webhook-id, once, after resuming the endpoint', async () => {
    const http = api(stack);
    const admin = stack.tokens.admin;
    const made = await http.post(
      '/v1/admin/webhooks/endpoints',
      { url: `${base}/crm`, eventTypes: ['lead.hot'] },
      admin,
    );
    expect(made.status).toBe(201);
    const path = `/v1/admin/webhooks/endpoints/${made.json.id}`;
    for (const who of ['ann', 'bob'])
      expect(
        (await http.submit('demo-request', hotDemoRequest(`${who}.redeliver@initech.example`))).status,
      ).toBe(202);
    const refused: Json[] = await waitFor(
      'two refused deliveries',
      async () => {
        const log = (await http.get(`${path}/deliveries`, admin)).json.deliveries;
        return log.length >= 2 ? log : undefined;
      },
      20_000,
    );
    expect(refused.map((d: Json) => [d.outcome, d.status])).toEqual([
      ['failed', 400],
      ['failed', 400],
    ]);
    const eventIds = refused.map((d: Json) => d.eventId).sort();

    // The admin paused it while the receiver was fixed: a redelivery into a paused endpoint would park again.
    expect(
      (
        await fetch(`${stack.apiUrl}${path}`, {
          method: 'PATCH',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'paused' }),
        })
      ).status,
    ).toBe(200);
    const paused = await failed(cli([made.json.id]));
    expect(paused.code).toBe(1);
    expect(paused.stderr).toMatch(/the endpoint is paused: .*--resume/);

    answer = 200;
    const dry = await cli([made.json.id, '--resume', '--dry-run']);
    expect(dry.stdout).toContain('2 event(s) to send again (30 days of log); 0 delivered, 0 still retrying');
    expect(dry.stdout).toContain('dry run: nothing queued');
    expect((await http.get(path, admin)).json.status).toBe('paused');

    const { stdout } = await cli([made.json.id, '--resume']);
    expect(stdout).toContain('the endpoint is paused: set active');
    expect(stdout.match(/^queued evt_/gm)).toHaveLength(2);
    await waitFor(
      'both events delivered',
      async () => (received.filter((r) => r.startsWith('200')).length >= 2 ? true : undefined),
      20_000,
    );
    expect(
      received
        .filter((r) => r.startsWith('200'))
        .map((r) => r.slice(4))
        .sort(),
    ).toEqual(eventIds);
    expect(
      received
        .filter((r) => r.startsWith('400'))
        .map((r) => r.slice(4))
        .sort(),
    ).toEqual(eventIds);
    await waitFor('the log to show them delivered', async () => {
      const log = (await http.get(`${path}/deliveries`, admin)).json.deliveries;
      return log.filter((d: Json) => d.outcome === 'delivered').length === 2 ? true : undefined;
    });

    // Run again: nothing left to send; and --since after everything looks at nothing.
    const again = await cli([made.json.id]);
    expect(again.stdout).toContain(
      '0 event(s) to send again (30 days of log); 2 delivered, 0 still retrying',
    );
    const later = await cli([made.json.id, '--since', new Date(Date.now() + 60_000).toISOString()]);
    expect(later.stdout).toMatch(/0 event\(s\) to send again since .*; 0 delivered/);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(received).toHaveLength(4);
  }, 90_000);

  it('with --dlq, takes the parked copies of the endpoint off the integration-deliveries DLQ and leaves the others', async () => {
    const http = api(stack);
    const admin = stack.tokens.admin;
    down.add('/parked');
    const made = await http.post(
      '/v1/admin/webhooks/endpoints',
      { url: `${base}/parked`, eventTypes: ['lead.hot'] },
      admin,
    );
    const path = `/v1/admin/webhooks/endpoints/${made.json.id}`;
    const log = async () => (await http.get(`${path}/deliveries`, admin)).json.deliveries as Json[];
    await http.submit('demo-request', hotDemoRequest('cy.parked@initech.example'));
    await waitFor(
      'a retrying delivery',
      async () => ((await log()).some((d) => d.outcome === 'retrying') ? true : undefined),
      20_000,
    );
    // Paused before its next attempt: the attempt parks the message on the DLQ.
    await fetch(`${stack.apiUrl}${path}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'paused' }),
    });
    const parked = await waitFor(
      'the parked delivery',
      async () => (await log()).find((d) => d.outcome === 'dead_lettered'),
      20_000,
    );
    expect(parked.reason).toBe('endpoint_paused');
    const sqs = new SQSClient({});
    const dlq = async () =>
      findDeadLetterQueue(await listDeadLetterQueues(sqs, 'leadflow-'), 'integration-deliveries');
    // Another destination's parked message, which must stay.
    const now = new Date().toISOString();
    const other = {
      event: { id: 'evt_other.lead.hot', type: 'lead.hot', occurredAt: now, leadId: 'ld_x', data: {} },
      destinationId: 'wh_other',
      attempt: 12,
      firstQueuedAt: now,
    };
    await sqs.send(
      new SendMessageCommand({ QueueUrl: (await dlq()).url, MessageBody: JSON.stringify(other) }),
    );
    expect((await dlq()).messages).toBe(2);

    down.delete('/parked');
    const missing = await failed(cli([made.json.id, '--resume', '--dlq']));
    expect(missing.stderr).toContain('--dlq needs --stage');
    const { stdout } = await cli([made.json.id, '--resume', '--dlq', '--prefix', 'leadflow-']);
    expect(stdout).toContain(`queued ${parked.eventId} (lead.hot, dead_lettered endpoint_paused)`);
    expect(stdout).toMatch(
      /integration-deliveries-dlq\S*: took 1 parked message\(s\) of this endpoint off; 1 left there/,
    );
    await waitFor(
      'the redelivery',
      async () => (received.includes(`200 ${parked.eventId}`) ? true : undefined),
      20_000,
    );
    expect((await dlq()).messages).toBe(1);
    sqs.destroy();
  }, 90_000);

  it('refuses a --since that is not a time, and an unknown endpoint', async () => {
    const bad = await failed(cli(['wh_01JABCDEFGHJKMNPQRSTVWXYZ0', '--since', 'yesterday']));
    expect(bad.stderr).toContain('--since wants an ISO 8601 time');
    const unknown = await failed(cli(['wh_01JABCDEFGHJKMNPQRSTVWXYZ0']));
    expect(unknown.stderr).toMatch(/404 No webhook endpoint with that id/);
  });

  it('plans one send per event from its newest entry, oldest first', () => {
    const entry = (eventId: string, at: string, outcome: Json) => ({
      deliveryId: `dlv_${at}`,
      eventId,
      eventType: 'lead.hot',
      at,
      outcome,
    });
    const plan = planRedelivery([
      entry('e3', '2026-12-03T10:05:00Z', 'retrying'),
      entry('e1', '2026-12-03T10:04:00Z', 'delivered'),
      entry('e2', '2026-12-03T10:03:00Z', 'dead_lettered'),
      entry('e4', '2026-12-03T10:02:00Z', 'failed'),
      entry('e1', '2026-12-03T10:01:00Z', 'failed'),
      entry('e2', '2026-12-03T10:00:00Z', 'retrying'),
    ]);
    expect(plan.send.map((e) => e.eventId)).toEqual(['e4', 'e2']);
    expect(plan).toMatchObject({ delivered: 1, retrying: 1 });
  });
});
