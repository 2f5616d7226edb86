import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { LocalStack } from '../functions/local/stack';
import { dynamo } from '../functions/shared/aws/dynamodb';
import { sqs } from '../functions/shared/aws/sqs';
import { apiHop, ceilingPerSecond } from './ceiling';
import { barePut } from './floor';
import { postJson } from './http';
import { meterRequests } from './request-meter';
import { combine, fmt, pool, warmUp } from './stats';

const ROUNDS = 3;
const PER_ROUND = 200;
const CLAIMS = 399; // three rounds of 133
const CONCURRENCY = 8;

/** A demo request that scores hot (VP, 201-1000 people) or one that does not (no title, no size). */
function submission(run: number, n: number, hot: boolean) {
  const person = hot
    ? {
        firstName: 'Vera',
        lastName: 'Price',
        company: 'Initech',
        jobTitle: 'VP Sales',
        companySize: '201-1000',
      }
    : { firstName: 'Bench', lastName: 'Mark', company: 'Acme' };
  const email = `${hot ? 'vp' : 'plain'}${run}-${n}@initech.de`;
  return { email, ...person, country: 'DE', phone: '030 1234567' };
}

/**
 * Hot submissions (each hands a lead off to sales: queued on hot-leads.fifo before the answer)
 * against plain submissions of the same form at the same concurrency, in alternating rounds of
 * the same run, with the DynamoDB and hot-leads.fifo requests each makes; then claims
 * (POST /v1/sales/claims) against the SQS emulator's bare receive+delete, with their requests.
 */
