import { resolve } from 'node:path';
import { startLocalStack } from '../functions/local/stack';
import { BENCH_EMULATORS } from './environment';
import { postJson } from './http';
import { fmt, pool } from './stats';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const CAPTURES = 1000;
const TOKEN = 'bench-marketing-token-0123456789abcdef';

/**
 * A CSV import of 100,000 rows on the local stack (the API, the local upload route, the local queue
 * poller running the lead-imports worker page by page, dynalite), in rows per second from start to
 * done, next to the capture path measured in the same run on the same stack: form submissions per
 * second over HTTP (concurrency 8). Both create new leads through the same record path.
 */
export async function benchLeadImport(): Promise<void> {
  const stack = await startLocalStack({
    emulators: BENCH_EMULATORS,
    apiPort: 0,
    dynamodbPort: 0,
    sqsPort: 0,
    sesPort: 0,
    configDir: resolve('config'),
    rateLimits: { perIpPerMinute: 1_000_000, perEmailPerMinute: 1_000 },
    tokens: { marketing: TOKEN },
  });
  const run = Date.now().toString(36);
  const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  try {
    const submit = (i: number, prefix: string) =>
      postJson(
        `${stack.apiUrl}/v1/forms/demo-request/submissions`,
        {
          email: `${prefix}${run}-${i}@example.com`,
          firstName: 'Bench',
          lastName: 'Mark',
          company: 'Acme',
          country: 'DE',
        },
        { origin: 'http://localhost:3000' },
        i,
      );
    await pool(100, 8, async (i) => void (await submit(i, 'warm')));
    const captureStats = await pool(CAPTURES, 8, async (i) => {
      const status = await submit(i, 'cap');
      if (status !== 202) throw new Error(`submission answered ${status}`);
    });
    const capturePerSecond = CAPTURES / (captureStats.wallMs / 1000);

    const lines = ['email,firstName,lastName,company,country,Plan'];
    for (let i = 0; i < ROWS; i += 1) lines.push(`imp${run}-${i}@example.com,Ada${i},Lovelace,Acme,DE,pro`);
    const csv = `${lines.join('\n')}\n`;
    const made = await (
      await fetch(`${stack.apiUrl}/v1/admin/leads/imports`, { method: 'POST', headers: auth })
    ).json();
    const put = await fetch(made.upload.url, { method: 'PUT', body: csv });
    if (!put.ok) throw new Error(`upload answered ${put.status}`);
    const started = performance.now();
    const start = await fetch(`${stack.apiUrl}/v1/admin/leads/imports/${made.importId}/start`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        mapping: {
          email: 'email',
          firstName: 'firstName',
          lastName: 'lastName',
          company: 'company',
          country: 'country',
          Plan: 'custom:plan',
        },
        consent: { basis: 'legitimate_interest' },
      }),
    });
    if (start.status !== 202) throw new Error(`start answered ${start.status}: ${await start.text()}`);
    let view: { status: string; counts: Record<string, number> } = { status: 'running', counts: {} };
    let shown = performance.now();
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000));
      try {
        view = await (
          await fetch(`${stack.apiUrl}/v1/admin/leads/imports/${made.importId}`, { headers: auth })
        ).json();
      } catch {
        // An idle keep-alive connection the server closed as it was reused: ask again next second.
        continue;
      }
      if (view.status !== 'running') break;
      if (performance.now() - shown > 60_000) {
        shown = performance.now();
        console.log(`  … ${view.counts.read ?? 0} rows read after ${fmt((shown - started) / 1000, 0)} s`);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    const rowsPerSecond = ROWS / seconds;
    console.log(
      '\n== CSV lead import (local stack: API, upload route, queue poller, lead-imports worker) ==',
    );
    console.log(
      `Capture baseline       ${fmt(capturePerSecond)} submissions/s (HTTP, concurrency 8, n=${CAPTURES})`,
    );
    console.log(
      `Import                 ${ROWS.toLocaleString('en')} rows (${fmt(Buffer.byteLength(csv) / 1e6, 1)} MB) ${view.status} in ${fmt(seconds, 1)} s: ${fmt(rowsPerSecond)} rows/s, created ${view.counts.created}, failed ${view.counts.failed}`,
    );
    console.log(
      `Ratio                  ${fmt(rowsPerSecond / capturePerSecond, 2)} x the capture path's submissions/s`,
    );
  } finally {
    await stack.stop();
  }
}
