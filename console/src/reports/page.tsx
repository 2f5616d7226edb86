import { useEffect, useRef, useState } from 'preact/hooks';
import { fmtTime } from '../format';
import { navigate } from '../router';
import { SeriesChart } from './chart';
import { ReportControls } from './controls';
import { isEmptyReport, rangeLabel } from './format';
import { FunnelBars } from './funnel-bars';
import { useReport } from './load';
import { csvPath, FILTERABLE, type ReportView, readView, viewPath } from './query';
import type { TableOptions } from './table';
import { ReportTableView } from './table';
import { REPORT_IDS, type ReportBody, type ReportId, type ReportRow } from './types';

export const REPORT_TITLES: Record<ReportId, string> = {
  funnel: 'Funnel',
  sources: 'Sources',
  email: 'Email',
  sales: 'Sales',
  scoring: 'Scoring model',
  sequences: 'Sequences',
};

const EMPTY_TEXT: Record<ReportId, string> = {
  funnel: 'No leads in this range yet — widen the range, or capture leads through a form',
  sources: 'No leads in this range yet — leads count under their source once captured',
  email: 'No email in this range yet — enroll leads in a sequence or send a broadcast',
  sales: 'No hand-offs in this range yet — hot leads are handed to sales as they arrive',
  scoring: 'No scored leads in this range yet — leads are scored as they are captured',
  sequences: 'No enrollments in this range yet — leads enter a sequence by its trigger or by hand',
};

/** /console/reports/<report>: the report's period and filters (in the URL), its charts and tables. */
export function ReportsPage({ report, search }: { report: ReportId; search: URLSearchParams }) {
  const view = readView(report, search);
  const [attempt, setAttempt] = useState(0);
  const { load, today, apiUrl } = useReport(view, attempt);
  const title = view.sequence ? `Sequence ${view.sequence}` : REPORT_TITLES[report];
  // The page replaces its loading placeholder: focus lost with it comes to the heading.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!document.activeElement || document.activeElement === document.body) heading.current?.focus();
  }, []);

  return (
    <section class="page reports" aria-labelledby="report-title">
      <p class="crumbs">
        Reports
        {view.sequence && (
          <>
            {' › '}
            <a href={viewPath({ ...view, sequence: undefined })}>Email</a>
          </>
        )}
      </p>
      <div class="page-head">
        <h1 id="report-title" ref={heading} tabIndex={-1}>
          {title}
        </h1>
      </div>
      <ReportNav view={view} />
      <ReportControls view={view} today={today} onChange={(next) => navigate(viewPath(next))} />
      {load.state === 'loading' && (
        <div class="skeleton" aria-busy="true" role="status">
          <span class="visually-hidden">Loading the report…</span>
          {[0, 1, 2, 3].map((i) => (
            <div key={i} class="skeleton-row" aria-hidden="true" />
          ))}
        </div>
      )}
      {load.state === 'error' && (
        <div class="error-state" role="alert">
          <p>The report could not be loaded: {load.message}</p>
          {load.details.length > 0 && (
            <ul>
              {load.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
          <button type="button" class="button" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}
      {load.state === 'ready' && (
        <ReportBodyView body={load.body} view={view} today={today} apiUrl={apiUrl} />
      )}
    </section>
  );
}

/** The reports as links that keep the period (and the filters where the other report has them). */
function ReportNav({ view }: { view: ReportView }) {
  return (
    <nav class="report-nav" aria-label="Reports">
      <ul>
        {REPORT_IDS.map((id) => {
          const next = { ...view, report: id, sequence: undefined };
          if (!FILTERABLE.has(id)) next.filters = {};
          return (
            <li key={id}>
              <a
                href={viewPath(next)}
                aria-current={id === view.report && !view.sequence ? 'page' : undefined}
              >
                {REPORT_TITLES[id]}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function ReportBodyView(props: { body: ReportBody; view: ReportView; today: string; apiUrl: string }) {
  const { body, view, today, apiUrl } = props;
  const meta = (
    <p class="report-meta">
      <span>
        {rangeLabel(body.from, body.to)} · by {body.interval} · {body.timeZone}
      </span>
      <span>
        {body.freshAsOf
          ? `Data as of ${fmtTime(body.freshAsOf)}`
          : 'Not counted yet: reports count new timeline entries every minute'}
      </span>
    </p>
  );
  if (isEmptyReport(body))
    return (
      <>
        {meta}
        <div class="empty">
          <h2>{EMPTY_TEXT[view.report]}.</h2>
          <p>Reports count new timeline entries within a minute of them happening.</p>
        </div>
      </>
    );
  const options = (tableId: string): TableOptions => {
    const path = csvPath(view, today, tableId);
    return {
      compare: view.compare,
      csv: { path, href: `${apiUrl}${path}` },
      rowLink: view.report === 'email' && tableId === 'sequences' ? sequenceLink(view) : undefined,
    };
  };
  const stages = body.tables.find((t) => t.id === 'stages');
  const steps = body.tables.find((t) => t.id === 'steps');
  return (
    <>
      {meta}
      {view.report === 'funnel' && stages && (
        <FunnelBars table={stages} valueKey="entered" title="Leads that entered each stage" unit="entered" />
      )}
      {view.sequence && steps && (
        <FunnelBars
          table={steps}
          valueKey="sent"
          title="The sequence's steps"
          unit="sent"
          share
          also={['opened', 'clicked']}
        />
      )}
      {body.series.map((s) => (
        <SeriesChart key={s.id} series={s} interval={body.interval} />
      ))}
      {body.tables.filter(shown).map((t) => (
        <ReportTableView key={t.id} table={t} options={options(t.id)} />
      ))}
    </>
  );
}

/** A sequence without A/B steps has no variant rows: its empty variants table is left out. */
const shown = (table: { id: string; rows: unknown[] }) => table.id !== 'variants' || table.rows.length > 0;

/** The email report's sequence rows open that sequence's steps. */
function sequenceLink(view: ReportView) {
  return (row: ReportRow) => {
    const id = row.sequenceId ?? row.sequence;
    return typeof id === 'string' && id ? viewPath({ ...view, sequence: id }) : undefined;
  };
}
