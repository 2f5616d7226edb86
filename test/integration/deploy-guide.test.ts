import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import * as secretsManager from '@aws-sdk/client-secrets-manager';
import * as sesv2 from '@aws-sdk/client-sesv2';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore } from '../../functions/adapters/dynamodb/token-store';
import type { LocalStack } from '../../functions/local/stack';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { buildApp } from '../../infra/build-app';
import { docCommands } from '../fixtures/doc-commands';
import { startTestStack } from '../fixtures/local-api';

/**
 * docs/deploy.md cannot drift from the code: every `npx leadflow …` command in its sh blocks runs
 * here, in order, against the local stack (a command naming a stage's AWS resources with `--stage
 * prod` runs with the local stack's `--prefix`, or, for `ses status`, is parsed with --help);
 * every `-c key=value` it mentions is a context key the CDK app reads; the stack, output, secret and
 * configuration set names it quotes are those of a synthesized stage; the cdk subcommands and
 * flags exist in the installed CDK CLI; the aws commands are operations of the SDK clients installed.
 */
const run = promisify(execFile);
const ROOT = resolve('.');
const guide = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');

/** The shell commands of the guide's sh blocks, continuation lines joined, comments dropped. */
const commands = docCommands(guide).map((c) => c.command);
const leadflowCommands = commands.filter((c) => c.startsWith('npx leadflow '));
/** README's "Deploy to AWS": the short checklist that links to the guide. */
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const readmeSection = readme.slice(
  readme.indexOf('## Deploy to AWS'),
  readme.indexOf('\n## ', readme.indexOf('## Deploy to AWS') + 3),
);
/** `npx leadflow …` in the guide's prose and README's checklist (inline code), placeholders such as `<token>` included. */
const inlineCommands = [...`${guide}\n${readmeSection}`.matchAll(/`(npx leadflow [^`…]+)`/g)].map(
  (m) => m[1] as string,
);
const cdkCommands = commands.filter((c) => c.startsWith('npx cdk '));
const awsCommands = commands.filter((c) => c.startsWith('aws '));

let stack: LocalStack;
let cwd: string;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  stack = await startTestStack({ tickSeconds: 1 });
  // The guide keeps production config in config-prod/: a copy of config/ stands in for it.
  cwd = mkdtempSync(join(tmpdir(), 'leadflow-guide-'));
  cpSync(join(ROOT, 'config'), join(cwd, 'config-prod'), { recursive: true });
}, 30_000);
afterAll(async () => {
  await stack?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

describe('docs/deploy.md', () => {
  it('has the commands this test expects to find', () => {
    expect(leadflowCommands.length).toBeGreaterThanOrEqual(10);
    expect(cdkCommands).toEqual([
      'npx cdk bootstrap aws://123456789012/eu-west-1',
      'npx cdk deploy --all -c stage=prod --outputs-file cdk-outputs.json',
    ]);
    expect(awsCommands.length).toBeGreaterThanOrEqual(6);
  });

  it('runs every leadflow command of the guide, in order, against the local stack', async () => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      LEADFLOW_TABLE_NAME: stack.tableName,
      API_URL: stack.apiUrl,
    };
    const ran: string[] = [];
    for (const command of leadflowCommands) {
      const awsOnly = /--stage prod\b/.test(command);
      const local = command
        .replace(/^npx leadflow /, `"${process.execPath}" "${join(ROOT, 'bin/leadflow.mjs')}" `)
        .replace(/--stage prod\b/, /\b(dlq)\b/.test(command) ? '--prefix leadflow-' : '--stage prod --help');
      const { stdout } = await run('sh', ['-c', local], { cwd, env });
      ran.push(command);
      const [, group, sub] = command.split(' ').slice(1);
      if (group === 'config') expect(stdout).toMatch(/^config ok: forms demo-request, /);
      if (group === 'tokens' && sub === 'create') {
        const token = stdout.trim();
        const role = /--role (\S+)/.exec(command)?.[1];
        const name = /--name "([^"]+)"/.exec(command)?.[1];
        await expect(new DynamoTokenStore(dynamo, stack.tableName, 0).verify(token)).resolves.toEqual({
          role,
          name,
        });
        // The guide's next `export LEADFLOW_TOKEN=lf_admin_…` is the admin token made here.
        if (role === 'admin') env.LEADFLOW_TOKEN = token;
      }
      if (group === 'smoke') expect(stdout.trim().split('\n').pop()).toBe('smoke test passed');
      if (group === 'dlq' && sub === 'list') expect(stdout).toMatch(/^queue\s+dead-letter queue/);
      if (group === 'dlq' && sub === 'redrive')
        expect(stdout.trim()).toBe(
          'completed: moved 0 message(s) from leadflow-email-jobs-dlq to leadflow-email-jobs',
        );
      if (awsOnly && group === 'ses') expect(stdout).toContain(`leadflow ${group} ${sub}`);
    }
    expect(ran).toEqual(leadflowCommands);
    // The export the smoke test relies on is in the guide, and came from the tokens step.
    expect(commands).toContain('export LEADFLOW_TOKEN=lf_admin_…');
    expect(env.LEADFLOW_TOKEN).toMatch(/^lf_admin_/);
  }, 120_000);

  it('names in its prose only leadflow commands and options that exist (parsed with --help)', async () => {
    expect(inlineCommands).toContain('npx leadflow tokens revoke <token>');
    expect(inlineCommands).toContain('npx leadflow smoke --url <ApiUrl>');
    expect(readmeSection).toContain('[docs/deploy.md](docs/deploy.md)');
    const usage = (await run(process.execPath, [join(ROOT, 'bin/leadflow.mjs'), '--help'])).stdout;
    for (const command of inlineCommands) {
      const args = command.replace(/^npx leadflow /, '').split(' ');
      // Exit 0: every option is one the CLI knows (an unknown one exits 2).
      await run(process.execPath, [join(ROOT, 'bin/leadflow.mjs'), ...args, '--help']);
      expect(usage, command).toContain(`leadflow ${args.slice(0, 2).join(' ')}`);
    }
  }, 60_000);

  it('links only to files that exist', () => {
    const links = [...guide.matchAll(/\]\(([^)#:]+)\)/g)].map((m) => m[1] as string);
    expect(links).toEqual(expect.arrayContaining(['operations.md', 'runbooks/ses-paused.md']));
    for (const link of links) expect(existsSync(join(ROOT, 'docs', link)), link).toBe(true);
  });

  it('mentions only context keys the CDK app reads (the guide and README)', () => {
    const keys = [
      ...new Set([...`${guide}\n${readmeSection}`.matchAll(/-c ([\w:]+)=/g)].map((m) => m[1] as string)),
    ];
    expect(keys).toEqual(
      expect.arrayContaining([
        'stage',
        'leadflow:configDir',
        'leadflow:senderIdentity',
        'leadflow:reserveConcurrency',
      ]),
    );
    const infraSource = readdirSync(join(ROOT, 'infra'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(ROOT, 'infra', f), 'utf8'))
      .join('\n');
    for (const key of keys) expect(infraSource, key).toContain(`'${key}'`);
  });

  it('quotes the names a synthesized stage has: stacks, outputs, secrets, configuration set', () => {
    // The guide deploys prod; dev has the same names with its own stage and needs no production config.
    // With a public URL, as the guide's custom domain: the console's user pool and its outputs exist.
    const { stateful, service } = buildApp({
      context: {
        stage: 'dev',
        'aws:cdk:bundling-stacks': [],
        'leadflow:publicUrl': 'https://go.acme-widgets.com',
      },
    });
    const forDev = (name: string) => name.replace(/prod/g, 'dev');
    expect(guide).toContain('`LeadflowStateful-prod`');
    expect(guide).toContain('`LeadflowService-prod`');
    expect(stateful.stackName).toBe(forDev('LeadflowStateful-prod'));
    expect(service.stackName).toBe(forDev('LeadflowService-prod'));

    const templates = [Template.fromStack(stateful).toJSON(), Template.fromStack(service).toJSON()];
    const named = (type: string, property: string) =>
      Object.values(
        templates[0]?.Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>,
      )
        .filter((r) => r.Type === type)
        .map((r) => r.Properties?.[property]);
    for (const secret of ['leadflow-prod/webhooks', 'leadflow-prod/signing', 'leadflow-prod/identity']) {
      expect(guide).toContain(secret);
      expect(named('AWS::SecretsManager::Secret', 'Name')).toContain(forDev(secret));
    }
    // `leadflow dlq … --stage prod` lists the queues named leadflow-prod-…: every queue of the stage is.
    const queues = named('AWS::SQS::Queue', 'QueueName');
    expect(queues).toEqual(
      expect.arrayContaining(['leadflow-dev-email-jobs', 'leadflow-dev-email-jobs-dlq']),
    );
    for (const queue of queues) expect(queue).toMatch(/^leadflow-dev-/);
    expect(guide).toContain('configuration set (`leadflow-prod`)');
    expect(named('AWS::SES::ConfigurationSet', 'Name')).toContain(forDev('leadflow-prod'));
    const outputs = templates.flatMap((t) => Object.keys(t.Outputs ?? {}));
    const table = guide.slice(
      guide.indexOf('| output |'),
      guide.indexOf('```sh', guide.indexOf('| output |')),
    );
    const quoted = [...table.matchAll(/^\| `(\w+)`(?:, `(\w+)`)* \|/gm)].flatMap(
      (m) => m[0].match(/`\w+`/g)?.map((q) => q.slice(1, -1)) ?? [],
    );
    expect(quoted.length).toBeGreaterThanOrEqual(7);
    for (const output of quoted) expect(outputs, output).toContain(output);
    // Every alarm topic a deploy creates is in the table, so step 7 subscribes someone to each.
    for (const topic of outputs.filter((o) => o.endsWith('TopicArn'))) expect(quoted, topic).toContain(topic);
    expect(commands).toContain(
      'aws sns subscribe --topic-arn <SalesManagersTopicArn> --protocol email --notification-endpoint sales-managers@example.com',
    );
    // A whole app is synthesized: tens of seconds when the machine is busy (30 s timed out at load 15).
  }, 120_000);

  it('is right that no stage means no deploy', () => {
    expect(guide).toContain('`No stage given`');
    const stage = process.env.LEADFLOW_STAGE;
    delete process.env.LEADFLOW_STAGE;
    try {
      expect(() => buildApp({ context: { 'aws:cdk:bundling-stacks': [] } })).toThrow(/No stage given/);
    } finally {
      if (stage !== undefined) process.env.LEADFLOW_STAGE = stage;
    }
  });

  it('uses cdk subcommands and flags the installed CDK CLI has', async () => {
    const cdk = join(ROOT, 'node_modules/.bin/cdk');
    for (const command of cdkCommands) {
      const [sub, ...rest] = command.replace(/^npx cdk /, '').split(' ');
      const { stdout } = await run(cdk, [sub as string, '--help'], { cwd });
      for (const flag of rest.filter((word) => word.startsWith('--')))
        expect(stdout, `${sub} ${flag}`).toContain(flag);
    }
  }, 60_000);

  it('uses aws operations that exist (checked against the installed SDK clients)', () => {
    const clients: Record<string, Record<string, unknown>> = {
      sesv2: sesv2 as unknown as Record<string, unknown>,
      secretsmanager: secretsManager as unknown as Record<string, unknown>,
    };
    const checked = awsCommands.flatMap((command) => {
      const [, service, operation] = command.split(' ');
      const client = clients[service as string];
      if (!client) return [];
      const pascal = (operation as string).replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase());
      expect(client[`${pascal}Command`], command).toBeDefined();
      return [command];
    });
    // SES (identity, MAIL FROM, its check) and Secrets Manager (read, write) commands; sns subscribe is not checked.
    expect(checked.length).toBe(5);
  });
});
