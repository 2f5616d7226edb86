import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Helpers for the end-to-end tests: the real `npm start` as a child process, and headless Chromium. */

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const ROLE_NAMES = ['MARKETING', 'SALES', 'INGEST', 'ADMIN'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export interface StartedStack {
  /** `http://localhost:PORT`, as printed in the summary (no trailing slash). */
  apiUrl: string;
  /** The tokens the summary printed, by role. */
  printedTokens: Partial<Record<RoleName, string>>;
  /** The tokens given by env (LEADFLOW_DEV_TOKEN_<ROLE>). */
  tokens: Record<RoleName, string>;
  /** The people the summary printed (its "People" block), with their passwords. */
  people: PrintedPerson[];
  /** Where the console's sign-in is, as printed: the local OpenID provider's issuer. */
  signIn: { issuer: string; clientId: string; consoleUrl: string } | undefined;
  pid: number;
  /** Everything the child wrote so far, stdout and stderr interleaved. */
  output(): string;
  /**
   * SIGINT, then waits up to `graceMs` for the exit. If it has not exited by then, kills its
   * whole process group (tsx runs the script in a grandchild) with SIGKILL and reports that.
   */
  stop(graceMs?: number): Promise<StopResult>;
}

export interface PrintedPerson {
  username: string;
  name: string;
  group: string;
  password: string;
}

/** The summary's "People" block: one line per person (user name, full name, group, password). */
export function printedPeople(stdout: string): PrintedPerson[] {
  const block = /^ {2}People \(sign in at [^\n]*\n((?: {4}\S[^\n]*\n)+)/m.exec(stdout)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => /^ {4}(\S+)\s+(.+?)\s+(marketing|sales|sales-manager|admin)\s+(\S+)\s*$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map(([, username = '', name = '', group = '', password = '']) => ({ username, name, group, password }));
}

/** The summary's sign-in lines: where the console is and the provider it signs in at. */
export function printedSignIn(stdout: string): StartedStack['signIn'] {
  const consoleUrl = /^ {2}People \(sign in at (http:\/\/\S+?)[;)]/m.exec(stdout)?.[1];
  const provider = /^ {2}Sign-in\s+(http:\/\/\S+)\s+\(local OpenID provider, client (\S+?)\)/m.exec(stdout);
  return consoleUrl && provider?.[1] && provider[2]
    ? { issuer: provider[1], clientId: provider[2], consoleUrl }
    : undefined;
}

export interface StopResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when SIGINT was not enough and the process group had to be killed. */
  killed: boolean;
  /** Processes of its group still running after it exited (`ps` lines; they were then killed). */
  leftovers: string[];
  ms: number;
}

const READY_TIMEOUT_MS = 30_000;

/** Kills the process group led by `pid` (spawned detached), ignoring "no such process". */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** The live (not zombie) processes of the process group `pgid`, as `ps` lines; empty when none. */
function groupMembers(pgid: number): string[] {
  const ps = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,stat=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => {
      const [, , group, stat] = line.split(/\s+/);
      return group === String(pgid) && !stat?.startsWith('Z');
    });
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Spawns `tsx functions/local/start.ts` (with `args`, e.g. `--data <dir>`) with every port 0 (free
 * ports) and fixed dev tokens, and waits (bounded) for the summary with the API URL and the four
 * token lines.
 */
export async function startLocalStackProcess(
  options: { env?: Record<string, string>; entry?: string; args?: string[] } = {},
): Promise<StartedStack> {
  const { env: extraEnv = {}, entry = 'functions/local/start.ts', args = [] } = options;
  const suffix = randomBytes(9).toString('base64url');
  const tokens = Object.fromEntries(
    ROLE_NAMES.map((role) => [role, `lf_${role.toLowerCase()}_e2e${suffix}`]),
  ) as Record<RoleName, string>;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LEADFLOW_API_PORT: '0',
    LEADFLOW_DYNAMODB_PORT: '0',
    LEADFLOW_SQS_PORT: '0',
    LEADFLOW_SES_PORT: '0',
    LEADFLOW_AUTH_PORT: '0',
    ...Object.fromEntries(ROLE_NAMES.map((role) => [`LEADFLOW_DEV_TOKEN_${role}`, tokens[role]])),
    ...extraEnv,
  };
  // Vitest sets these in its workers; the stack must run as it does under `npm start`.
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  delete env.NODE_ENV;

  const child = spawn(resolve(REPO_ROOT, 'node_modules/.bin/tsx'), [entry, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a stuck stack can be killed with its tsx grandchild, by id.
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn the local stack');

  // Last resort if the test worker goes away without afterAll: nothing may be left running.
  const onExit = () => {
    if (!exited(child)) killGroup(pid, 'SIGKILL');
  };
  process.once('exit', onExit);

  let stdout = '';
  let all = '';
  child.stdout?.setEncoding('utf8');
  child.stderr?.setEncoding('utf8');
  child.stdout?.on('data', (chunk: string) => {
    stdout += chunk;
    all += chunk;
  });
  child.stderr?.on('data', (chunk: string) => {
    all += chunk;
  });
  const exitPromise = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  const parse = () => {
    const api = /^\s+API\s+(http:\/\/\S+?)\/v1\/health\s*$/m.exec(stdout)?.[1];
    const printedTokens: Partial<Record<RoleName, string>> = {};
    for (const role of ROLE_NAMES) {
      const token = new RegExp(`^\\s+${role}\\s+(\\S+)\\s*$`, 'm').exec(stdout)?.[1];
      if (token) printedTokens[role] = token;
    }
    // The sign-in line comes after the people: the whole summary is in.
    return api && Object.keys(printedTokens).length === ROLE_NAMES.length && printedSignIn(stdout)
      ? { api, printedTokens }
      : undefined;
  };

  const ready = await new Promise<ReturnType<typeof parse>>((done) => {
    const check = () => {
      const parsed = parse();
      if (parsed) finish(parsed);
    };
    const timer = setTimeout(() => finish(undefined), READY_TIMEOUT_MS);
    const onExitEarly = () => finish(undefined);
    function finish(value: ReturnType<typeof parse>) {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.off('exit', onExitEarly);
      done(value);
    }
    child.stdout?.on('data', check);
    child.once('exit', onExitEarly);
    check();
  });

  const stop = async (graceMs = 10_000): Promise<StopResult> => {
    const started = Date.now();
    process.off('exit', onExit);
    if (exited(child)) {
      const leftovers = groupMembers(pid);
      if (leftovers.length > 0) killGroup(pid, 'SIGKILL');
      return { code: child.exitCode, signal: child.signalCode, killed: false, leftovers, ms: 0 };
    }
    child.kill('SIGINT');
    const timeout = new Promise<'timeout'>((done) => {
      const timer = setTimeout(() => done('timeout'), graceMs);
      void exitPromise.finally(() => clearTimeout(timer));
    });
    const outcome = await Promise.race([exitPromise, timeout]);
    if (outcome === 'timeout') {
      console.error(
        `local stack (pid ${pid}) did not exit within ${graceMs} ms of SIGINT; killing it.\n${all}`,
      );
      killGroup(pid, 'SIGKILL');
      const [code, signal] = await exitPromise;
      return { code, signal, killed: true, leftovers: [], ms: Date.now() - started };
    }
    const [code, signal] = outcome;
    // tsx waits for its child, so nothing of the group should remain; if something does, it goes.
    const leftovers = groupMembers(pid);
    if (leftovers.length > 0) {
      console.error(`local stack (pid ${pid}) exited but left processes running:\n${leftovers.join('\n')}`);
      killGroup(pid, 'SIGKILL');
    }
    return { code, signal, killed: false, leftovers, ms: Date.now() - started };
  };

  if (!ready) {
    const reason = exited(child)
      ? `exited early (code ${child.exitCode}, signal ${child.signalCode})`
      : `printed no summary within ${READY_TIMEOUT_MS} ms`;
    await stop(2_000);
    throw new Error(`the local stack ${reason}. Output:\n${all}`);
  }

  return {
    apiUrl: ready.api,
    printedTokens: ready.printedTokens,
    tokens,
    people: printedPeople(stdout),
    signIn: printedSignIn(stdout),
    pid,
    output: () => all,
    stop,
  };
}

export const CHROMIUM_PATH = process.env.LEADFLOW_E2E_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A unique, valid, non-disposable address per test run. */
export function uniqueEmail(kind: string): string {
  return `e2e-${kind}-${Date.now()}-${randomBytes(3).toString('hex')}@example.com`;
}
