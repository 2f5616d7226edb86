import { useEffect, useState } from 'preact/hooks';
import { navigate } from '../router';
import type { ReportId } from './types';

export { reportOfPath } from './query';

type ReportsModule = typeof import('./page');
let loading: Promise<ReportsModule> | undefined;

/**
 * The reports pages, fetched on first use (their own file: charts and tables stay out of the
 * console's initial JS). /console/reports opens the funnel.
 */
export function LazyReports({ report, search }: { report: ReportId | 'index'; search: URLSearchParams }) {
  const [module, setModule] = useState<ReportsModule | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (report === 'index') navigate('/console/reports/funnel', { replace: true });
  }, [report]);
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
  if (failed)
    return (
      <section class="page">
        <h1 tabIndex={-1}>Reports</h1>
        <div class="error-state" role="alert">
          <p>The reports page could not be loaded. Check your connection and try again.</p>
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
      </section>
    );
  if (!module || report === 'index')
    return (
      <section class="page">
        <h1 tabIndex={-1}>Reports</h1>
        <p class="empty" role="status">
          Loading the reports…
        </p>
      </section>
    );
  return <module.ReportsPage report={report} search={search} />;
}
