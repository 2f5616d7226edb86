import { useEffect, useState } from 'preact/hooks';

type ScoringModule = typeof import('./page');
let loading: Promise<ScoringModule> | undefined;

/** /console/scoring, or false for another path. */
export const isScoringPath = (path: string) => path === '/console/scoring';

/** The Scoring page, fetched on first use so the console's initial JS does not grow. */
export function LazyScoring() {
  const [module, setModule] = useState<ScoringModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    loading ??= import('./page');
    loading.then(
      (m) => setModule(() => m),
      () => {
        loading = undefined;
        setFailed(true);
      },
    );
  }, [attempt]);
  if (module) return <module.ScoringPage />;
  return (
    <section class="page">
      <h1 tabIndex={-1}>Scoring</h1>
      {failed ? (
        <div class="error-state" role="alert">
          <p>The Scoring page could not be loaded. Check your connection and try again.</p>
          <button
            type="button"
            class="button"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            Retry
          </button>
        </div>
      ) : (
        <p class="empty" role="status">
          Loading the scoring model…
        </p>
      )}
    </section>
  );
}
