import { execFileSync } from 'node:child_process';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions } from '../infra/constructs/bundling';
import { fmt, median } from './stats';

const HANDLERS = ['form-submission', 'admin-leads', 'public'];
const RUNS = 9;

/**
 * Each function bundle's size and cold import time, next to a bundle holding only the
 * DynamoDB client, built with the same esbuild options CDK uses and imported in fresh Node
 * processes, interleaved so machine noise hits all of them alike.
 */
export async function benchBundles() {
  const dir = await mkdtemp(join(tmpdir(), 'leadflow-bundles-'));
  const bare = join(dir, 'bare-client.ts');
  await writeFile(
    bare,
    "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
  );
  const entries: Record<string, string> = { 'bare-client': bare };
  for (const name of HANDLERS) entries[name] = resolve('functions/handlers', `${name}.ts`);
  const outputs: Record<string, string> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = join(dir, `${name}.mjs`);
    await build({
      ...esbuildOptions,
      entryPoints: [entry],
      outfile,
      nodePaths: [resolve('node_modules')],
      logLevel: 'error',
    });
    outputs[name] = outfile;
  }
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(outputs).map((n) => [n, []]));
  const script =
    'const t=performance.now();await import(process.argv[1]);process.stdout.write(String(performance.now()-t))';
  for (let run = 0; run < RUNS; run += 1) {
    for (const [name, file] of Object.entries(outputs)) {
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, file], {
        env: {
          ...process.env,
          LEADFLOW_TABLE_NAME: 'bench',
          LEADFLOW_IDENTITY_KEY: 'bench-identity-key-0123456789abcdef-0123456789',
          LEADFLOW_QUEUE_HOT_LEADS: 'https://sqs.us-east-1.amazonaws.com/0/hot-leads.fifo',
          AWS_REGION: 'us-east-1',
          NODE_NO_WARNINGS: '1',
        },
      });
      times[name]?.push(Number(out.toString()));
    }
  }
  const baseline = median(times['bare-client'] ?? []);
  console.log(
    '\n== Function bundles (esbuild, same options as CDK; cold import median of %d fresh processes) ==',
    RUNS,
  );
  const rows = [];
  for (const name of Object.keys(outputs)) {
    const size = (await stat(outputs[name] ?? '')).size;
    const ms = median(times[name] ?? []);
    rows.push({ name, kb: size / 1024, ms, ratio: ms / baseline });
    console.log(
      `${name.padEnd(16)} ${fmt(size / 1024).padStart(8)} KB   import ${fmt(ms).padStart(6)} ms   ${fmt(ms / baseline, 2)} x bare client`,
    );
  }
  console.log('Target: form-submission within 1.30 x the bare-client bundle');
  return rows;
}
