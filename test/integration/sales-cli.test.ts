import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoTokenStore } from '../../functions/adapters/dynamodb/token-store';
import type { LocalStack } from '../../functions/local/stack';
import { dynamo } from '../../functions/shared/aws/dynamodb';
import { api, hotDemoRequest, startTestStack } from '../fixtures/local-api';

const run = promisify(execFile);

/**
 * `leadflow sales` against the local stack, with the default claim window (30 minutes): the
 * claim must outlive the CLI calls whatever the machine's speed, so this stack is not the one
 * whose claims the hand-off tests let expire in seconds.
 */
let stack: LocalStack;
let http: ReturnType<typeof api>;
let rep: string;

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
  delete process.env.LEADFLOW_CLAIM_WINDOW_SECONDS;
  stack = await startTestStack({ tickSeconds: 1 });
  http = api(stack);
  rep = await new DynamoTokenStore(dynamo, stack.tableName).create('sales', 'rep cli');
}, 30_000);
afterAll(async () => stack?.stop());

describe('leadflow sales (CLI)', () => {
  const cli = (...args: string[]) =>
    run(process.execPath, ['bin/leadflow.mjs', 'sales', ...args], {
      env: { ...process.env, LEADFLOW_API_URL: stack.apiUrl, LEADFLOW_TOKEN: rep },
    });

  it('works from the terminal: leadflow sales next prints the card, outcome records it', async () => {
    await http.submit('demo-request', hotDemoRequest('cli@initech.de'));
    const next = (await cli('next')).stdout;
    expect(next).toContain('Vera Price <cli@initech.de> — VP Sales at Initech GmbH');
    expect(next).toContain('why hot:');
    expect(next).toMatch(/\+40 {2}demo-request: 1 × form_submitted/);
    const leadId = /lead (ld_[0-9a-f]{24})/.exec(next)?.[1] as string;
    const token = /claim token: (\S+)/.exec(next)?.[1] as string;
    // Short enough to type: no SQS receipt handle in it (that stays server-side).
    expect(token.length).toBeLessThanOrEqual(48);
    expect((await cli('extend', token)).stdout).toMatch(/^Claim extended until /);
    expect((await cli('queue')).stdout).toMatch(/claimed 1/);
    // A lost token is found again: leadflow sales claims lists the claim with a working token.
    const claims = (await cli('claims')).stdout;
    expect(claims).toContain(`Vera Price <cli@initech.de>  lead ${leadId}`);
    expect(claims).toContain('Owned leads: 0');
    const listed = /claim token: (\S+)/.exec(claims)?.[1] as string;
    expect((await cli('extend', listed)).stdout).toMatch(/^Claim extended until /);
    const done = await cli('outcome', leadId, '--claim', token, '--outcome', 'won', '--note', 'signed');
    expect(done.stdout.trim()).toBe('Recorded won: stage customer.');
    expect((await cli('next')).stdout.trim()).toBe('No hot lead is waiting.');
    await expect(cli('outcome', leadId, '--claim', token, '--outcome', 'won')).rejects.toMatchObject({
      stderr: expect.stringContaining('409 claim_not_held'),
    });
    const after = (await cli('claims')).stdout;
    expect(after).toContain('No live claims.');
    expect(after).toMatch(
      new RegExp(
        `Owned leads: 1\\n {2}Vera Price <cli@initech.de> at Initech GmbH {2}lead ${leadId} {2}stage customer {2}last outcome won`,
      ),
    );
  });

  it("shows the API's field errors, not just the code", async () => {
    await expect(
      cli('outcome', 'ld_000000000000000000000000', '--claim', 'x', '--outcome', 'teleported'),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/400 validation_failed:[\s\S]*\n {2}outcome: Invalid option/),
    });
  });
});
