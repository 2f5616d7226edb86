import type { LocalStack } from '../functions/local/stack';
import { ceilingPerSecond, printCeiling } from './ceiling';
import { againstPutFloor } from './floor';
import { postJson } from './http';
import { fmt, pool } from './stats';

const OPTIONS = { rounds: 3, puts: 1000, tasks: 500, concurrency: 16 };
const LEADS = 200;

/**
 * Product events per second over HTTP (POST /v1/activities, scoring on) for existing leads,
 * against the PutItem floor of the same run. Each event reads its lead and writes the lead
 * and the activity: two writes.
 */
export async function benchActivities(stack: LocalStack) {
  const run = Date.now();
  const auth = { authorization: `Bearer ${stack.tokens.ingest}` };
  await pool(LEADS, 8, async (i) => {
    const status = await postJson(
      `${stack.apiUrl}/v1/activities`,
      {
        email: `reader${run}-${i}@acme.io`,
        type: 'page_viewed',
        createLead: true,
        properties: { path: '/' },
      },
      auth,
      i,
    );
    if (status !== 202) throw new Error(`warm-up event answered ${status}`);
  });
  const { floor, hop, work, requestsPerTask } = await againstPutFloor(stack, OPTIONS, async (round, i) => {
    const status = await postJson(
      `${stack.apiUrl}/v1/activities`,
      {
        email: `reader${run}-${i % LEADS}@acme.io`,
        type: 'page_viewed',
        properties: { path: i % 3 === 0 ? '/pricing' : '/blog/post' },
        idempotencyKey: `${run}-${round}-${i}`,
      },
      auth,
      i,
    );
    if (status !== 202) throw new Error(`event answered ${status}`);
  });
  const ratio = work.perSecond / (floor.perSecond / 2);
  const ceiling = ceilingPerSecond([
    { count: requestsPerTask, perSecond: floor.perSecond },
    { count: 1, perSecond: hop.perSecond },
  ]);
  console.log(
    '\n== Activities (POST /v1/activities, HTTP, %d leads, concurrency %d) ==',
    LEADS,
    OPTIONS.concurrency,
  );
  console.log(`PutItem floor          ${fmt(floor.perSecond)} puts/s`);
  console.log(
    `Activities             ${fmt(work.perSecond)} /s       (p50 ${fmt(work.p50)} ms, p99 ${fmt(work.p99)} ms, n=${OPTIONS.tasks * OPTIONS.rounds})`,
  );
  console.log(
    `DynamoDB requests      ${fmt(requestsPerTask, 2)} per activity (lead read, lead write, activity write)`,
  );
  console.log(`Ratio                  ${fmt(ratio, 2)} x (PutItem floor / 2 writes)  (target >= 0.60)`);
  printCeiling(
    hop.perSecond,
    ceiling,
    ceiling / (floor.perSecond / 2),
    work.perSecond / ceiling,
    requestsPerTask,
  );
}
