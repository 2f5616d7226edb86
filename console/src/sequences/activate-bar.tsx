import { useEffect, useState } from 'preact/hooks';
import { ApiError, problem } from '../api';
import { lineDiff } from './line-diff';
import { activateVersion, diffVersions } from './save';
import type { ConfigDiff } from './types';

const KINDS = ['sequences', 'templates', 'segments', 'settings'] as const;

/**
 * A saved version, before it is activated: what changed against the active version (the diff
 * route's ids, and this sequence's own lines), then Activate.
 */
export function ActivateBar({
  active,
  saved,
  before,
  after,
  onActivated,
  onConflict,
}: {
  active: number;
  saved: number;
  before: string;
  after: string;
  onActivated: (version: number) => void;
  onConflict: (error: ApiError) => void;
}) {
  const [diff, setDiff] = useState<ConfigDiff | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    setDiff(null);
    diffVersions(active, saved).then(setDiff, (e) => setError(problem(e)));
  }, [active, saved]);
  const lines = lineDiff(before, after).filter((l) => l.kind !== 'same');
  const activate = async () => {
    setBusy(true);
    setError('');
    try {
      await activateVersion(saved, active);
      onActivated(saved);
    } catch (e) {
      if (e instanceof ApiError && e.versionConflict) onConflict(e);
      else setError(problem(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card seq-activate" aria-labelledby="seq-diff-title">
      <h2 id="seq-diff-title">
        Version {saved} against the active version {active}
      </h2>
      {diff ? (
        <ul class="seq-diff-summary">
          {KINDS.flatMap((kind) =>
            (['added', 'removed', 'changed'] as const)
              .filter((what) => diff[kind][what].length > 0)
              .map((what) => (
                <li key={`${kind}-${what}`}>
                  {kind[0]?.toUpperCase()}
                  {kind.slice(1)} {what}: {diff[kind][what].join(', ')}
                </li>
              )),
          )}
          {diff.layout.changed ? <li>The layout changed</li> : null}
        </ul>
      ) : (
        <p role="status">Comparing the versions…</p>
      )}
      {lines.length > 0 ? (
        <figure class="seq-diff-figure">
          <figcaption>Changed lines of this sequence</figcaption>
          <pre class="seq-diff">
            {lines.map((l, i) => (
              <span key={i} class={`seq-diff-${l.kind}`}>
                {l.kind === 'added' ? '+ ' : '- '}
                {l.text}
                <span class="visually-hidden">{l.kind === 'added' ? ' (added)' : ' (removed)'}</span>
                {'\n'}
              </span>
            ))}
          </pre>
        </figure>
      ) : null}
      <p class="sub">Nothing changes for leads until you activate it.</p>
      <button type="button" class="button primary" disabled={busy} onClick={activate}>
        Activate version {saved}
      </button>
      {error ? (
        <p class="error-state" role="alert">
          {error}
        </p>
      ) : null}
    </section>
  );
}
