import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_COLUMNS } from '../../functions/adapters/files/event-archive';
import type { LocalStack } from '../../functions/local/stack';
import { api, startTestStack, waitFor } from '../fixtures/local-api';

/**
 * The raw event archive on the local stack (`--events-dir`): tick's report aggregator writes each
 * counted batch in the S3 bucket's layout, so the layout the Glue table projects is tested here.
 */
const dir = mkdtempSync(join(tmpdir(), 'leadflow-events-dir-'));
let stack: LocalStack;
const tag = Date.now().toString(36);

beforeAll(async () => {
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  stack = await startTestStack({ tickSeconds: 1, eventsDir: dir });
});
afterAll(async () => {
  await stack?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const files = () =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && !d.name.endsWith('.tmp'))
    .map((d) => relative(dir, join(d.parentPath, d.name)).split('\\').join('/'));
// biome-ignore lint/suspicious/noExplicitAny: archive lines are arbitrary JSON
const lines = (): Record<string, any>[] =>
  files().flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l)),
  );

describe('raw events in a local folder (--events-dir)', () => {
  it('writes parseable JSON lines under events/dt=YYYY-MM-DD/shard=<s>/seq=<n>.jsonl as tick counts the timeline', async () => {
    const email = `ada.archive.${tag}@acme-industries.de`;
    const res = await api(stack).submit('newsletter', { email, firstName: 'Ada', consent: true });
    expect(res.status).toBe(202);
    const leadId = res.json.leadId as string;

    // The sign-up, then the welcome email's send and its delivery, reach the archive within ticks.
    const mine = await waitFor(
      'the lead’s entries in the archive',
      async () => {
        const found = lines().filter((l) => l.lead_id === leadId);
        const types = new Set(found.map((l) => l.type));
        return types.has('form_submitted') && types.has('email_sent') && types.has('email_delivered')
          ? found
          : undefined;
      },
      20_000,
    );
    for (const file of files())
      expect(file).toMatch(/^events\/dt=\d{4}-\d{2}-\d{2}\/shard=[0-3]\/seq=\d+\.jsonl$/);
    // Each line lies in the file of its own UTC day, with the table's columns only.
    for (const file of files()) {
      const day = /dt=([\d-]+)\//.exec(file)?.[1];
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean)) {
        const parsed = JSON.parse(line);
        expect(parsed.at.slice(0, 10)).toBe(day);
        for (const key of Object.keys(parsed)) expect(ARCHIVE_COLUMNS).toContain(key);
      }
    }
    expect(mine.find((l) => l.type === 'email_sent')).toMatchObject({
      sequence_id: 'welcome',
      step: 'welcome',
      template_id: 'welcome',
      message_id: expect.any(String),
    });
    expect(mine.find((l) => l.type === 'form_submitted')).toMatchObject({ form_id: 'newsletter' });
    // No personal data: the address and the name never reach the archive.
    const all = files()
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    expect(all).not.toContain(email);
    expect(all).not.toContain('Ada');
    // One lead's entries are in one shard (so in order within it).
    const shards = new Set(
      files()
        .filter((f) => readFileSync(join(dir, f), 'utf8').includes(leadId))
        .map((f) => f.split('/')[2]),
    );
    expect(shards.size).toBe(1);
  }, 40_000);
});
