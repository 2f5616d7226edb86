import { createHmac, randomBytes } from 'node:crypto';
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
  archiveRef,
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
const archiveKey = randomBytes(32).toString('base64url');
const batch = { shard: 2, seq: 7, entries: [opened, note], keys: new Map([[opened.leadId, archiveKey]]) };
/** HMAC-SHA256 under the key's 32 bytes, hex, first 32 characters (computed apart from the adapter). */
const hmac = (value: string) =>
  createHmac('sha256', Buffer.from(archiveKey, 'base64url')).update(value).digest('hex').slice(0, 32);
const dir = mkdtempSync(join(tmpdir(), 'leadflow-events-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files = (root: string): string[] =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => relative(root, join(d.parentPath, d.name)))
    .sort();

describe('raw event archive', () => {
  it('writes one JSON line per entry with the report columns only: no free text, no names, no consent, no link query', () => {
    expect(archiveLine(opened, archiveKey)).toEqual({
      event_id: hmac('act_ses_1'),
      lead_ref: hmac(opened.leadId),
      type: 'email_clicked',
      at: '2026-11-30T23:59:59.000Z',
      source: 'ses',
      message_id: 'm1',
      sequence_id: 'welcome',
      step: 'day-3',
      template_id: 'welcome-2',
      link: 'https://acme.example/pricing',
    });
    const line = JSON.stringify(archiveLine(note, archiveKey));
    for (const secret of ['Ada', '+49', 'Maya', 'Yes please', '192.0.2.1', 'Called back'])
      expect(line).not.toContain(secret);
    for (const key of Object.keys(archiveLine(note, archiveKey))) expect(ARCHIVE_COLUMNS).toContain(key);
  });

  it('names the lead and the entry only by HMACs under the lead’s archive key (none without a key)', () => {
    const line = archiveLine(opened, archiveKey);
    expect(line.lead_ref).toMatch(/^[0-9a-f]{32}$/);
    expect(line.event_id).toMatch(/^[0-9a-f]{32}$/);
    expect(JSON.stringify(line)).not.toContain(opened.leadId);
    expect(JSON.stringify(line)).not.toContain(opened.activityId);
    // Stable under the same key; another lead's key (or a new one) gives unrelated references.
    expect(archiveLine(opened, archiveKey)).toEqual(line);
    const other = randomBytes(32).toString('base64url');
    expect(archiveRef(other, opened.leadId)).not.toBe(line.lead_ref);
    // A lead already erased (no key): the line is still counted, tied to no one.
    const keyless = archiveLine(opened);
    expect(keyless).not.toHaveProperty('lead_ref');
    expect(keyless).not.toHaveProperty('event_id');
    expect(keyless).toMatchObject({ type: 'email_clicked', message_id: 'm1' });
    expect(ARCHIVE_COLUMNS).not.toContain('lead_id');
    expect(ARCHIVE_COLUMNS).not.toContain('activity_id');
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
      `${JSON.stringify(archiveLine(opened, archiveKey))}\n`,
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
    expect(lines.map((l) => JSON.parse(l))).toEqual([archiveLine(note, archiveKey)]);
    // A batch without the lead's key (erased before a re-archive): the same files, tied to no one.
    await archive.put({ ...batch, keys: new Map() });
    const rewritten = readFileSync(join(dir, 'events/dt=2026-12-01/shard=2/seq=7.jsonl'), 'utf8');
    expect(JSON.parse(rewritten)).not.toHaveProperty('lead_ref');
    expect(rewritten).not.toContain(hmac(note.leadId));
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
