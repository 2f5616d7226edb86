import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtCount, fmtTime } from '../format';
import type { ChangedBy, RescoreProgress, VersionSummary } from './types';

const byWhom = (by: ChangedBy | undefined) => (by ? <span class="sub"> by {by.name}</span> : null);

/** The scoring model's versions, newest first: when each was saved and activated, the active one marked. */
export function VersionsTable(props: {
  versions: VersionSummary[];
  activeVersion: number | null;
  busy: boolean;
  onActivate: (version: number) => void;
}) {
  if (props.versions.length === 0) return <p class="empty">No version is stored yet.</p>;
  return (
    <div class="sc-table-wrap">
      <table class="compact sc-versions">
        <caption>Versions of the scoring model</caption>
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Saved</th>
            <th scope="col">Last activated</th>
            <th scope="col">
              <span class="visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.versions.map((v) => (
            <tr key={v.version} aria-current={v.version === props.activeVersion ? 'true' : undefined}>
              <td>
                {v.version}
                {v.version === props.activeVersion ? <span class="sc-badge"> active</span> : null}
              </td>
              <td>
                {fmtTime(v.createdAt)}
                {byWhom(v.createdBy)}
              </td>
              <td>
                {v.activatedAt ? fmtTime(v.activatedAt) : 'never'}
                {byWhom(v.activatedBy)}
              </td>
              <td>
                {v.version === props.activeVersion ? null : (
                  <button
                    type="button"
                    class="button quiet"
                    disabled={props.busy}
                    onClick={() => props.onActivate(v.version)}
                  >
                    Activate version {v.version}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * The rescore that activating a version starts, polled each second while it runs. The job counts
 * the leads it has checked; it does not know how many there are, so the bar has no end until it is done.
 */
export function useRescore(pollMs = 1000): [RescoreProgress | null, string | null, () => void] {
  const [job, setJob] = useState<RescoreProgress | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const { job: latest } = await api.get<{ job: RescoreProgress | null }>('/v1/admin/scoring/rescore');
        if (stopped) return;
        setJob(latest);
        setError(null);
        if (latest?.status === 'running') timer = setTimeout(poll, pollMs);
      } catch (e) {
        if (stopped) return;
        setError(problem(e));
        timer = setTimeout(poll, pollMs * 5);
      }
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [tick, pollMs]);
  return [job, error, () => setTick((n) => n + 1)];
}

export function RescoreStatus({ job, error }: { job: RescoreProgress | null; error: string | null }) {
  if (!job && !error) return null;
  const counts = job
    ? `${fmtCount(job.scanned)} leads checked (${fmtCount(job.pages)} pages), ${fmtCount(job.rescored)} rescored, ${fmtCount(job.changed)} changed`
    : '';
  return (
    <div class="sc-rescore" role="status">
      {job?.status === 'running' ? (
        <>
          <p>
            Rescoring every lead under version {job.version}: {counts}.
          </p>
          <progress aria-label={`Rescore of version ${job.version}`} />
        </>
      ) : null}
      {job?.status === 'done' ? (
        <>
          <p>
            Rescore of version {job.version} done{job.finishedAt ? ` at ${fmtTime(job.finishedAt)}` : ''}:{' '}
            {counts}.
          </p>
          <progress aria-label={`Rescore of version ${job.version}`} value={1} max={1} />
        </>
      ) : null}
      {job?.status === 'superseded' ? (
        <p>
          The rescore of version {job.version} stopped: another version was activated ({counts}).
        </p>
      ) : null}
      {error ? <p class="field-error">Rescore progress could not be read: {error}</p> : null}
    </div>
  );
}
