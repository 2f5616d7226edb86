import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GetAccountCommand, GetConfigurationSetCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sesStatus } from '../../bin/commands/ses-status';
import type { LocalStack } from '../../functions/local/stack';
import { startTestStack, tableItems } from '../fixtures/local-api';

/**
 * The day-2 commands (`leadflow smoke`, `dlq`, `ses status`) run as the operator runs them — the
 * CLI in a child process — against the local stack: its API, the SQS emulator (local-aws-sqs, which
 * implements StartMessageMoveTask as AWS does) and the SES emulator (aws-ses-v2-local, which
 * answers GetAccount from AWS_SES_ACCOUNT and implements no GetConfigurationSet: the configuration
 * set's part is checked against aws-sdk-client-mock below).
 */
const run = promisify(execFile);
let stack: LocalStack;
let sqs: SQSClient;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ tickSeconds: 1 });
  sqs = new SQSClient({});
}, 30_000);
afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
});

const cli = (args: string[], env: Record<string, string> = {}) =>
  run(process.execPath, ['bin/leadflow.mjs', ...args], { env: { ...process.env, ...env } });

const failed = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the command to fail');
    },
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

describe('leadflow smoke', () => {
  it('walks a test lead through health, sign-up, lookup and erase, with the time of each step', async () => {
    const { stdout } = await cli(['smoke', '--url', `${stack.apiUrl}/`, '--token', stack.tokens.admin]);
    const lines = stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok health',
      'ok submit',
      'ok lookup',
      'ok erase',
      'smoke test',
    ]);
    for (const line of lines.slice(0, 4)) expect(line).toMatch(/ \d+ ms {2}/);
    expect(lines[4]).toBe('smoke test passed');
    // Erased: no lead, timeline or consent item of the test address is left, only its keyed suppression.
    const items = await tableItems(stack);
    expect(items.filter((i) => String(i.pk).startsWith('LEAD#'))).toEqual([]);
    expect(JSON.stringify(items)).not.toContain('smoke@leadflow.test');
    // No e-mail went to it (no consent on the sign-up).
    await stack.afterTicks(1);
    const mail = (await (await fetch(`${stack.mailboxUrl}/store`)).json()) as { emails: unknown[] };
    expect(JSON.stringify(mail.emails)).not.toContain('smoke@leadflow.test');
  });

  it('exits 1 at the first failed step, naming the test lead it leaves', async () => {
    // A sales token may look leads up but not erase them.
    const error = await failed(cli(['smoke', '--url', stack.apiUrl, '--token', stack.tokens.sales]));
    expect(error.code).toBe(1);
    const lines = error.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok health',
      'ok submit',
      'ok lookup',
      'FAIL erase',
      'smoke test',
    ]);
    expect(lines[3]).toMatch(
      /403 forbidden: .*; test lead (ld_\w+) left: erase it with DELETE \/v1\/admin\/leads\/\1 \(marketing token\)$/,
    );
    expect(lines[4]).toBe('smoke test FAILED');
    const leadId = /test lead (ld_\w+) left/.exec(error.stdout)?.[1];
    const erased = await fetch(`${stack.apiUrl}/v1/admin/leads/${leadId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${stack.tokens.admin}` },
    });
    expect(erased.status).toBe(200);
  });

  it('stops at health when the URL is not the API', async () => {
    const error = await failed(
      cli(['smoke', '--url', `${stack.apiUrl}/nothing-here`, '--token', 'x'.repeat(20)]),
    );
    expect(error.code).toBe(1);
    expect(error.stdout).toMatch(/^FAIL health .*404/m);
    expect(error.stdout).not.toMatch(/submit/);
  });

  it('needs a URL and a token (usage, exit 2)', async () => {
    const error = await failed(cli(['smoke'], { LEADFLOW_API_URL: '', LEADFLOW_TOKEN: '' }));
    expect(error.code).toBe(2);
    expect(error.stderr).toContain('smoke needs --url');
  });
});

