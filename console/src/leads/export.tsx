import { useState } from 'preact/hooks';
import { api, problem } from '../api';
import { exportPath, type Filters } from './filters';

interface ExportStatus {
  exportId: string;
  status: 'running' | 'ready' | 'failed';
  rows: number;
  url?: string;
}

/** Saves a file the browser holds (a Blob) or points at (a URL) under `name`. */
function save(href: string, name: string): void {
  const link = document.createElement('a');
  link.href = href;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * CSV export of the current filter: the file at once when the API builds it synchronously (200),
 * else (202) the background export is followed until its file is ready.
 */
export function ExportButton({ filters }: { filters: Filters }) {
  const [status, setStatus] = useState<string>('');
  const [busy, setBusy] = useState(false);

  const run = async () => {
    setBusy(true);
    setStatus('Preparing the CSV…');
    try {
      const res = await api.fetch(exportPath(filters));
      if (res.status === 202) {
        let job = (await res.json()) as ExportStatus;
        while (job.status === 'running') {
          setStatus(`Exporting in the background: ${job.rows} rows so far…`);
          await new Promise((resolve) => setTimeout(resolve, 2000));
          job = await api.get<ExportStatus>(`/v1/admin/exports/${encodeURIComponent(job.exportId)}`);
        }
        if (job.status !== 'ready' || !job.url) throw new Error('The export failed. Try again.');
        save(job.url, `leads-${new Date().toISOString().slice(0, 10)}.csv`);
        setStatus(`Downloaded ${job.rows} rows.`);
        return;
      }
      const disposition = res.headers.get('content-disposition') ?? '';
      const name =
        /filename="([^"]+)"/.exec(disposition)?.[1] ?? `leads-${new Date().toISOString().slice(0, 10)}.csv`;
      const blob = await res.blob();
      const url = URL.createObjectURL(blob);
      save(url, name);
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus('Downloaded.');
    } catch (error) {
      setStatus(`Export failed: ${problem(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="export">
      <button type="button" class="button" onClick={run} disabled={busy}>
        Export CSV
      </button>
      <span class="status" role="status">
        {status}
      </span>
    </div>
  );
}
