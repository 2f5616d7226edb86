import { readFile } from 'node:fs/promises';

/**
 * `leadflow import FILE --map header=field,... --consent-basis BASIS [--dry-run]`: a CSV lead import
 * through the API, as the console does it — make the import, PUT the file to its upload link
 * (presigned S3 on AWS), start it with the mapping and the consent basis, then follow it to the end.
 */

export interface ImportOptions {
  url: string;
  /** A marketing or admin token. */
  token: string;
  file: string;
  /** `header=field` pairs: field is a standard field, custom:<name> or ignore. */
  map: string[];
  consent: { basis: string; text?: string; proofSource?: string; givenAt?: string };
  consentColumn?: string;
  dryRun: boolean;
  /** How often to ask for progress. @default 1000 */
  pollMs?: number;
}

export class ImportCliError extends Error {}

/** `--map "E-mail=email,First name=firstName" --map Plan=custom:plan` → { header: target }. */
export function parseMapping(pairs: string[]): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of pairs.flatMap((p) => p.split(','))) {
    const at = pair.lastIndexOf('=');
    const header = pair.slice(0, at).trim();
    const target = pair.slice(at + 1).trim();
    if (at <= 0 || !header || !target) throw new ImportCliError(`--map wants header=field, got "${pair}"`);
    mapping[header] = target;
  }
  if (Object.keys(mapping).length === 0)
    throw new ImportCliError('--map is required (e.g. --map Email=email)');
  return mapping;
}

// biome-ignore lint/suspicious/noExplicitAny: the API's JSON answers, read field by field below
type Json = any;

async function call(options: ImportOptions, method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${options.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${options.token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json().catch(() => undefined);
  if (!res.ok) {
    const details = (json?.error?.details ?? []).map((d: Json) => `\n  ${d.path}: ${d.message}`).join('');
    throw new ImportCliError(`${method} ${path}: ${res.status} ${json?.error?.message ?? ''}${details}`);
  }
  return json;
}

/** One line of progress or the summary: the counts as the API gives them. */
export function formatCounts(view: Json): string {
  const c = view.counts;
  return `${view.status}${view.dryRun ? ' (dry run)' : ''}: ${c.read} rows read, ${c.created} created, ${c.updated} updated, ${c.unchanged} unchanged, ${c.suppressed} suppressed, ${c.skipped} skipped, ${c.failed} failed`;
}

/** Runs the import and reports each progress line; resolves with the final view. */
export async function importFile(options: ImportOptions, report: (line: string) => void): Promise<Json> {
  const mapping = parseMapping(options.map);
  const body = await readFile(options.file);
  const made = await call(options, 'POST', '/v1/admin/leads/imports');
  if (body.byteLength > made.upload.maxBytes)
    throw new ImportCliError(`${options.file} is larger than ${made.upload.maxBytes} bytes: split it`);
  const put = await fetch(made.upload.url, { method: 'PUT', body, headers: { 'content-type': 'text/csv' } });
  if (!put.ok) throw new ImportCliError(`upload failed: ${put.status}`);
  report(`uploaded ${options.file} (${body.byteLength} bytes) as import ${made.importId}`);
  const path = `/v1/admin/leads/imports/${made.importId}`;
  await call(options, 'POST', `${path}/start`, {
    mapping,
    consent: options.consent,
    ...(options.consentColumn ? { consentColumn: options.consentColumn } : {}),
    dryRun: options.dryRun,
  });
  let view: Json;
  let last = '';
  for (;;) {
    view = await call(options, 'GET', path);
    const line = formatCounts(view);
    if (line !== last) report(line);
    last = line;
    if (view.status !== 'running') break;
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1000));
  }
  if (view.error) report(view.error);
  if (view.errorReport)
    report(`error report (row, column, reason): ${options.url}${view.errorReport} (with the same token)`);
  if (view.dryRun && view.status === 'done')
    report(`nothing was changed; to import for real: POST ${options.url}${path}/start with dryRun false`);
  return view;
}