describe('leadflow dlq', () => {
  const count = async (url: string) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.ApproximateNumberOfMessages) +
      Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
    );
  };

  it('lists every queue with its DLQ, message count and oldest age; redrives hot-leads with body and attributes', async () => {
    const dlq = stack.queues['hot-leads-dlq'] as string;
    const queue = stack.queues['hot-leads'] as string;
    const body = JSON.stringify({
      schema: 'leadflow.lead-erased.v1',
      leadId: 'ld_dlqtest',
      erasedAt: '2026-01-01T00:00:00.000Z',
    });
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: dlq,
        MessageBody: body,
        MessageGroupId: 'ld_dlqtest',
        MessageDeduplicationId: 'dlq-test-1',
        MessageAttributes: { kind: { DataType: 'String', StringValue: 'erase' } },
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const list = (await cli(['dlq', 'list', '--prefix', 'leadflow-'])).stdout.trim().split('\n');
    expect(list[0]).toMatch(/^queue\s+dead-letter queue\s+messages\s+oldest$/);
    const rows = Object.fromEntries(list.slice(1).map((l) => [l.split(/\s+/)[0], l.split(/\s+/).slice(1)]));
    expect(Object.keys(rows).sort()).toEqual([
      'leadflow-ad-leads',
      'leadflow-email-jobs',
      'leadflow-hot-leads.fifo',
      'leadflow-integration-deliveries',
      'leadflow-lead-exports',
      'leadflow-lead-imports',
      'leadflow-rescore-jobs',
    ]);
    expect(rows['leadflow-hot-leads.fifo']?.[0]).toBe('leadflow-hot-leads-dlq.fifo');
    expect(rows['leadflow-hot-leads.fifo']?.[1]).toBe('1');
    expect(rows['leadflow-hot-leads.fifo']?.[2]).toMatch(/^\d+s$/);
    expect(Number.parseInt(rows['leadflow-hot-leads.fifo']?.[2] ?? '', 10)).toBeGreaterThanOrEqual(1);
    expect(rows['leadflow-email-jobs']).toEqual(['leadflow-email-jobs-dlq', '0', '-']);
    // Listing looked at the message without hiding it.
    expect(await count(dlq)).toBe(1);

    const redriven = await cli(['dlq', 'redrive', 'hot-leads', '--prefix', 'leadflow-', '--wait']);
    expect(redriven.stdout.trim()).toBe(
      'completed: moved 1 message(s) from leadflow-hot-leads-dlq.fifo to leadflow-hot-leads.fifo',
    );
    expect(await count(dlq)).toBe(0);
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queue,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        AttributeNames: ['All'], // local-aws-sqs answers only to the older name
      }),
    );
    expect(Messages).toHaveLength(1);
    expect(Messages[0]?.Body).toBe(body);
    expect(Messages[0]?.MessageAttributes?.kind?.StringValue).toBe('erase');
    expect(Messages[0]?.Attributes?.MessageGroupId).toBe('ld_dlqtest');
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: Messages[0]?.ReceiptHandle }));
  });

  it('names the queues it knows when asked for an unknown one, and needs a stage or prefix', async () => {
    const unknown = await failed(cli(['dlq', 'redrive', 'nurture', '--prefix', 'leadflow-']));
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No queue nurture with a dead-letter queue; queues: leadflow-ad-leads');
    const none = await failed(cli(['dlq', 'list'], { LEADFLOW_STAGE: '' }));
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('dlq needs --stage');
    const otherStage = await cli(['dlq', 'list', '--stage', 'prod']);
    expect(otherStage.stdout).toContain('No dead-letter queue named leadflow-prod-');
  });
});

describe('leadflow ses status', () => {
  const account = {
    DedicatedIpAutoWarmupEnabled: false,
    Details: {
      AdditionalContactEmailAddresses: [],
      ContactLanguage: 'EN',
      MailType: 'MARKETING',
      ReviewDetails: { CaseId: '1234', Status: 'GRANTED' },
      UseCaseDescription: 'newsletter',
      WebsiteURL: 'https://example.com',
    },
    EnforcementStatus: 'HEALTHY',
    ProductionAccessEnabled: true,
    SendingEnabled: true,
    SendQuota: { Max24HourSend: 50000, MaxSendRate: 14, SentLast24Hours: 120 },
    SuppressionAttributes: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] },
  };

  it("prints the emulator's account and says the configuration set could not be read (exit 1)", async () => {
    // aws-ses-v2-local runs in this process and reads the account from this variable per request.
    process.env.AWS_SES_ACCOUNT = JSON.stringify(account);
    try {
      const error = await failed(cli(['ses', 'status', '--configuration-set', 'leadflow-local']));
      expect(error.code).toBe(1);
      expect(error.stdout.trim().split('\n')).toEqual([
        'account: sending enabled, enforcement HEALTHY',
        '  production access: yes; review GRANTED (case 1234)',
        '  quota: 120 of 50000 sent in the last 24 h, at most 14/s',
        'configuration set leadflow-local: could not read (HTTP 404 SyntaxError: Unexpected token \'<\', "<UnknownOp"... is not valid JSON)',
      ]);
    } finally {
      delete process.env.AWS_SES_ACCOUNT;
    }
  });

  it('reads the configuration set name from --stage', async () => {
    const error = await failed(
      cli(['ses', 'status', '--stage', 'prod'], { LEADFLOW_SES_CONFIGURATION_SET: '' }),
    );
    expect(error.stdout).toContain('configuration set leadflow-prod: could not read');
  });

  it('formats a paused configuration set and a sandboxed account under review (aws-sdk-client-mock)', async () => {
    const mock = mockClient(SESv2Client);
    try {
      mock.on(GetAccountCommand).resolves({
        ...account,
        ProductionAccessEnabled: false,
        EnforcementStatus: 'PROBATION',
        Details: { ...account.Details, ReviewDetails: { Status: 'PENDING', CaseId: '99' } },
      } as never);
      mock.on(GetConfigurationSetCommand).resolves({
        ConfigurationSetName: 'leadflow-prod',
        SendingOptions: { SendingEnabled: false },
        ReputationOptions: { ReputationMetricsEnabled: true },
      });
      const status = await sesStatus(new SESv2Client({}), 'leadflow-prod');
      expect(status.sending).toBe(false);
      expect(status.lines).toEqual([
        'account: sending enabled, enforcement PROBATION (SES is reviewing or has paused this account: see the SES console)',
        '  production access: NO (sandbox: only verified recipients); review PENDING (case 99)',
        '  quota: 120 of 50000 sent in the last 24 h, at most 14/s',
        'configuration set leadflow-prod: sending PAUSED (nothing sent with it goes out; resume: aws sesv2 put-configuration-set-sending-options --configuration-set-name leadflow-prod --sending-enabled)',
        '  reputation metrics on',
      ]);
      mock.on(GetAccountCommand).resolves(account as never);
      mock.on(GetConfigurationSetCommand).resolves({ SendingOptions: { SendingEnabled: true } });
      expect(await sesStatus(new SESv2Client({}), 'leadflow-prod')).toMatchObject({
        sending: true,
        lines: expect.arrayContaining(['configuration set leadflow-prod: sending enabled']),
      });
    } finally {
      mock.restore();
    }
  });
});
