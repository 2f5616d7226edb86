import type { Clock } from '../kernel/clock';
import { type CsvRow, readRows, UnreadableCsvError } from './import-csv';
import { importForm } from './import-mapping';
import type {
  ImportCounts,
  ImportFiles,
  ImportJob,
  ImportQueue,
  ImportStore,
  RowError,
} from './import-ports';
import { NO_COUNTS } from './import-ports';
import { importRow, type RowContext, type RowDeps, type RowOutcome } from './import-row';

/** Rows per page (one SQS message): well inside a Lambda's time even at a few ms a row. */
export const PAGE_ROWS = 500;
/** A file may hold at most this many data rows; rows past it are not read. */
export const MAX_ROWS = 200_000;
/** Rows of different people imported at once within a page (one person's rows stay in file order). */
const PARALLEL = 8;

export const TOO_MANY_ROWS = `The file has more than ${MAX_ROWS.toLocaleString('en')} rows: only the first ${MAX_ROWS.toLocaleString('en')} were read. Split the file and import the rest.`;

export interface ImportWorkerDeps extends RowDeps {
  imports: ImportStore;
  files: ImportFiles;
  queue: ImportQueue;
  clock: Clock;
}

/** Rows keyed by the email cell as written (lower-cased): one person's rows in file order. */
function byPerson(rows: CsvRow[], emailIndex: number): CsvRow[][] {
  const groups = new Map<string, CsvRow[]>();
  for (const row of rows) {
    const key = (row.cells[emailIndex] ?? '').trim().toLowerCase();
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return [...groups.values()];
}

async function importRows(deps: RowDeps, ctx: RowContext, rows: CsvRow[]) {
  const counts: ImportCounts = { ...NO_COUNTS, read: rows.length };
  const errors: RowError[] = [];
  const emailIndex = ctx.plan.targets.findIndex((t) => t.kind === 'standard' && t.field === 'email');
  const queue = byPerson(rows, emailIndex);
  const tally = (outcome: RowOutcome) => {
    counts[outcome.kind] += 1;
    if (outcome.kind === 'failed') errors.push(...outcome.errors);
  };
  const lane = async () => {
    for (let group = queue.shift(); group; group = queue.shift())
      for (const row of group) tally(await importRow(deps, ctx, row));
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  errors.sort((a, b) => a.row - b.row);
  return { counts, errors };
}

/**
 * The worker (SQS lead-imports): one page of rows per message.
 * 1. A job that is not running, or whose resume point is past this page (a redelivered message),
 *    imports nothing; the latter queues the job's current page again in case the crash came
 *    between recording a page and queueing the next one (a duplicate page message counts once).
 * 2. Read up to 500 rows from the page's byte offset; import each (import-row.ts); store the
 *    page's error lines; then record the page's counts and the next resume point in one
 *    conditional write (a crash mid-page redoes the page: rows already applied are recognised by
 *    their timeline entry, and nothing is counted twice).
 * 3. Queue the next page, or finish: done (an uploaded file is deleted after a real run; a dry
 *    run's stays for the real run) or failed (the file is not valid CSV from some line on).
 */
export async function runImportPage(
  deps: ImportWorkerDeps,
  importId: string,
  fromRow: number,
): Promise<ImportJob['status'] | 'gone' | 'stale'> {
  const job = await deps.imports.get(importId);
  if (!job) return 'gone';
  if (job.status !== 'running' || !job.plan || !job.startedAt) return job.status;
  if (job.nextRow !== fromRow) {
    if (job.nextRow > fromRow) await deps.queue.page(importId, job.nextRow);
    return 'stale';
  }
  const { plan } = job;
  const ctx: RowContext = { importId, plan, form: importForm(plan.targets), at: job.startedAt };
  const room = MAX_ROWS + 2 - fromRow;
  const rows: CsvRow[] = [];
  try {
    const chunks = deps.files.read(importId, job.nextByte);
    const at = { delimiter: plan.delimiter, fromByte: job.nextByte, fromRow, max: Math.min(PAGE_ROWS, room) };
    for await (const row of readRows(chunks, at)) rows.push(row);
  } catch (error) {
    if (!(error instanceof UnreadableCsvError)) throw error;
    await deps.imports.finish(importId, { status: 'failed', finishedAt: now(deps), error: error.message });
    return 'failed';
  }
  const { counts, errors } = await importRows(deps, ctx, rows);
  if (errors.length > 0) await deps.imports.putErrors(importId, job.run, fromRow, errors, job.expiresAt);
  const last = rows.at(-1);
  const next = last ? { byte: last.endByte, row: last.row + 1 } : { byte: job.nextByte, row: fromRow };
  if (!(await deps.imports.pageDone(importId, fromRow, next, counts))) return 'stale';
  const atEnd = rows.length < Math.min(PAGE_ROWS, room) || next.byte >= (job.bytes ?? 0);
  if (!atEnd && next.row - 2 < MAX_ROWS) {
    await deps.queue.page(importId, next.row);
    return 'running';
  }
  const cut = !atEnd ? { error: TOO_MANY_ROWS } : {};
  await deps.imports.finish(importId, { status: 'done', finishedAt: now(deps), ...cut });
  if (!plan.dryRun) await deps.files.remove(importId);
  return 'done';
}

const now = (deps: { clock: Clock }) => deps.clock.now().toISOString();
