import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ARCHIVE_COLUMNS,
  archiveLine,
  archiveObjects,
  FolderEventArchive,
} from '../../functions/adapters/files/event-archive';
import { S3EventArchive } from '../../functions/adapters/s3/event-archive';
import type { Activity } from '../../functions/core/leads/lead';

const opened: Activity = {
  activityId: 'act_ses_1',
  leadId: 'ld_0123456789abcdef01234567',
  type: 'email_clicked',
  at: '2026-11-30T23:59:59.000Z',
  source: 'ses',
  properties: {
    messageId: 'm1',
    sequenceId: 'welcome',
    step: 'day-3',
    templateId: 'welcome-2',
    link: 'https://acme.example/pricing?email=ada%40acme.example#top',
  },
};
const note: Activity = {
  activityId: 'act_note_1',
  leadId: 'ld_0123456789abcdef01234567',
  type: 'note_added',
  at: '2026-12-01T08:00:00.000Z',
  source: 'console',
  properties: { note: 'Ada Lovelace called from +49 30 1234567', reason: 'Called back, wants a demo' },
  by: { name: 'Maya Marketing', username: 'maya' },
  consent: {
    granted: true,
    text: 'Yes please',
    at: '2026-12-01T08:00:00.000Z',
    source: 'form',
    ip: '192.0.2.1',
  } as never,
};
const batch = { shard: 2, seq: 7, entries: [opened, note] };
const dir = mkdtempSync(join(tmpdir(), 'leadflow-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)))
    .sort();

describe('raw event archive', () => {
  it('writes one JSON line per entry with the report columns only: no free text, no names, no consent, no link query', () => {
    expect(archiveLine(opened)).toEqual({
      activity_id: 'act_ses_1',
      lead_id: opened.leadId,
      type: 'email_clicked',
      at: '2026-11-30T23:59:59.000Z',
      source: 'ses',
      message_id: 'm1',
      sequence_id: 'welcome',
      step: 'day-3',
      template_id: 'welcome-2',
      link: 'https://acme.example/pricing',
    });
    const line = JSON.stringify(archiveLine(note));
    for (const secret of ['Ada', '+49', 'Maya', 'Yes please', '192.0.2.1', 'Called back'])
      expect(line).not.toContain(secret);
    for (const key of Object.keys(archiveLine(note))) expect(ARCHIVE_COLUMNS).toContain(key);
  });

  it('keys objects events/dt=<UTC day>/shard=<s>/seq=<n>.jsonl, one per day of the batch', () => {
    expect(archiveObjects(batch).map((o) => o.key)).toEqual([
      'events/dt=2026-11-30/shard=2/seq=7.jsonl',
      'events/dt=2026-12-01/shard=2/seq=7.jsonl',
    ]);
    expect(archiveObjects(batch, { gzip: true })[0]?.key).toBe('events/dt=2026-11-30/shard=2/seq=7.jsonl.gz');
  });

  it('gives the same bytes for the same batch (a re-archived batch after a crash replaces, never adds)', () => {
    const [a] = archiveObjects(batch, { gzip: true });
    const [b] = archiveObjects(structuredClone(batch), { gzip: true });
    expect(a?.body.equals(b?.body ?? Buffer.alloc(0))).toBe(true);
    expect(gunzipSync(a?.body ?? Buffer.alloc(0)).toString()).toBe(
      `${JSON.stringify(archiveLine(opened))}\n`,
    );
  });

  it('locally writes the same layout into a folder; archiving a batch again overwrites its files', async () => {
    const archive = new FolderEventArchive(dir);
    await archive.put(batch);
    await archive.put(batch);
    expect(files(dir)).toEqual([
      join('events', 'dt=2026-11-30', 'shard=2', 'seq=7.jsonl'),
      join('events', 'dt=2026-12-01', 'shard=2', 'seq=7.jsonl'),
    ]);
    const lines = readFileSync(join(dir, 'events/dt=2026-12-01/shard=2/seq=7.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(lines.map((l) => JSON.parse(l).activity_id)).toEqual(['act_note_1']);
  });

  it('on AWS puts gzipped JSON lines to the bucket under events/ (PutObject only)', async () => {
    // No S3 emulator runs locally: the client is mocked to see exactly what would be written.
    const s3 = mockClient(S3Client);
    s3.on(PutObjectCommand).resolves({});
    await new S3EventArchive(new S3Client({ region: 'eu-central-1' }), 'leadflow-test-events').put(batch);
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => [p.Bucket, p.Key])).toEqual([
      ['leadflow-test-events', 'events/dt=2026-11-30/shard=2/seq=7.jsonl.gz'],
      ['leadflow-test-events', 'events/dt=2026-12-01/shard=2/seq=7.jsonl.gz'],
    ]);
    expect(JSON.parse(gunzipSync(puts[0]?.Body as Buffer).toString())).toMatchObject({ message_id: 'm1' });
    s3.restore();
  });
});
