import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchWriteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoConfigStore } from '../functions/adapters/dynamodb/config-store';
import { DynamoDueIndex } from '../functions/adapters/dynamodb/due-index';
import { toLeadItem } from '../functions/adapters/dynamodb/lead-item';
import { NURTURE_CONFIG_ID } from '../functions/adapters/dynamodb/nurture-configs';
import { readNurtureConfig } from '../functions/adapters/files/config-dir';
import { SqsEmailJobs } from '../functions/adapters/sqs/email-job-queue';
import { leadIdFor } from '../functions/core/kernel/email';
import { useIdentityKey } from '../functions/core/kernel/identity-key';
import type { LeadState } from '../functions/core/leads/lead';
import { type EmailJobs, queueDueSteps } from '../functions/core/nurture/queue-due';
import { emptyAggregate } from '../functions/core/scoring/score';
import { createQueues, createTable } from '../functions/local/resources';
import { startBenchEmulators } from './environment';
import { fmt, pool, warmUp } from './stats';

const TABLE = 'bench-nurture';
const STEPS = Number(process.env.BENCH_NURTURE_STEPS ?? 10_000);
const SIZES = (process.env.BENCH_TICK_SIZES ?? '1000,10000,100000').split(',').map(Number);
const CONCURRENCY = 16;

/**
 * Runs in its own process (`npm run bench` spawns it): the handlers' SDK clients resolve their
 * emulator endpoints once, so they must not share a process with the local-stack benchmarks.
 *
 * Nurture: (1) due steps sent per second by tick + send-email for STEPS enrolments, next to the
 * emulators' bare rate for the least a step needs (read the lead, write it, one SES send) measured
 * in the same run; (2) how tick's cost (DynamoDB requests, time) grows from 1,000 to 100,000 due
 * steps — it must grow linearly. Runs on its own emulators.
 */
export async function benchNurture() {
  const emulators = await startBenchEmulators({ dynamodb: 0, sqs: 0, ses: 0 });
  emulators.applyToEnv();
  Object.assign(process.env, {
    LEADFLOW_TABLE_NAME: TABLE,
    LEADFLOW_PUBLIC_URL: 'http://127.0.0.1:3000',
    LEADFLOW_UNSUBSCRIBE_KEY: randomBytes(32).toString('base64url'),
    LEADFLOW_CONFIG_CACHE_SECONDS: '300',
    LEADFLOW_SES_CONFIGURATION_SET: 'leadflow-bench',
    LEADFLOW_IDENTITY_KEY: randomBytes(32).toString('base64url'),
  });
  // Lead ids are derived here before any handler (which would set the key) is loaded.
  useIdentityKey(process.env.LEADFLOW_IDENTITY_KEY as string);
  const ddb = new DynamoDBClient({});
  const db = DynamoDBDocumentClient.from(ddb, { marshallOptions: { removeUndefinedValues: true } });
  const sqs = new SQSClient({});
  try {
    await createTable(ddb, TABLE);
    const queues = await createQueues(sqs, 'bench-');
    process.env.LEADFLOW_QUEUE_EMAIL_JOBS = queues['email-jobs'];
    const loaded = await readNurtureConfig('config');
    if (!loaded) throw new Error('config/settings.yaml is missing');
    // Every lead may get its email now: the bench measures sending, not the gates that hold mail back.
    const config = structuredClone(loaded.config);
    config.settings.frequencyCap = { perDay: 50, perWeek: 100 };
    for (const sequence of config.sequences) for (const step of sequence.steps) step.ignoreSendWindow = true;
    await new DynamoConfigStore(db, TABLE).publish('nurture', NURTURE_CONFIG_ID, config);
    await sendingRate(db, sqs, queues['email-jobs'] as string);
    await tickGrowth(db);
  } finally {
    ddb.destroy();
    sqs.destroy();
    await emulators.stop();
  }
}

