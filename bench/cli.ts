import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './stats';

/**
 * The leadflow CLI's answer time (issue 16's target: every command in at most 1 s), against the
 * same run's `node -e 0` — Node's own start, the floor no command can go under. One command of each
 * kind: usage only, config files (MJML compiled), the API (sales), the table (DynamoDB client) and
 * SQS. Those that talk to AWS or the API get an address that refuses the connection at once, so
 * they measure loading the command, not the network. The first call may build the bundle
 * (dist/cli); it is made once before timing, and each command runs once untimed (it fills Node's
 * compile cache and the CLI's compiled MJML, as any earlier call on the machine would).
 */
const REFUSED = 'http://127.0.0.1:1';
const OFFLINE_AWS = {
  LEADFLOW_TABLE_NAME: 'leadflow-bench',
  AWS_ENDPOINT_URL: REFUSED,
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  AWS_MAX_ATTEMPTS: '1',
};
const COMMANDS: { args: string[]; env?: Record<string, string> }[] = [
  { args: ['--help'] },
  { args: ['config', 'check'] },
  { args: ['sales', 'queue'], env: { LEADFLOW_API_URL: REFUSED, LEADFLOW_TOKEN: 'bench' } },
  { args: ['tokens', 'revoke', 'lf_sales_bench'], env: OFFLINE_AWS },
  { args: ['dlq', 'list', '--prefix', 'leadflow-bench-'], env: OFFLINE_AWS },
];
const RUNS = 7;
// Each run also reports its own CPU time (user + system, bootstrap included) on exit: on a shared
// machine the wall clock swings with the load, the CPU a command needs much less.
const CPU_PROBE = `--import=data:text/javascript,${encodeURIComponent(
  "import{writeSync}from'node:fs';process.on('exit',()=>{const u=process.cpuUsage();writeSync(2,'\\n@cpu '+(u.user+u.system)/1000+'\\n')})",
)}`;

interface Run {
  wall: number;
  cpu: number;
}

function time(args: string[], env: Record<string, string> = {}): Run {
  const started = performance.now();
  const { stderr } = spawnSync(process.execPath, [CPU_PROBE, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
    env: { ...process.env, LEADFLOW_API_URL: '', ...env },
  });
  const wall = performance.now() - started;
  return { wall, cpu: Number(stderr.match(/@cpu ([\d.]+)/)?.[1] ?? Number.NaN) };
}

function medians(runs: Run[]): Run {
  return { wall: median(runs.map((r) => r.wall)), cpu: median(runs.map((r) => r.cpu)) };
}

export function benchCli() {
  time(['bin/leadflow.mjs', '--help']);
  const floor = medians(Array.from({ length: RUNS }, () => time(['-e', '0'])));
  console.log(
    `\n== leadflow CLI (pre-bundled; Node ${process.versions.node}; median of ${RUNS} runs each) ==`,
  );
  const ms = (n: number) => `${n.toFixed(0).padStart(5)} ms`;
  console.log(`node -e 0 (the floor)${' '.repeat(23)}wall ${ms(floor.wall)}            CPU ${ms(floor.cpu)}`);
  const line = (what: string, run: Run) =>
    console.log(
      `leadflow ${what.padEnd(34)} wall ${ms(run.wall)} = ${(run.wall / floor.wall).toFixed(1).padStart(4)}x  ` +
        `CPU ${ms(run.cpu)} = ${(run.cpu / floor.cpu).toFixed(1).padStart(4)}x  (target: wall <= 1000 ms)`,
    );
  for (const { args, env } of COMMANDS) {
    time(['bin/leadflow.mjs', ...args], env);
    line(
      args.join(' '),
      medians(Array.from({ length: RUNS }, () => time(['bin/leadflow.mjs', ...args], env))),
    );
  }
  // The first call after a build or on a new machine: no compiled code (Node's compile cache) and
  // no compiled MJML (dist/cli/cache) kept yet. Node 20, which has no compile cache, always parses.
  const cold = Array.from({ length: 3 }, () => {
    const cache = mkdtempSync(join(tmpdir(), 'leadflow-bench-cache-'));
    rmSync(join('dist', 'cli', 'cache'), { recursive: true, force: true });
    try {
      return time(['bin/leadflow.mjs', 'config', 'check'], { NODE_COMPILE_CACHE: cache });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });
  line('config check (nothing cached)', medians(cold));
}
