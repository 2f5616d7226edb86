import { useEffect } from 'preact/hooks';
import { LazyPage, moduleLoader } from '../lazy';
import { navigate } from '../router';
import type { ReportId } from './types';

export { reportOfPath } from './query';

const page = moduleLoader(() => import('./page'));

/**
 * The reports pages, fetched on first use (their own file: charts and tables stay out of the
 * console's initial JS). /console/reports opens the funnel.
 */
export function LazyReports({ report, search }: { report: ReportId | 'index'; search: URLSearchParams }) {
  useEffect(() => {
    if (report === 'index') navigate('/console/reports/funnel', { replace: true });
  }, [report]);
  return (
    <LazyPage
      loader={page}
      title="Reports"
      loadingText="Loading the reports…"
      failedWhat="The reports page"
      ready={report !== 'index'}
    >
      {(m) => (report === 'index' ? null : <m.ReportsPage report={report} search={search} />)}
    </LazyPage>
  );
}
