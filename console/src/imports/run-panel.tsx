import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtCount } from '../format';
import { saveResponse } from '../leads/export';
import type { ImportView } from './run';

type Counts = ImportView['counts'];
const ROWS: { key: keyof Counts; done: string; dry: string }[] = [
  { key: 'created', done: 'New leads created', dry: 'New leads would be created' },
  { key: 'updated', done: 'Leads updated', dry: 'Leads would be updated' },
  { key: 'unchanged', done: 'Already up to date (nothing written)', dry: 'Already up to date' },
  {
    key: 'suppressed',
    done: 'Suppressed addresses skipped (they stay suppressed)',
    dry: 'Suppressed addresses would be skipped (they stay suppressed)',
  },
  { key: 'skipped', done: 'Blank rows skipped', dry: 'Blank rows would be skipped' },
  { key: 'failed', done: 'Rows with errors (not imported)', dry: 'Rows with errors (would not be imported)' },
];

/** A run while it goes: rows read so far against the file's row count, as a progress bar. */
export function RunProgress({ view, rows }: { view: ImportView; rows: number | null }) {
  const read = view.counts.read;
  const what = view.dryRun ? 'Dry run' : 'Import';
  const text =
    rows && rows > 0
      ? `${what}: ${fmtCount(Math.min(read, rows))} of about ${fmtCount(rows)} rows read`
      : `${what}: ${fmtCount(read)} rows read so far`;
  return (
    <div class="imp-progress">
      <progress
        aria-label={`${what} progress`}
        {...(rows && rows > 0 ? { max: rows, value: Math.min(read, rows) } : {})}
        aria-valuetext={text}
      />
      <p role="status">{text}…</p>
    </div>
  );
}

/** What a finished run did (or, dry, would do), with the error report to download when a row failed. */
export function RunResult({ view }: { view: ImportView }) {
  const dry = view.dryRun === true;
  const [message, setMessage] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  // The result replaces the progress: move the focus to it, so a screen reader reads it out.
  useEffect(() => heading.current?.focus(), []);
  const download = async (path: string) => {
    setMessage('');
    try {
      await saveResponse(await api.fetch(path), `import-errors-${view.importId}.csv`);
      setMessage('Error report downloaded.');
    } catch (error) {
      setMessage(`The error report could not be downloaded: ${problem(error)}`);
    }
  };
  if (view.status === 'failed')
    return (
      <div class="error-state" role="alert">
        <p>
          The {dry ? 'dry run' : 'import'} stopped: {view.error ?? 'the file could not be read.'}
        </p>
      </div>
    );
  return (
    <div class="imp-result">
      <h2 tabIndex={-1} ref={heading}>
        {dry ? 'Dry run: what the import would do' : 'Import done'}
      </h2>
      <p>
        {fmtCount(view.counts.read)} rows read{dry ? '; nothing was changed.' : '.'}
      </p>
      <table class="imp-counts">
        <caption class="visually-hidden">
          {dry ? 'What would happen to the rows' : 'What happened to the rows'}
        </caption>
        <tbody>
          {ROWS.map((row) => (
            <tr
              key={row.key}
              class={row.key === 'failed' && view.counts.failed > 0 ? 'imp-failed' : undefined}
            >
              <th scope="row">{dry ? row.dry : row.done}</th>
              <td class="num">{fmtCount(view.counts[row.key])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {view.errorReport ? (
        <p>
          <button type="button" class="button" onClick={() => download(view.errorReport as string)}>
            Download the error report (CSV)
          </button>{' '}
          <span class="sub">
            Row, column and reason for each row with an error; fix them and import those rows again.
          </span>
        </p>
      ) : null}
      <p class="sub" role="status">
        {message}
      </p>
    </div>
  );
}
