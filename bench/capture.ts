import type { LocalStack } from '../functions/local/stack';
import { ceilingPerSecond, printCeiling } from './ceiling';
import { againstPutFloor } from './floor';
import { postJson } from './http';
import { fmt, pool } from './stats';

const OPTIONS = { rounds: 3, puts: 1000, tasks: 500, concurrency: 16 };

/**
 * Form submissions per second over HTTP on the local stack, against a bare PutItem floor on
 * the same dynalite measured in the same run, and DynamoDB requests per new submission.
 */
export async function benchCapture(stack: LocalStack) {
  const run = Date.now();
  // Warm up: handler cold import, the form and model caches, HTTP keep-alive.
  await pool(50, 4, (i) => submit(stack, `warm${run}-${i}@example.com`, i).then(() => undefined));
  const { floor, hop, work, requestsPerTask } = await againstPutFloor(stack, OPTIONS, async (round, i) => {
    const status = await submit(stack, `bench${run}-${round}-${i}@example.com`, i);
    if (status !== 202) throw new Error(`submission answered ${status}`);
  });
  const ratio = work.perSecond / (floor.perSecond / 3);
  const ceiling = ceilingPerSecond([
    { count: requestsPerTask, perSecond: floor.perSecond },
    { count: 1, perSecond: hop.perSecond },
  ]);
  console.log('\n== Form capture (HTTP, local stack, concurrency %d) ==', OPTIONS.concurrency);
  console.log(
    `PutItem floor          ${fmt(floor.perSecond)} puts/s   (p50 ${fmt(floor.p50)} ms, p99 ${fmt(floor.p99)} ms)`,
  );
  console.log(
    `Submissions            ${fmt(work.perSecond)} /s       (p50 ${fmt(work.p50)} ms, p99 ${fmt(work.p99)} ms, n=${OPTIONS.tasks * OPTIONS.rounds})`,
  );
  console.log(
    `DynamoDB requests      ${fmt(requestsPerTask, 2)} per new submission (target <= 3, rate limiting included)`,
  );
  console.log(
    `Ratio                  ${fmt(ratio, 2)} x (PutItem floor / 3 writes)  (target >= 0.80, issue 16)`,
  );
  printCeiling(
    hop.perSecond,
    ceiling,
    ceiling / (floor.perSecond / 3),
    work.perSecond / ceiling,
    requestsPerTask,
  );
}

function submit(stack: LocalStack, email: string, n: number): Promise<number> {
  const body = {
    email,
    firstName: 'Bench',
    lastName: 'Mark',
    company: 'Acme',
    country: 'DE',
    phone: '030 1234567',
  };
  return postJson(
    `${stack.apiUrl}/v1/forms/demo-request/submissions`,
    body,
    { origin: 'http://localhost:3000' },
    n,
  );
}