export async function benchHandoff(stack: LocalStack) {
  const run = Date.now();
  const hotLeads = stack.queues['hot-leads'] as string;
  const url = `${stack.apiUrl}/v1/forms/demo-request/submissions`;
  const submit = async (n: number, hot: boolean) => {
    const status = await postJson(url, submission(run, n, hot), { origin: 'http://localhost:3000' }, n);
    if (status !== 202) throw new Error(`${hot ? 'hot' : 'plain'} submission answered ${status}`);
  };
  // First: the API's keep-alive connections must not idle (5 s) between the submissions and the claims.
  const baseline = await bareQueue(run);
  // Warm up both paths: handler import, form and model caches, keep-alive connections.
  await pool(40, 4, (i) => submit(1_000_000 + i, i % 2 === 0));
  // Every path warmed until its rate settles (stats.ts warmUp), so a cold first round flatters nothing.
  await warmUp((i) => barePut(stack.tableName, `${run}#hwarm`, i), CONCURRENCY);
  await warmUp((i) => apiHop(stack, i), CONCURRENCY);
  await warmUp((i) => submit(2_000_000 + i, i % 2 === 0), CONCURRENCY, 0, 200);

  const meter = meterRequests(dynamo, sqs, hotLeads);
  const plain: Awaited<ReturnType<typeof pool>>[] = [];
  const hot: Awaited<ReturnType<typeof pool>>[] = [];
  // The floors the ceilings below are made of: a bare PutItem and a pass through the local API.
  const puts: Awaited<ReturnType<typeof pool>>[] = [];
  const hops: Awaited<ReturnType<typeof pool>>[] = [];
  const counts = { plain: meter.none(), hot: meter.none() };
  const depth = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: hotLeads, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  };
  const before = await depth();
  for (let round = 0; round < ROUNDS; round += 1) {
    const base = round * PER_ROUND;
    puts.push(await pool(PER_ROUND * 2, CONCURRENCY, (i) => barePut(stack.tableName, `${run}#h${round}`, i)));
    hops.push(await pool(PER_ROUND * 2, CONCURRENCY, (i) => apiHop(stack, i)));
    plain.push(
      await meter.during(counts.plain, () => pool(PER_ROUND, CONCURRENCY, (i) => submit(base + i, false))),
    );
    hot.push(
      await meter.during(counts.hot, () => pool(PER_ROUND, CONCURRENCY, (i) => submit(base + i, true))),
    );
  }
  const queued = (await depth()) - before;
  const plainRun = combine(plain);
  const hotRun = combine(hot);
  const submissions = ROUNDS * PER_ROUND;

  const auth = { authorization: `Bearer ${stack.tokens.sales}` };
  let claimed = 0;
  const claimCount = meter.none();
  const bare: Awaited<ReturnType<typeof pool>>[] = [];
  const claimRounds: Awaited<ReturnType<typeof pool>>[] = [];
  // Alternating rounds, like the submissions: drift in machine load hits both alike.
  for (let round = 0; round < ROUNDS; round += 1) {
    bare.push(await pool(CLAIMS / ROUNDS, CONCURRENCY, () => receiveAndDelete(baseline.queue)));
    claimRounds.push(
      await meter.during(claimCount, () =>
        pool(CLAIMS / ROUNDS, CONCURRENCY, async (i) => {
          const status = await postJson(`${stack.apiUrl}/v1/sales/claims`, {}, auth, i);
          if (status === 200) claimed += 1;
          else if (status !== 204) throw new Error(`claim answered ${status}`);
        }),
      ),
    );
  }
  const claims = combine(claimRounds);
  const receives = combine(bare);
  meter.stop();
  const put = combine(puts).perSecond;
  const hop = combine(hops).perSecond;
  // Hot at most: a plain submission's own time with only the extra requests added, each at its bare rate.
  const hotCeiling = ceilingPerSecond([
    { count: 1, perSecond: plainRun.perSecond },
    { count: (counts.hot.dynamo - counts.plain.dynamo) / submissions, perSecond: put },
    { count: (counts.hot.queue - counts.plain.queue) / submissions, perSecond: baseline.sends.perSecond },
  ]);
  // A claim at most: its DynamoDB requests at the put floor, its SQS requests at half a bare
  // receive+delete each, one API hop.
  const claimCeiling = ceilingPerSecond([
    { count: claimCount.dynamo / CLAIMS, perSecond: put },
    { count: claimCount.queue / CLAIMS, perSecond: receives.perSecond * 2 },
    { count: 1, perSecond: hop },
  ]);

  const per = (n: number, of: number) => fmt(n / of, 2);
  console.log('\n== Hand-off to sales (hot-leads.fifo, concurrency %d) ==', CONCURRENCY);
  console.log(
    `Plain submissions      ${fmt(plainRun.perSecond)} /s  (p50 ${fmt(plainRun.p50)} ms, n=${submissions}; per submission ${per(counts.plain.dynamo, submissions)} DynamoDB, ${per(counts.plain.queue, submissions)} SQS)`,
  );
  console.log(
    `Hot submissions        ${fmt(hotRun.perSecond)} /s  (p50 ${fmt(hotRun.p50)} ms, n=${submissions}; per submission ${per(counts.hot.dynamo, submissions)} DynamoDB, ${per(counts.hot.queue, submissions)} SQS; ${queued} queued before their answers)`,
  );
  console.log(
    `Ratio                  ${fmt(hotRun.perSecond / plainRun.perSecond, 2)} x plain submissions  (target >= 0.80, <= 4 DynamoDB + 1 SQS)`,
  );
  console.log(
    `Ceiling                ${fmt(hotCeiling)} /s = ${fmt(hotCeiling / plainRun.perSecond, 2)} x plain: plain's own time + only the extra requests at their bare rates (PutItem ${fmt(put)} /s, FIFO send ${fmt(baseline.sends.perSecond)} /s); reached ${fmt(hotRun.perSecond / hotCeiling, 2)} of it`,
  );
  console.log(`SQS bare FIFO send     ${fmt(baseline.sends.perSecond)} /s  (for reference)`);
  console.log(`SQS bare receive+delete ${fmt(receives.perSecond)} /s`);
  console.log(
    `Claims                 ${fmt(claims.perSecond)} /s  (p50 ${fmt(claims.p50)} ms, ${claimed} leads claimed; per claim ${per(claimCount.dynamo, CLAIMS)} DynamoDB, ${per(claimCount.queue, CLAIMS)} SQS)`,
  );
  console.log(
    `Ratio                  ${fmt(claims.perSecond / receives.perSecond, 2)} x bare receive+delete  (target >= 0.60)`,
  );
  console.log(
    `Ceiling                ${fmt(claimCeiling)} /s = ${fmt(claimCeiling / receives.perSecond, 2)} x bare receive+delete: its requests at the bare rates (PutItem ${fmt(put)} /s, an SQS request half a receive+delete) + one API hop (${fmt(hop)} /s); reached ${fmt(claims.perSecond / claimCeiling, 2)} of it`,
  );
}

/** The SQS emulator's bare FIFO send, on a queue of its own filled for the receive+delete rounds. */
async function bareQueue(run: number) {
  const { QueueUrl: queue = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: `bench-${run}.fifo`, Attributes: { FifoQueue: 'true' } }),
  );
  const sends = await pool(CLAIMS, CONCURRENCY, async (i) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queue,
        MessageBody: JSON.stringify({ i }),
        MessageGroupId: `g${i}`,
        MessageDeduplicationId: `${run}-${i}`,
      }),
    );
  });
  return { queue, sends };
}

async function receiveAndDelete(queue: string) {
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queue, WaitTimeSeconds: 0 }),
  );
  for (const m of Messages)
    await sqs.send(new DeleteMessageCommand({ QueueUrl: queue, ReceiptHandle: m.ReceiptHandle }));
}
