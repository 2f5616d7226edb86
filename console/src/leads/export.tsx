import { useEffect, useRef, useState } from 'preact/hooks';
import { EXPORT_MAX_ROWS } from '../../../functions/core/leads/lead-export-limits';
import { ApiError, api, problem } from '../api';
import { consoleConfig } from '../config';
import { exportPath, type Filters, writeFilters } from './filters';
import type { LeadExportView } from './types';

/** Saves a file the browser holds (a Blob) or points at (a URL) under `name`. */
function save(href: string, name: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

/** Saves a file the API answered (its Content-Disposition name, or `fallback`). */
export async function saveResponse(res: Response, fallback: string): Promise<void> {
  const disposition = res.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? fallback;
  const url = URL.createObjectURL(await res.blob());
  save(url, name);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * The file of a ready background export: served by this API (locally: fetched with the person's
 * token), or a presigned S3 link (on AWS: the browser opens it, no token goes to S3).
 */
async function downloadExport(job: LeadExportView): Promise<void> {
  const download = job.download;
  if (!download) throw new Error('The export has no file.');
  const { apiUrl } = await consoleConfig();
  if (download.url.startsWith(`${apiUrl}/`)) {
    await saveResponse(await api.fetch(download.url.slice(apiUrl.length)), download.fileName);
  } else {
    save(download.url, download.fileName);
  }
}

type State =
  | { kind: 'idle'; message: string }
  | { kind: 'busy'; message: string }
  | { kind: 'background'; job: LeadExportView }
  | { kind: 'ready'; job: LeadExportView; message: string };

const POLL_MS = 1500;
const fmt = new Intl.NumberFormat('en');

/**
 * CSV export of the current filter: the file at once up to 10,000 rows; a larger filter (the
 * list's total says so, or the API answers 422 export_too_large) starts a background export,
 * shows its progress and offers the file when it is ready.
 */
export function ExportButton({ filters, total }: { filters: Filters; total: number | null }) {
  const [state, setState] = useState<State>({ kind: 'idle', message: '' });
  const live = useRef(true);
  useEffect(
    () => () => {
      live.current = false;
    },
    [],
  );

  const follow = async (started: LeadExportView) => {
    let job = started;
    while (job.status === 'running' && live.current) {
      setState({ kind: 'background', job });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      job = await api.get<LeadExportView>(`/v1/admin/leads/exports/${encodeURIComponent(job.exportId)}`);
    }
    if (!live.current) return;
    if (job.status !== 'ready') throw new Error(job.error ?? 'The export failed. Try again.');
    setState({ kind: 'ready', job, message: `Your export is ready: ${fmt.format(job.rows)} rows.` });
  };

  const background = async () => {
    try {
      const body = Object.fromEntries(new URLSearchParams(writeFilters(filters)));
      await follow(await api.post<LeadExportView>('/v1/admin/leads/exports', body));
    } catch (failure) {
      setState({ kind: 'idle', message: `Export failed: ${problem(failure)}` });
    }
  };

  const run = async () => {
    setState({ kind: 'busy', message: 'Preparing the CSV…' });
    // The list counted more than the direct export takes: straight to the background.
    if (total !== null && total > EXPORT_MAX_ROWS) return background();
    try {
      const res = await api.fetch(exportPath(filters));
      await saveResponse(res, `leads-${new Date().toISOString().slice(0, 10)}.csv`);
      setState({ kind: 'idle', message: 'Downloaded.' });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'export_too_large') return background();
      setState({ kind: 'idle', message: `Export failed: ${problem(error)}` });
    }
  };

  const fetchFile = async (job: LeadExportView) => {
    try {
      await downloadExport(job);
      setState({ kind: 'idle', message: `Downloaded ${fmt.format(job.rows)} rows.` });
    } catch (error) {
      setState({ kind: 'ready', job, message: `The download failed: ${problem(error)}` });
    }
  };

  return (
    <div class="export">
      {state.kind === 'ready' ? (
        <button type="button" class="button primary" onClick={() => fetchFile(state.job)}>
          Download CSV
        </button>
      ) : (
        <button
          type="button"
          class="button"
          onClick={run}
          disabled={state.kind === 'busy' || state.kind === 'background'}
        >
          Export CSV
        </button>
      )}
      {state.kind === 'background' && (
        <progress aria-label="Export progress" aria-valuetext={`${state.job.rows} rows so far`} />
      )}
      <span class="status" role="status">
        {state.kind === 'background'
          ? `More than 10,000 leads: exporting in the background, ${fmt.format(state.job.rows)} rows so far. You can keep working; the file is kept 7 days.`
          : state.message}
      </span>
    </div>
  );
}
