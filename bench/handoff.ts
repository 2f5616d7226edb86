import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import type { LocalStack } from '../functions/local/stack';
import { sqs } from '../functions/shared/aws/sqs';
import { postJson } from './http';
import { fmt, pool } from './stats';

const N = 400;
const CONCURRENCY = 8;

/**
 * Hand-offs per second end to end (a hot demo request over HTTP until its message is on
 * hot-leads.fifo) and claims per second (POST /v1/sales/claims), each next to the SQS
 * emulator's bare FIFO send / receive+delete rate measured in the same run.
 */
export async function benchHandoff(stack: LocalStack) {
  const run = Date.now();
  const { QueueUrl: baseline = '' } = await sqs.send(
    new CreateQueueCommand({ QueueName: `bench-${run}.fifo`, Attributes: { FifoQueue: 'true' } }),
  );
  const sends = await pool(N, CONCURRENCY, async (i) => {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: baseline,
        MessageBody: JSON.stringify({ i }),
        MessageGroupId: `g${i}`,
        MessageDeduplicationId: `${run}-${i}`,
      }),
    );
  });
  const receives = await pool(N, CONCURRENCY, async () => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: baseline, WaitTimeSeconds: 0 }),
    );
    for (const m of Messages)
      await sqs.send(new DeleteMessageCommand({ QueueUrl: baseline, ReceiptHandle: m.ReceiptHandle }));
  });

  const hotLeads = stack.queues['hot-leads'] as string;
  const depth = async () => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: hotLeads, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  };
  const before = await depth();
  const started = performance.now();
  const submitted = await pool(N, CONCURRENCY, async (i) => {
    const status = await postJson(
      `${stack.apiUrl}/v1/forms/demo-request/submissions`,
      {
        email: `vp${run}-${i}@initech.de`,
        firstName: 'Vera',
        lastName: 'Price',
        company: 'Initech',
        jobTitle: 'VP Sales',
        country: 'DE',
        companySize: '201-1000',
        phone: '030 1234567',
      },
      { origin: 'http://localhost:3000' },
      i,
    );
    if (status !== 202) throw new Error(`hot submission answered ${status}`);
  });
  while ((await depth()) < before + N) await new Promise((r) => setTimeout(r, 20));
  const handoffsPerSecond = (N / (performance.now() - started)) * 1000;

  const auth = { authorization: `Bearer ${stack.tokens.sales}` };
  let claimed = 0;
  const claims = await pool(N, CONCURRENCY, async (i) => {
    const status = await postJson(`${stack.apiUrl}/v1/sales/claims`, {}, auth, i);
    if (status === 200) claimed += 1;
    else if (status !== 204) throw new Error(`claim answered ${status}`);
  });

  console.log('\n== Hand-off to sales (hot-leads.fifo, concurrency %d, n=%d) ==', CONCURRENCY, N);
  console.log(`SQS bare FIFO send     ${fmt(sends.perSecond)} /s`);
  console.log(
    `Hand-offs end to end   ${fmt(handoffsPerSecond)} /s  (hot submission until its message is queued; submit p50 ${fmt(submitted.p50)} ms)`,
  );
  console.log(`Ratio                  ${fmt(handoffsPerSecond / sends.perSecond, 2)} x bare send`);
  console.log(`SQS bare receive+delete ${fmt(receives.perSecond)} /s`);
  console.log(
    `Claims                 ${fmt(claims.perSecond)} /s  (p50 ${fmt(claims.p50)} ms, ${claimed} leads claimed)`,
  );
  console.log(`Ratio                  ${fmt(claims.perSecond / receives.perSecond, 2)} x bare receive`);
}
