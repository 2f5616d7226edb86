import type { Role } from '../kernel/auth';
import type { Clock } from '../kernel/clock';
import { ConflictError, ForbiddenError, LeadflowError } from '../kernel/errors';
import { newId } from '../kernel/ids';
import type { ExportFiles, ExportJob, ExportQueue, ExportStore } from './export-ports';
import { csvHeader, csvLine } from './lead-csv';
import { type LeadList, parseLeadListQuery } from './lead-list';

/** A background export and its file are kept this long (the item's TTL, the bucket's lifecycle). */
export const EXPORT_KEPT_DAYS = 7;
/** The worker records its progress every this many pages of 100 rows. */
const PROGRESS_EVERY_PAGES = 10;
const ID = /^exp_[0-9A-HJKMNP-TV-Z]{26}$/;

export class ExportNotFoundError extends LeadflowError {
  readonly code = 'export_not_found';
  constructor() {
    super('No export with that id (exports are kept for 7 days).');
  }
}

export interface Caller {
  name: string;
  username?: string;
  role: Role;
}
type By = ExportJob['requestedBy'];
const byOf = (caller: Caller): By => ({
  name: caller.name,
  ...(caller.username ? { username: caller.username } : {}),
});
const sameRequester = (a: By, b: By) =>
  (a.username ?? `token:${a.name}`) === (b.username ?? `token:${b.name}`);

/** What GET /v1/admin/leads/exports/{exportId} answers. */
export interface ExportView {
  exportId: string;
  status: ExportJob['status'];
  rows: number;
  createdAt: string;
  finishedAt?: string;
  error?: string;
  /** Ready: where to download the CSV, and until when that link works. */
  download?: { url: string; expiresAt: string; fileName: string };
}

/**
 * POST /v1/admin/leads/exports: start a background export of the list's filter.
 * 1. Parse the filter and sort as the list does (400 for a bad one, before anything is stored).
 * 2. Store the job (running, 0 rows, who asked, expiring in 7 days).
 * 3. Queue it for the worker; answer at once.
 */
export async function startExport(
  deps: { exports: ExportStore; queue: ExportQueue; clock: Clock },
  params: Record<string, string>,
  caller: Caller,
): Promise<ExportView> {
  parseLeadListQuery(params);
  const now = deps.clock.now();
  const job: ExportJob = {
    exportId: newId('exp', now),
    status: 'running',
    rows: 0,
    params,
    requestedBy: byOf(caller),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + EXPORT_KEPT_DAYS * 86_400_000).toISOString(),
  };
  await deps.exports.create(job);
  await deps.queue.request(job.exportId);
  return { exportId: job.exportId, status: job.status, rows: 0, createdAt: job.createdAt };
}

/**
 * The worker (SQS lead-exports): every row of the filter as CSV, page after page of the list,
 * progress on the job every 10 pages, then the file, then `ready`. A job that is not running
 * (done already: a redelivered message) is left alone. A failure marks the job failed.
 */
export async function runExport(
  deps: { exports: ExportStore; files: ExportFiles; list: LeadList; clock: Clock },
  exportId: string,
): Promise<ExportJob['status'] | 'gone'> {
  const job = await deps.exports.get(exportId);
  if (!job) return 'gone';
  if (job.status !== 'running') return job.status;
  let rows = 0;
  try {
    const { filter, sort } = parseLeadListQuery(job.params);
    const parts = [csvHeader()];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await deps.list.page({ filter, sort, limit: 100, cursor });
      for (const row of page.leads) parts.push(csvLine(row));
      rows += page.leads.length;
      cursor = page.cursor;
      pages += 1;
      if (cursor && pages % PROGRESS_EVERY_PAGES === 0) await deps.exports.progress(exportId, rows);
    } while (cursor);
    await deps.files.write(exportId, parts.join(''));
  } catch (error) {
    const finishedAt = deps.clock.now().toISOString();
    await deps.exports.finish(exportId, {
      status: 'failed',
      rows,
      finishedAt,
      error: 'The export failed; start it again.',
    });
    throw error;
  }
  const finishedAt = deps.clock.now().toISOString();
  if (await deps.exports.finish(exportId, { status: 'ready', rows, finishedAt })) return 'ready';
  const now = (await deps.exports.get(exportId))?.status;
  // Another delivery of the same message finished it first (SQS delivers at least once): the file
  // is that export's, written again with the same rows; keep it.
  if (now === 'ready') return 'ready';
  // Withdrawn while it ran (a lead was erased): the file just written may hold that person.
  await deps.files.remove(exportId);
  return now ?? 'gone';
}

