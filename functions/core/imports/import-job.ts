import type { Role } from '../kernel/auth';
import type { Clock } from '../kernel/clock';
import {
  ConflictError,
  ForbiddenError,
  LeadflowError,
  PayloadTooLargeError,
  ValidationError,
} from '../kernel/errors';
import { newId } from '../kernel/ids';
import { csvCell } from '../leads/lead-csv';
import { consentProblems } from './import-consent';
import { MAX_ROW_BYTES, readHeader, UnreadableCsvError } from './import-csv';
import { planColumns } from './import-mapping';
import type {
  ImportConsent,
  ImportCounts,
  ImportFiles,
  ImportJob,
  ImportQueue,
  ImportStore,
} from './import-ports';
import { NO_COUNTS } from './import-ports';

/** An import, its file and its error report are kept this long (the item's TTL, the bucket's lifecycle). */
export const IMPORT_KEPT_DAYS = 7;
/** The largest file an import takes. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;
const ID = /^imp_[0-9A-HJKMNP-TV-Z]{26}$/;

export class ImportNotFoundError extends LeadflowError {
  readonly code = 'import_not_found';
  constructor() {
    super(`No import with that id (imports are kept for ${IMPORT_KEPT_DAYS} days).`);
  }
}

export interface Caller {
  name: string;
  username?: string;
  role: Role;
}
type By = ImportJob['requestedBy'];
const byOf = (caller: Caller): By => ({
  name: caller.name,
  ...(caller.username ? { username: caller.username } : {}),
});
const sameRequester = (a: By, b: By) =>
  (a.username ?? `token:${a.name}`) === (b.username ?? `token:${b.name}`);

/** What the import routes answer. */
export interface ImportView {
  importId: string;
  status: ImportJob['status'];
  dryRun?: boolean;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  bytes?: number;
  counts: ImportCounts;
  error?: string;
  /** Awaiting the upload: where to PUT the CSV (a presigned S3 URL on AWS), until when, and how large it may be. */
  upload?: { url: string; method: 'PUT'; expiresAt: string; maxBytes: number };
  /** Path of the error report (CSV: row, column, reason), once a row failed. */
  errorReport?: string;
}

export interface StartRequest {
  mapping: Record<string, string>;
  consent: ImportConsent;
  consentColumn?: string;
  dryRun: boolean;
}

type ApiDeps = { imports: ImportStore; files: ImportFiles; queue: ImportQueue; clock: Clock };

function viewOf(job: ImportJob): ImportView {
  const { importId, status, createdAt, startedAt, finishedAt, bytes, counts, error, plan } = job;
  return {
    importId,
    status,
    ...(plan ? { dryRun: plan.dryRun } : {}),
    createdAt,
    ...(startedAt ? { startedAt } : {}),
    ...(finishedAt ? { finishedAt } : {}),
    ...(bytes !== undefined ? { bytes } : {}),
    counts,
    ...(error ? { error } : {}),
    ...(counts.failed > 0 ? { errorReport: `/v1/admin/leads/imports/${importId}/errors` } : {}),
  };
}

/**
 * POST /v1/admin/leads/imports: a new import awaiting its file.
 * 1. Store the job (who asked, awaiting upload, expiring in 7 days).
 * 2. Answer with the link to PUT the CSV to (presigned S3 on AWS; the local stack's upload route).
 */
export async function createImport(deps: ApiDeps, caller: Caller): Promise<ImportView> {
  const now = deps.clock.now();
  const job: ImportJob = {
    importId: newId('imp', now),
    status: 'awaiting_upload',
    requestedBy: byOf(caller),
    createdAt: now.toISOString(),
    run: 0,
    nextByte: 0,
    nextRow: 2,
    counts: { ...NO_COUNTS },
    expiresAt: new Date(now.getTime() + IMPORT_KEPT_DAYS * 86_400_000).toISOString(),
  };
  await deps.imports.create(job);
  const link = await deps.files.uploadLink(job.importId);
  return { ...viewOf(job), upload: { ...link, method: 'PUT', maxBytes: MAX_IMPORT_BYTES } };
}

