import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The layering rules in biome.json (run by `npm run lint` in `npm test`) catch what they promise:
 * each case lints a small file placed where the rule applies, in a scratch copy of the config.
 */
const scratch = mkdtempSync(join(tmpdir(), 'leadflow-layering-'));
const config = JSON.parse(readFileSync('biome.json', 'utf8'));
config.vcs = { enabled: false };
config.files = { includes: ['**'] };
writeFileSync(join(scratch, 'biome.json'), JSON.stringify(config));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let n = 0;
function lint(path: string, source: string): string {
  n += 1;
  const file = join(scratch, path.replace(/\.ts$/, `-${n}.ts`));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, source);
  try {
    execFileSync(resolve('node_modules/.bin/biome'), ['lint', file], { cwd: scratch, stdio: 'pipe' });
    return '';
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: Buffer; stderr?: Buffer };
    return `${stdout ?? ''}${stderr ?? ''}`;
  }
}
/** `refused` only for this rule: any other finding in the sample fails the test loudly. */
function restricted(path: string, source: string): 'allowed' | 'refused' {
  const out = lint(path, source);
  if (out === '') return 'allowed';
  if (out.includes('lint/style/noRestrictedImports')) return 'refused';
  throw new Error(out);
}

describe('layering (biome.json noRestrictedImports)', () => {
  it.each([
    ['functions/core/capture/x.ts', "import { dynamo } from '../../shared/aws/dynamodb';"],
    ['functions/core/leads/x.ts', "import { DynamoLeadStore } from '../../adapters/dynamodb/lead-store';"],
    ['functions/core/nurture/x.ts', "import { SESv2Client } from '@aws-sdk/client-sesv2';"],
    ['functions/core/handoff/x.ts', "import { createServer } from 'node:http';"],
    ['functions/core/capture/x.ts', "import { gate } from '../nurture/gate';"],
    ['functions/core/consent/x.ts', "import { fitPoints } from '../scoring/fit';"],
    ['functions/handlers/x.ts', "import { DynamoLeadStore } from '../adapters/dynamodb/lead-store';"],
    ['functions/handlers/x.ts', "import { SQSClient } from '@aws-sdk/client-sqs';"],
    ['functions/handlers/x.ts', "import { startLocalStack } from '../local/stack';"],
  ])('%s may not: %s', (path, line) => {
    expect(restricted(path, `${line}\nexport const used = [${line.match(/\{ (\w+) \}/)?.[1]}];\n`)).toBe(
      'refused',
    );
  });

  it.each([
    ['functions/core/capture/x.ts', "import { LEAD_ID } from '../kernel/lead-id';"],
    ['functions/core/nurture/x.ts', "import { LeadState } from '../leads/lead';"],
    ['functions/core/leads/x.ts', "import { scoreLead } from '../scoring/score';"],
    ['functions/core/nurture/x.ts', "import { gate } from './gate';"],
    ['functions/handlers/x.ts', "import { captureDeps } from '../shared/wiring/capture';"],
    ['functions/handlers/x.ts', "import { captureSubmission } from '../core/capture/capture';"],
    ['functions/adapters/dynamodb/x.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';"],
  ])('%s may: %s', (path, line) => {
    expect(restricted(path, `${line}\nexport const used = [${line.match(/\{ (\w+) \}/)?.[1]}];\n`)).toBe(
      'allowed',
    );
  });
});