export const WITHDRAWN =
  'A lead in this export was erased (a privacy request), so the file is gone: start the export again.';

/**
 * After a lead is erased: no export file may bring the person back (invariant 7). Every export of
 * the last 7 days that is ready or running loses its file and fails with the reason; a running one
 * removes the file it writes when it finds itself withdrawn. Returns how many were withdrawn.
 */
export async function withdrawExports(deps: {
  exports: ExportStore;
  files: ExportFiles;
  clock: Clock;
}): Promise<number> {
  const now = deps.clock.now();
  const since = new Date(now.getTime() - EXPORT_KEPT_DAYS * 86_400_000).toISOString();
  let withdrawn = 0;
  for (const job of await deps.exports.startedSince(since)) {
    if (job.status === 'failed') continue;
    await deps.exports.withdraw(job.exportId, now.toISOString(), WITHDRAWN);
    await deps.files.remove(job.exportId);
    withdrawn += 1;
  }
  return withdrawn;
}

/** The job if `caller` may read it: the person who asked, or an admin (403 for anyone else, 404 unknown or expired). */
async function jobFor(deps: { exports: ExportStore; clock: Clock }, exportId: string, caller: Caller) {
  const job = ID.test(exportId) ? await deps.exports.get(exportId) : undefined;
  if (!job || job.expiresAt <= deps.clock.now().toISOString()) throw new ExportNotFoundError();
  if (caller.role !== 'admin' && !sameRequester(job.requestedBy, byOf(caller)))
    throw new ForbiddenError('Only the person who started this export (or an admin) may read it.');
  return job;
}

const fileName = (job: ExportJob) =>
  `leads-${job.createdAt.slice(0, 10)}-${job.exportId.slice(-6).toLowerCase()}.csv`;

/** GET /v1/admin/leads/exports/{exportId}: status and rows; when ready, a download link. */
export async function exportStatus(
  deps: { exports: ExportStore; files: ExportFiles; clock: Clock },
  exportId: string,
  caller: Caller,
): Promise<ExportView> {
  const job = await jobFor(deps, exportId, caller);
  const { status, rows, createdAt, finishedAt, error } = job;
  const view: ExportView = { exportId, status, rows, createdAt };
  if (finishedAt) view.finishedAt = finishedAt;
  if (error) view.error = error;
  if (status === 'ready') {
    const name = fileName(job);
    view.download = { ...(await deps.files.link(exportId, name)), fileName: name };
  }
  return view;
}

/** GET /v1/admin/leads/exports/{exportId}/file, where the API serves the file (locally): the CSV and its name. */
export async function exportFile(
  deps: { exports: ExportStore; files: ExportFiles; clock: Clock },
  exportId: string,
  caller: Caller,
): Promise<{ csv: string; fileName: string } | { redirect: string }> {
  const job = await jobFor(deps, exportId, caller);
  if (job.status !== 'ready')
    throw new ConflictError('export_not_ready', `The export is ${job.status}, not ready.`);
  const csv = await deps.files.read(exportId);
  if (csv !== undefined) return { csv, fileName: fileName(job) };
  return { redirect: (await deps.files.link(exportId, fileName(job))).url };
}
