import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { queueUrlEnv } from '../functions/shared/env-names';
import { QUEUE_CONSUMERS } from '../functions/shared/routes';
import { esbuildOptions } from '../infra/constructs/bundling';
import { importInstructions, printInstructions } from './bundle-instructions';
import { localNode22 } from './node22';
import { fmt, median } from './stats';

/** The public routes' functions (no person's token), then one behind sign-in for comparison. */
const PUBLIC = ['form-submission', 'activities', 'webhooks', 'unsubscribe', 'confirm', 'public'];
const HANDLERS = [...PUBLIC, 'admin-leads'];
// 15 interleaved runs: the house rule for a cold-start figure.
const RUNS = 15;

/** Bytes in the bundle by package (or functions/ folder), largest first. */
function largestModules(metafile: Metafile, outfile: string, top = 10) {
  const output = Object.entries(metafile.outputs).find(([path]) =>
    outfile.endsWith(path.split('/').pop() ?? ''),
  );
  const groups = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.[1].inputs ?? {})) {
    const pkg = path.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
    const key =
      pkg ??
      path
        .replace(/^.*?functions\//, 'functions/')
        .split('/')
        .slice(0, 3)
        .join('/');
    groups.set(key, (groups.get(key) ?? 0) + bytesInOutput);
  }
  return [...groups].sort((a, b) => b[1] - a[1]).slice(0, top);
}

/**
 * Each function bundle's size and cold import time, next to a bundle holding only the
 * DynamoDB client, built with the same esbuild options CDK uses and imported in fresh Node
 * processes, interleaved so machine noise hits all of them alike — on this machine's Node and on
 * Node 22 (Lambda's runtime) from the npm registry when it can be installed.
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
  let formMeta: Metafile | undefined;
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = join(dir, `${name}.mjs`);
    const result = await build({
      ...esbuildOptions,
      entryPoints: [entry],
      outfile,
      nodePaths: [resolve('node_modules')],
      logLevel: 'error',
      metafile: name === 'form-submission',
    });
    if (result.metafile) formMeta = result.metafile;
    outputs[name] = outfile;
  }
  // npm scripts run on the `node` devDependency (Node 22): the machine's own Node is the one on
  // PATH after node_modules/.bin, timed too when it is another version.
  const machine = machineNode();
  const nodes: [string, string][] = [[`Node ${machine.version}`, machine.path]];
  const node22 = await localNode22();
  if (!('path' in node22)) console.log(`\nNode 22 not measured: ${node22.why}`);
  else if (node22.version !== machine.version) nodes.push([`Node ${node22.version} (npm)`, node22.path]);

  console.log(
    '\n== Function bundles (esbuild, same options as CDK; cold import median of %d fresh processes) ==',
    RUNS,
  );
  for (const [label, node] of nodes) {
    const { times, cpu, failed } = coldImports(node, outputs);
    const baseline = median(times['bare-client'] ?? []);
    const cpuBaseline = median(cpu['bare-client'] ?? []);
    // The fastest of the runs too: on a shared machine noise only ever adds time.
    const fastest = (name: string) => Math.min(...(times[name] ?? []));
    console.log(`-- ${label}`);
    for (const name of Object.keys(outputs)) {
      if (failed[name]) {
        console.log(`${name.padEnd(16)} not timed: ${failed[name]}`);
        continue;
      }
      const size = (await stat(outputs[name] ?? '')).size;
      const ms = median(times[name] ?? []);
      const cpuMs = median(cpu[name] ?? []);
      const target = targetOf(name);
      const verdict =
        target === undefined
          ? ''
          : ms / baseline <= target
            ? `  (≤ ${target} met)`
            : `  (≤ ${target} MISSED)`;
      console.log(
        `${name.padEnd(16)} ${fmt(size / 1024).padStart(8)} KB   import ${fmt(ms).padStart(6)} ms   ${fmt(ms / baseline, 2)} x bare client${verdict}; fastest ${fmt(fastest(name))} ms = ${fmt(fastest(name) / fastest('bare-client'), 2)} x; CPU ${fmt(cpuMs)} ms = ${fmt(cpuMs / cpuBaseline, 2)} x`,
      );
    }
  }
  console.log('Targets: form-submission ≤ 1.30 x the bare-client bundle, every public-route bundle ≤ 1.50 x');
  // Instruction counts on Lambda's Node (BENCH_BUNDLE_INSTRUCTIONS=1; about 30 s per bundle under valgrind).
  const last = nodes.at(-1);
  if (process.env.BENCH_BUNDLE_INSTRUCTIONS === '1' && last) {
    const counts = await importInstructions(last[1], outputs, BUNDLE_ENV, dir);
    if ('why' in counts) console.log(`Instructions not counted: ${counts.why}`);
    else
      printInstructions(last[0], counts, (name) => {
        const target = targetOf(name);
        return target === undefined
          ? ''
          : ` (≤ ${target} ${(counts[name] ?? 0) / (counts['bare-client'] ?? 1) <= target ? 'met' : 'MISSED'})`;
      });
  }
  if (formMeta) {
    console.log('form-submission bundle, largest parts:');
    for (const [name, bytes] of largestModules(formMeta, outputs['form-submission'] ?? ''))
      console.log(`  ${fmt(bytes / 1024).padStart(6)} KB  ${name}`);
  }
}

/** The ratio a bundle's cold import must stay within, if it has one. */
function targetOf(name: string): number | undefined {
  return name === 'form-submission' ? 1.3 : PUBLIC.includes(name) ? 1.5 : undefined;
}