/** The job if `caller` may see it: who started it, or an admin (403 anyone else, 404 unknown or expired). */
async function jobFor(deps: Pick<ApiDeps, 'imports' | 'clock'>, importId: string, caller: Caller) {
  const job = ID.test(importId) ? await deps.imports.get(importId) : undefined;
  if (!job || job.expiresAt <= deps.clock.now().toISOString()) throw new ImportNotFoundError();
  if (caller.role !== 'admin' && !sameRequester(job.requestedBy, byOf(caller)))
    throw new ForbiddenError('Only the person who started this import (or an admin) may see it.');
  return job;
}

/**
 * POST /v1/admin/leads/imports/{importId}/start: check the file's header against the mapping, then run.
 * 1. The job must await its upload, or be done after a dry run (409 otherwise); the file must be
 *    there (409 `import_not_uploaded`) and at most 50 MB (413).
 * 2. Read the header row (400 when it cannot be read); check the mapping and the consent basis
 *    (400 naming every unknown target, missing header, missing email column or missing proof).
 * 3. Start the run (dry or real) and queue its first page; answer at once.
 */
export async function startImport(
  deps: ApiDeps,
  importId: string,
  request: StartRequest,
  caller: Caller,
): Promise<ImportView> {
  const job = await jobFor(deps, importId, caller);
  const again = job.status === 'done' && job.plan?.dryRun === true;
  if (job.status !== 'awaiting_upload' && !again)
    throw new ConflictError('import_not_startable', `The import is ${job.status}: start a new import.`);
  const bytes = await deps.files.size(importId);
  if (bytes === undefined)
    throw new ConflictError('import_not_uploaded', 'Upload the CSV file to the import link first.');
  if (bytes > MAX_IMPORT_BYTES)
    throw new PayloadTooLargeError(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it.`);
  let head: Awaited<ReturnType<typeof readHeader>>;
  try {
    head = await readHeader(deps.files.read(importId, 0, MAX_ROW_BYTES));
  } catch (error) {
    if (!(error instanceof UnreadableCsvError)) throw error;
    throw new ValidationError([{ path: 'file', message: error.message }], 'The file cannot be read as CSV.');
  }
  const targets = planColumns(head.header, request.mapping, request.consentColumn);
  const problems = consentProblems(request.consent, request.consentColumn);
  if (problems.length > 0) throw new ValidationError(problems, 'The consent basis is incomplete.');
  const plan = {
    header: head.header,
    delimiter: head.delimiter,
    targets,
    consent: request.consent,
    ...(request.consentColumn !== undefined ? { consentColumn: request.consentColumn } : {}),
    dryRun: request.dryRun,
  };
  const startedAt = deps.clock.now().toISOString();
  const run = job.run + 1;
  const started = await deps.imports.start(importId, {
    run,
    previousRun: job.run,
    plan,
    bytes,
    startedAt,
    dataStart: head.dataStart,
  });
  if (!started) throw new ConflictError('import_not_startable', 'The import was started already.');
  await deps.queue.page(importId, 2);
  return viewOf({
    ...job,
    status: 'running',
    run,
    plan,
    bytes,
    startedAt,
    nextByte: head.dataStart,
    nextRow: 2,
    counts: { ...NO_COUNTS },
  });
}

/** GET /v1/admin/leads/imports/{importId}: progress and counts (and the upload link while it awaits the file). */
export async function importStatus(deps: ApiDeps, importId: string, caller: Caller): Promise<ImportView> {
  const job = await jobFor(deps, importId, caller);
  const view = viewOf(job);
  if (job.status !== 'awaiting_upload') return view;
  const link = await deps.files.uploadLink(importId);
  return { ...view, upload: { ...link, method: 'PUT', maxBytes: MAX_IMPORT_BYTES } };
}

/** GET /v1/admin/leads/imports/{importId}/errors: the run's error report as CSV (row, column, reason; no row data). */
export async function importErrors(
  deps: Pick<ApiDeps, 'imports' | 'clock'>,
  importId: string,
  caller: Caller,
): Promise<{ csv: string; fileName: string }> {
  const job = await jobFor(deps, importId, caller);
  const lines = ['row,column,reason\r\n'];
  for (const error of await deps.imports.errors(importId, job.run))
    lines.push(`${error.row},${csvCell(error.column)},${csvCell(error.reason)}\r\n`);
  return { csv: lines.join(''), fileName: `import-errors-${importId.slice(-6).toLowerCase()}.csv` };
}
