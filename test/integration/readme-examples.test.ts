import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '../../functions/local/stack';
import { ROUTES } from '../../functions/shared/routes';
import { type DocCommand, docCommands } from '../fixtures/doc-commands';
import { startTestStack } from '../fixtures/local-api';

/**
 * README's examples cannot rot: every curl against the local API and every `npx leadflow` of its
 * sh/bash blocks is checked (a JSON body carries its content type — without it the API answers 415
 * —, the route exists, the CLI knows the command and its options), and the blocks marked
 * `<!-- runs in a test -->` run in order against the local stack, each answer checked against
 * the status and keys the README shows after it. docs/deploy.md has its own test
 * (deploy-guide.test.ts); both read commands through test/fixtures/doc-commands.ts.
 */
const run = promisify(execFile);
const ROOT = resolve('.');
const CLI = join(ROOT, 'bin/leadflow.mjs');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const all = docCommands(readme, ['sh', 'bash']);
const curls = all.filter((c) => /^curl\b/.test(c.command) && /\blocalhost:3000\b/.test(c.command));
const leadflow = all.filter((c) => /^(\w+=\S+\s+)*npx leadflow /.test(c.command));

/** Shell words of a command line: single and double quotes, "$VAR" expanded from `vars`. */
function words(line: string, vars: Record<string, string> = {}): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/'([^']*)'|"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    const [, single, double, bare] = m;
    const expand = (s: string) => s.replace(/\$(\w+)/g, (all, name: string) => vars[name] ?? all);
    out.push(single ?? expand((double ?? bare ?? '').replace(/\\(.)/g, '$1')));
  }
  return out;
}

/** The `NAME="value"` assignments of the README's blocks (e.g. M="Authorization: Bearer …"). */
const assignments = all.flatMap((c) =>
  c.command.split(/;\s*/).filter((part) => /^[A-Z]\w*=/.test(part) && !part.includes(' npx ')),
);
const vars = Object.fromEntries(
  assignments.map((a) => [a.slice(0, a.indexOf('=')), words(a.slice(a.indexOf('=') + 1))[0] ?? '']),
);

function curlRequest(command: string) {
  const argv = words(command, vars);
  const headers: string[] = [];
  let method: string | undefined;
  let body: string | undefined;
  let url = '';
  for (let i = 1; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    if (arg === '-H') headers.push(argv[++i] as string);
    else if (arg === '-X') method = argv[++i];
    else if (/^(-d|--data|--data-raw|--data-binary)$/.test(arg)) body = argv[++i];
    else if (arg === '-o' || arg === '-w') i += 1;
    else if (/localhost:3000/.test(arg)) url = arg;
  }
  const path = new URL(url.startsWith('http') ? url : `http://${url}`).pathname;
  return { headers, method: method ?? (body === undefined ? 'GET' : 'POST'), body, path };
}

const routePattern = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}$`);

describe('README examples', () => {
  it('has the examples this test expects to find', () => {
    expect(curls.length).toBeGreaterThanOrEqual(20);
    expect(leadflow.map((c) => c.command)).toEqual(
      expect.arrayContaining(['npx leadflow config check', 'npx leadflow config pull']),
    );
    expect(all.filter((c) => c.runnable).length).toBeGreaterThanOrEqual(5);
  });

  it('sends every JSON body with content-type: application/json, to a route the API has', () => {
    for (const { command } of curls) {
      const request = curlRequest(command);
      if (request.body !== undefined && /^\s*[[{]/.test(request.body))
        expect(
          request.headers.some((h) => /^content-type:\s*application\/json\b/i.test(h)),
          `415 without a content type: ${command}`,
        ).toBe(true);
      const path = decodeURI(request.path);
      expect(
        ROUTES.some((r) => r.method === request.method && routePattern(r.path).test(path)),
        `no route ${request.method} ${path}: ${command}`,
      ).toBe(true);
    }
  });

  it('names only leadflow commands and options the CLI has (parsed with --help)', async () => {
    const usage = (await run(process.execPath, [CLI, '--help'])).stdout;
    for (const { command } of leadflow) {
      const args = words(command.replace(/^(\w+=\S+\s+)*npx leadflow /, ''));
      expect(args, command).not.toContain('|');
      // Exit 0: every option is one the CLI knows (an unknown one exits 2).
      await run(process.execPath, [CLI, ...args, '--help']);
      // The usage lists the command, alone or among alternatives (`leadflow sales extend|release TOKEN`).
      const [group, sub] = args;
      const listed = usage
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .some(
          ([cli, g, s = '']) =>
            cli === 'leadflow' &&
            g === group &&
            // A sub-command among alternatives, or a positional argument (FILE, MESSAGE_ID).
            (s.split('|').includes(sub as string) || /^[A-Z_]+$/.test(s)),
        );
      expect(listed, command).toBe(true);
    }
  }, 60_000);

  describe('the runnable blocks, on the local stack', () => {
    let stack: LocalStack;
    let cwd: string;
    beforeAll(async () => {
      process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
      stack = await startTestStack({ tickSeconds: 1 });
      // `config pull` writes: the examples work on a copy of config/.
      cwd = mkdtempSync(join(tmpdir(), 'leadflow-readme-'));
      cpSync(join(ROOT, 'config'), join(cwd, 'config'), { recursive: true });
    }, 30_000);
    afterAll(async () => {
      await stack?.stop();
      if (cwd) rmSync(cwd, { recursive: true, force: true });
    });

    it('run in order and answer what README says they answer', async () => {
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        LEADFLOW_TABLE_NAME: stack.tableName,
        LEADFLOW_API_URL: stack.apiUrl,
        MARKETING_TOKEN: stack.tokens.marketing,
        SALES_TOKEN: stack.tokens.sales,
        INGEST_TOKEN: stack.tokens.ingest,
        ADMIN_TOKEN: stack.tokens.admin,
      };
      const runnable = all.filter((c) => c.runnable);
      for (const example of runnable) await runExample(example, env);
    }, 120_000);

    async function runExample({ command, said }: DocCommand, env: Record<string, string>) {
      const prefix = assignments.map((a) => `${a}; `).join('');
      if (/^curl\b/.test(command)) {
        const local = `${prefix}${command.replace(/(http:\/\/)?localhost:3000/g, stack.apiUrl)} -w '\\n%{http_code}'`;
        const { stdout } = await run('sh', ['-c', local], { cwd, env });
        const status = Number(stdout.slice(stdout.lastIndexOf('\n') + 1));
        const body = stdout.slice(0, stdout.lastIndexOf('\n'));
        const shown = /^(\d{3})\b(.*)$/.exec(said[0] ?? '');
        if (shown) expect(status, `${command}\n${body}`).toBe(Number(shown[1]));
        else expect(status, `${command}\n${body}`).toBeLessThan(300);
        for (const key of (shown?.[2] ?? '').matchAll(/"(\w+)":/g))
          expect(Object.keys(JSON.parse(body)), command).toContain(key[1]);
        return;
      }
      const local = command.replace(/^npx leadflow /, `"${process.execPath}" "${CLI}" `);
      const { stdout } = await run('sh', ['-c', `${prefix}${local}`], { cwd, env });
      for (const line of said.filter((s) => !/^\d{3}\b/.test(s)))
        expect(stdout, command).toContain(line.replace(/ … .*$|…$/, ''));
    }
  });
});
