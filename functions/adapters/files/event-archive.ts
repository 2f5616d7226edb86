import { createHmac } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Activity } from '../../core/leads/lead';
import type { ArchiveBatch, EventArchive } from '../../core/reports/ports';

/**
 * The raw event archive's layout, shared by the S3 bucket (AWS, queried with Athena through the
 * Glue table in infra/constructs/event-archive.ts) and a local folder (`npm start -- --events-dir`):
 *   events/dt=YYYY-MM-DD/shard=<s>/seq=<n>.jsonl[.gz]
 * one object per UTC day of a batch's entries, one JSON line per timeline entry. A batch is
 * archived again after a crash: the same shard and seq give the same keys and the same lines,
 * so the rewrite replaces, never adds.
 *
 * A line holds what reports count, never free text or personal data: no notes, no consent text
 * or IP, no person names, no profile values; a clicked link without its query string. Neither the
 * lead id nor the entry id (both recomputable from an address by anyone holding the identity key):
 * `lead_ref` and `event_id` are HMACs of them under the lead's own random archive key, which is
 * stored with the lead and deleted by its erase (crypto-shredding: the lines stay, unlinkable).
 * A lead without a key (already erased, unknown) gets neither. Columns (the Glue table's, in order):
 */
export const ARCHIVE_COLUMNS = [
  'event_id',
  'lead_ref',
  'type',
  'at',
  'source',
  'form_id',
  'message_id',
  'sequence_id',
  'step',
  'template_id',
  'broadcast_id',
  'reason',
  'link',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'stage_from',
  'stage_to',
  'score',
  'handoff',
] as const;
export type ArchiveLine = Partial<Record<(typeof ARCHIVE_COLUMNS)[number], string | number>>;

export const ARCHIVE_PREFIX = 'events/';

const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.length > 0 ? value.slice(0, 2048) : undefined;

/** A link without its query and fragment (a marketer's URL may carry a recipient's address there). */
function linkOf(value: unknown): string | undefined {
  const link = str(value);
  if (!link || !URL.canParse(link)) return undefined;
  const url = new URL(link);
  return `${url.origin}${url.pathname}`;
}

/** HMAC-SHA256 of a value under a lead's archive key (base64url), as 32 hex characters. */
export function archiveRef(archiveKey: string, value: string): string {
  return createHmac('sha256', Buffer.from(archiveKey, 'base64url')).update(value).digest('hex').slice(0, 32);
}

/** One entry's line; `archiveKey`: its lead's (without one, the line names neither lead nor entry). */
export function archiveLine(entry: Activity, archiveKey?: string): ArchiveLine {
  const p = entry.properties ?? {};
  const line: ArchiveLine = {
    event_id: archiveKey ? archiveRef(archiveKey, entry.activityId) : undefined,
    lead_ref: archiveKey ? archiveRef(archiveKey, entry.leadId) : undefined,
    type: entry.type,
    at: entry.at,
    source: entry.source,
    form_id: entry.formId,
    message_id: str(p.messageId),
    sequence_id: str(p.sequenceId),
    step: str(p.step),
    template_id: str(p.templateId) ?? str(p.template),
    broadcast_id: str(p.broadcastId),
    // Skip and exit reasons, outcome reasons: enumerated words, never free text.
    reason: typeof p.reason === 'string' && /^[a-z_]{1,64}$/.test(p.reason) ? p.reason : undefined,
    link: linkOf(p.link),
    utm_source: str(entry.attribution?.utm_source),
    utm_medium: str(entry.attribution?.utm_medium),
    utm_campaign: str(entry.attribution?.utm_campaign),
    stage_from: entry.effect?.stage?.from,
    stage_to: entry.effect?.stage?.to,
    score: entry.effect?.score?.to,
    handoff: entry.effect?.handoff,
  };
  return Object.fromEntries(Object.entries(line).filter(([, v]) => v !== undefined)) as ArchiveLine;
}

/** The UTC day of an instant (entries are stored in UTC; an unreadable one goes under `unknown`). */
function utcDay(at: string): string {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? 'unknown' : new Date(ms).toISOString().slice(0, 10);
}

export interface ArchiveObject {
  key: string;
  body: Buffer;
}

/** The objects of one batch: per UTC day of its entries, their lines in entry order. */
export function archiveObjects(batch: ArchiveBatch, options: { gzip?: boolean } = {}): ArchiveObject[] {
  const byDay = new Map<string, string[]>();
  for (const entry of batch.entries) {
    const day = utcDay(entry.at);
    const lines = byDay.get(day) ?? [];
    lines.push(JSON.stringify(archiveLine(entry, batch.keys.get(entry.leadId))));
    byDay.set(day, lines);
  }
  return [...byDay].map(([day, lines]) => {
    const text = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
    return {
      key: `${ARCHIVE_PREFIX}dt=${day}/shard=${batch.shard}/seq=${batch.seq}.jsonl${options.gzip ? '.gz' : ''}`,
      // mtime 0 in the header: the same batch compresses to the same bytes.
      body: options.gzip ? gzipSync(text) : text,
    };
  });
}

/** Locally: the bucket's layout under a folder. Each file is written whole (a temporary name, then a rename). */
export class FolderEventArchive implements EventArchive {
  constructor(
    private readonly dir: string,
    private readonly options: { gzip?: boolean } = {},
  ) {}

  async put(batch: ArchiveBatch): Promise<void> {
    for (const { key, body } of archiveObjects(batch, this.options)) {
      const path = join(this.dir, key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, body);
      await rename(temporary, path);
    }
  }
}
