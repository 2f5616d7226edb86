import { LazyPage, moduleLoader } from '../lazy';

const page = moduleLoader(() => import('./page'));

/** /console/scoring, or false for another path. */
export const isScoringPath = (path: string) => path === '/console/scoring';

/** The Scoring page, fetched on first use so the console's initial JS does not grow. */
export function LazyScoring() {
  return (
    <LazyPage
      loader={page}
      title="Scoring"
      loadingText="Loading the scoring model…"
      failedWhat="The Scoring page"
    >
      {(m) => <m.ScoringPage />}
    </LazyPage>
  );
}
