import { resolve } from 'node:path';
import { lambdaContext } from '../functions/local/api-gateway';
import { startLocalStack } from '../functions/local/stack';
import { dynamo } from '../functions/shared/aws/dynamodb';
import { ses } from '../functions/shared/aws/ses';
import { sqs } from '../functions/shared/aws/sqs';
import { installMeter } from './cost-meter';
import { minus, perUnit, type UnitUsage } from './cost-model';
import { reportCost } from './cost-report';
import { BENCH_EMULATORS } from './environment';
import { postJson } from './http';
import { median } from './stats';

const N = 20;
const TICK_SECONDS = 1;

/**
 * Runs in its own process (`npm run bench` spawns it, like nurture): the shared clients are
 * metered for the whole run and the handlers log at INFO, as they do on AWS.
 */
async function benchCost() {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  const stack = await startLocalStack({
    emulators: BENCH_EMULATORS,
    apiPort: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    sesPort: 0,
    configDir: resolve('config'),
    tickSeconds: TICK_SECONDS,
    rateLimits: { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000 },
  });
  const meter = installMeter({ dynamo, sqs, ses });
  const run = Date.now();
  const origin = { origin: 'http://localhost:3000' };
  const timed = async (f: () => Promise<number>, ok: number[], into: number[]) => {
    const t = performance.now();
    const status = await f();
    into.push(performance.now() - t);
    if (!ok.includes(status)) throw new Error(`answered ${status}`);
  };
  /** Usage during `work`, less what tick does on its own in as many rounds. */
  const windowOf = async (work: () => Promise<void>, idlePerSecond: UnitUsage) => {
    const before = meter.snapshot();
    const t = performance.now();
    await work();
    await stack.afterTicks(2);
    const seconds = (performance.now() - t) / 1000;
    return minus(minus(meter.snapshot(), before), perUnit(idlePerSecond, 1 / seconds));
  };
  try {
    const warm: number[] = [];
    for (let i = 0; i < 3; i += 1)
      await timed(
        () =>
          postJson(
            `${stack.apiUrl}/v1/forms/newsletter/submissions`,
            { email: `warm${run}-${i}@example.com` },
            origin,
            i,
          ),
        [202],
        warm,
      );
    await stack.afterTicks(2);
    // Tick on its own: rounds with nothing due (the reports aggregator included).
    const idleBefore = meter.snapshot();
    const idleStart = performance.now();
    await stack.afterTicks(5);
    const idleSeconds = (performance.now() - idleStart) / 1000;
    const idlePerSecond = perUnit(minus(meter.snapshot(), idleBefore), idleSeconds);
    const tickRun = perUnit(idlePerSecond, 1 / TICK_SECONDS);

    const captureMs: number[] = [];
    const signUp = (consent: boolean) => async () => {
      for (let i = 0; i < N; i += 1) {
        const email = `cost${run}-${consent}-${i}@example.com`;
        await timed(
          () => postJson(`${stack.apiUrl}/v1/forms/newsletter/submissions`, { email, consent }, origin, i),
          [202],
          captureMs,
        );
      }
    };
    const capture = perUnit(await windowOf(signUp(false), idlePerSecond), N);
    const sentBefore = meter.snapshot().sesEmails;
    const withEmail = perUnit(
      await windowOf(async () => {
        await signUp(true)();
        const until = Date.now() + 60_000;
        while (meter.snapshot().sesEmails < sentBefore + N && Date.now() < until) await stack.afterTicks(1);
      }, idlePerSecond),
      N,
    );
    const email = minus(withEmail, capture);

    const handoffMs: number[] = [];
    const sales = { authorization: `Bearer ${stack.tokens.sales}` };
    const handoff = perUnit(
      await windowOf(async () => {
        for (let i = 0; i < N; i += 1) {
          const hot = {
            email: `vp${run}-${i}@initech.de`,
            firstName: 'Vera',
            lastName: 'Price',
            company: 'Initech',
            jobTitle: 'VP Sales',
            country: 'DE',
            companySize: '201-1000',
            phone: '030 1234567',
          };
          await timed(
            () => postJson(`${stack.apiUrl}/v1/forms/demo-request/submissions`, hot, origin, i),
            [202],
            handoffMs,
          );
        }
        for (let i = 0; i < N; i += 1) {
          const card = await fetch(`${stack.apiUrl}/v1/sales/claims`, { method: 'POST', headers: sales });
          if (card.status !== 200) throw new Error(`claim answered ${card.status}`);
          const { leadId, claimToken } = (await card.json()) as { leadId: string; claimToken: string };
          await timed(
            () =>
              postJson(
                `${stack.apiUrl}/v1/sales/leads/${leadId}/outcome`,
                { claimToken, outcome: 'qualified' },
                sales,
                i,
              ),
            [200],
            handoffMs,
          );
        }
      }, idlePerSecond),
      N,
    );
    // Tick's own duration: invoked directly, as EventBridge would, a few times after the windows.
    const { handler: tick } = await import('../functions/handlers/tick');
    const tickMs: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      const t = performance.now();
      await tick({ source: 'aws.events', 'detail-type': 'Scheduled Event' }, lambdaContext('tick'));
      tickMs.push(performance.now() - t);
    }
    reportCost({
      capture,
      email,
      handoff,
      tickRun,
      captureMs: median(captureMs),
      apiMs: median(handoffMs),
      tickMs: median(tickMs),
    });
  } finally {
    meter.stop();
    await stack.stop();
  }
}

await benchCost();
process.exit(0);