async function sendingRate(db: DynamoDBDocumentClient, sqs: SQSClient, queueUrl: string) {
  const { sendDeps } = await import('../functions/shared/wiring/nurture');
  const { processDueSteps } = await import('../functions/core/nurture/send-step');
  const { readAhead } = await import('../functions/core/nurture/send-read-ahead');
  const run = Date.now();
  const ses = new SESv2Client({});
  // Baseline: the least a step needs — read the lead, write it back, one SES SendEmail — measured
  // before and after the run and averaged, so drift in machine load hits both alike.
  const bareStep = async (round: string, i: number) => {
    const key = { pk: `BARE#${run}#${round}#${i}`, sk: 'X' };
    await db.send(new GetCommand({ TableName: TABLE, Key: key }));
    await db.send(new PutCommand({ TableName: TABLE, Item: { ...key, n: i } }));
    await ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'bench@leadflow.example',
        Destination: { ToAddresses: [`bare-${i}@example.com`] },
        Content: { Simple: { Subject: { Data: 'x' }, Body: { Text: { Data: 'x' } } } },
      }),
    );
  };
  const bareRound = (round: string) => pool(2_000, CONCURRENCY, (i) => bareStep(round, i));
  // Warmed until its rate settles (stats.ts warmUp): a cold first round flattered the ratio.
  await warmUp((i) => bareStep('warm', i), CONCURRENCY);
  const bareBefore = await bareRound('before');

  const now = new Date();
  await seed(db, STEPS, 'send', now);
  const deps = sendDeps();
  const { dynamo } = await import('../functions/shared/aws/dynamodb');
  const requests = countRequests(db);
  const sendRequests = countRequests(dynamo);
  const started = performance.now();
  const tick = await queueDueSteps(new DynamoDueIndex(db, TABLE), new SqsEmailJobs(sqs, queueUrl), {
    now: new Date(),
    leaseSeconds: 900,
    pageSize: 100,
    maxLeads: STEPS,
  });
  const tickMs = performance.now() - started;
  const tickRequests = requests.total();
  requests.stop();
  let sent = 0;
  let failed = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return;
        // As the send-email handler does: the batch's leads and suppressions read in two requests.
        const leadIds = Messages.map((m) => (JSON.parse(m.Body ?? '{}') as { leadId: string }).leadId);
        const ahead = await readAhead(deps, leadIds);
        await Promise.all(
          leadIds.map(async (leadId) => {
            const tally = await processDueSteps(deps, leadId, ahead);
            sent += tally.sent;
            failed += tally.failed;
          }),
        );
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }),
  );
  const wallMs = performance.now() - started;
  const perSecond = (sent / wallMs) * 1000;
  const bareAfter = await bareRound('after');
  const bare = { perSecond: (bareBefore.perSecond + bareAfter.perSecond) / 2 };
  console.log(
    `nurture: ${sent} of ${STEPS} due steps sent (${failed} failed) by tick + send-email in ${fmt(wallMs / 1000)} s ` +
      `(tick queued ${tick.queued} in ${fmt(tickMs / 1000)} s): ${fmt(perSecond)} steps/s; DynamoDB requests per step: ` +
      `tick ${fmt(tickRequests / Math.max(1, sent), 2)}, send-email ${fmt(sendRequests.perItem(sent), 2)}`,
  );
  console.log(
    `nurture: bare Get+Put+SES SendEmail ${fmt(bare.perSecond)}/s (before ${fmt(bareBefore.perSecond)}, after ` +
      `${fmt(bareAfter.perSecond)}) → ratio ${fmt(perSecond / bare.perSecond, 2)}×`,
  );
  sendRequests.stop();
  ses.destroy();
}

/** Tick alone (the queue send replaced by a counter: SQS batches are linear and measured above). */
async function tickGrowth(db: DynamoDBDocumentClient) {
  const counted: EmailJobs = { enqueue: async () => {} };
  let previous: { n: number; ms: number; requests: number } | undefined;
  for (const n of SIZES) {
    const table = `${TABLE}-tick-${n}`;
    await createTable(new DynamoDBClient({}), table);
    const now = new Date();
    await seed(db, n, `tick${n}`, now, table);
    const requests = countRequests(db);
    const started = performance.now();
    const result = await queueDueSteps(new DynamoDueIndex(db, table), counted, {
      now: new Date(now.getTime() + 1000),
      leaseSeconds: 900,
      pageSize: 100,
      maxLeads: Number.POSITIVE_INFINITY,
    });
    const ms = performance.now() - started;
    const total = requests.total();
    requests.stop();
    const growth = previous
      ? ` — ×${fmt(n / previous.n, 0)} steps: ×${fmt(ms / previous.ms, 2)} time, ×${fmt(total / previous.requests, 2)} requests`
      : '';
    console.log(
      `tick: ${result.queued} of ${n} due steps queued in ${fmt(ms / 1000, 2)} s, ${total} DynamoDB requests ` +
        `(${fmt(total / n, 3)} per step, ${result.pages} pages)${growth}`,
    );
    previous = { n, ms, requests: total };
  }
}

/** Leads with an active welcome enrollment due now, written 25 to a BatchWriteItem. */
async function seed(db: DynamoDBDocumentClient, n: number, tag: string, now: Date, table = TABLE) {
  const at = now.toISOString();
  const items = Array.from({ length: n }, (_, i) => {
    const email = `${tag}-${i}@example.com`;
    const lead: LeadState = {
      leadId: leadIdFor(email),
      email,
      stage: 'subscriber',
      profile: { firstName: { value: `Ada${i}`, source: 'bench', at } },
      marketingConsent: { granted: true, at, source: 'bench' },
      createdAt: at,
      updatedAt: at,
      version: 1,
      aggregate: emptyAggregate(),
      score: null,
      nurture: {
        enrollments: {
          welcome: { sequenceId: 'welcome', number: 1, status: 'active', enrolledAt: at, step: 0, dueAt: at },
        },
        sent: [],
        seen: ['form_submitted'],
      },
    };
    return toLeadItem(lead);
  });
  const batches = Math.ceil(items.length / 25);
  await pool(batches, CONCURRENCY, async (b) => {
    let requests = items.slice(b * 25, b * 25 + 25).map((Item) => ({ PutRequest: { Item } }));
    while (requests.length > 0) {
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  });
}

function countRequests(db: DynamoDBDocumentClient) {
  let count = 0;
  const name = `bench-count-${Math.random()}`;
  db.middlewareStack.add(
    (next) => (args) => {
      count += 1;
      return next(args);
    },
    { step: 'initialize', name },
  );
  return {
    total: () => count,
    perItem: (items: number) => (items > 0 ? count / items : Number.NaN),
    stop: () => db.middlewareStack.remove(name),
  };
}

await benchNurture();