/** The first `node` on PATH that is not a node_modules/.bin one: the machine's Node. */
function machineNode(): { path: string; version: string } {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, 'node');
    if (dir.includes('node_modules') || !existsSync(path)) continue;
    return { path, version: execFileSync(path, ['--version']).toString().trim() };
  }
  return { path: process.execPath, version: process.version };
}

/**
 * Cold import times (ms) of each bundle in fresh processes of `node`, interleaved: wall clock, and
 * the process's CPU time (user + system) over the import, which other work on a busy machine
 * inflates far less than the wall clock.
 */
function coldImports(node: string, outputs: Record<string, string>) {
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(outputs).map((n) => [n, []]));
  const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(outputs).map((n) => [n, []]));
  const failed: Record<string, string> = {};
  const script =
    'const c=process.cpuUsage(),t=performance.now();await import(process.argv[1]);const w=performance.now()-t,u=process.cpuUsage(c);process.stdout.write(JSON.stringify([w,(u.user+u.system)/1000]))';
  for (let run = 0; run < RUNS; run += 1) {
    for (const [name, file] of Object.entries(outputs)) {
      try {
        const out = execFileSync(node, ['--input-type=module', '-e', script, file], {
          env: BUNDLE_ENV,
          stdio: 'pipe',
        });
        const [wall, used] = JSON.parse(out.toString()) as [number, number];
        times[name]?.push(wall);
        cpu[name]?.push(used);
      } catch (error) {
        // A bundle that cannot start here (an environment variable this bench does not set) is reported, not timed.
        const stderr = String((error as { stderr?: Buffer }).stderr ?? error);
        failed[name] = stderr.match(/Error: .*/)?.[0] ?? 'failed';
      }
    }
  }
  return { times, cpu, failed };
}

/** What the functions read at cold start (as CDK sets it), with placeholder values. */
const BUNDLE_ENV = {
  ...process.env,
  LEADFLOW_TABLE_NAME: 'bench',
  LEADFLOW_IDENTITY_KEY: 'bench-identity-key-0123456789abcdef-0123456789',
  LEADFLOW_PUBLIC_URL: 'https://leadflow.example',
  LEADFLOW_UNSUBSCRIBE_KEY: 'bench-unsubscribe-key-0123456789abcdef-0123456789',
  LEADFLOW_SES_CONFIGURATION_SET: 'leadflow-bench',
  LEADFLOW_EXPORTS_DIR: tmpdir(),
  ...Object.fromEntries(
    ['hot-leads', ...QUEUE_CONSUMERS.map((consumer) => consumer.queue)].map((queue) => [
      queueUrlEnv(queue),
      `https://sqs.us-east-1.amazonaws.com/0/${queue}`,
    ]),
  ),
  AWS_REGION: 'us-east-1',
  NODE_NO_WARNINGS: '1',
};
