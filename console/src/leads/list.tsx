import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtAgo, fmtTime, stageLabel } from '../format';
import { navigate } from '../router';
import { ExportButton } from './export';
import { FilterForm } from './filter-form';
import { type Filters, isFiltered, listPath, rangeText, readFilters, writeFilters } from './filters';
import type { LeadList } from './types';

const PAGE_SIZE = 25;

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; list: LeadList };

/** Leads: search, filters and sort from the URL, pages by cursor, CSV export of the same filter. */
export function LeadsPage({ search, canImport = false }: { search: URLSearchParams; canImport?: boolean }) {
  const filters = readFilters(search);
  const query = writeFilters(filters);
  // cursors[i] opens page i; page 0 has none. A new filter starts again at page 0.
  const [pages, setPages] = useState<{ query: string; cursors: (string | null)[]; index: number }>({
    query,
    cursors: [null],
    index: 0,
  });
  const paging = pages.query === query ? pages : { query, cursors: [null], index: 0 };
  const cursor = paging.cursors[paging.index] ?? null;
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    api.get<LeadList>(listPath(filters, cursor, PAGE_SIZE)).then(
      (list) => live && setLoad({ state: 'ready', list }),
      (error) => live && setLoad({ state: 'error', message: problem(error) }),
    );
    return () => {
      live = false;
    };
  }, [query, cursor, attempt]);

  const apply = (next: Filters) => {
    const q = writeFilters(next);
    navigate(`/console/leads${q ? `?${q}` : ''}`);
  };
  const go = (index: number, next?: string | null) => {
    const cursors = paging.cursors.slice(0, index);
    cursors[index] = next ?? paging.cursors[index] ?? null;
    setPages({ query, cursors, index });
  };

  return (
    <section class="page" aria-labelledby="leads-title">
      <div class="page-head">
        <h1 id="leads-title" tabIndex={-1}>
          Leads
        </h1>
        <div class="page-actions">
          {canImport && (
            <a class="button" href="/console/leads/import">
              Import CSV
            </a>
          )}
          <ExportButton filters={filters} total={load.state === 'ready' ? load.list.total : null} />
        </div>
      </div>
      {search.get('erased') && (
        <p class="notice" role="status">
          {search.get('erased')} was erased.
        </p>
      )}
      <FilterForm key={query} filters={filters} onApply={apply} />
      {load.state === 'loading' && <Skeleton />}
      {load.state === 'error' && (
        <div class="error-state" role="alert">
          <p>The leads could not be loaded: {load.message}</p>
          <button type="button" class="button" onClick={() => setAttempt((n) => n + 1)}>
            Retry
          </button>
        </div>
      )}
      {load.state === 'ready' && load.list.leads.length === 0 && <Empty filtered={isFiltered(filters)} />}
      {load.state === 'ready' && load.list.leads.length > 0 && (
        <>
          <LeadTable list={load.list} />
          <nav class="pager" aria-label="Pages">
            <p aria-live="polite">
              {rangeText(
                paging.index * PAGE_SIZE + 1,
                load.list.leads.length,
                load.list.total,
                load.list.totalExact,
              )}
            </p>
            <button
              type="button"
              class="button"
              disabled={paging.index === 0}
              onClick={() => go(paging.index - 1)}
            >
              Previous
            </button>
            <button
              type="button"
              class="button"
              disabled={!load.list.cursor}
              onClick={() => go(paging.index + 1, load.list.cursor)}
            >
              Next
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

function Empty({ filtered }: { filtered: boolean }) {
  if (filtered)
    return (
      <div class="empty">
        <h2>No lead matches these filters</h2>
        <p>
          Widen the search or <a href="/console/leads">clear filters</a>.
        </p>
      </div>
    );
  return (
    <div class="empty">
      <h2>No leads yet</h2>
      <p>
        Put a form on your site: paste a form that posts to <code>/v1/forms/&lt;formId&gt;/submissions</code>{' '}
        (see "Embed a form on a website" in the README), or connect an ad platform's lead forms. Leads show
        here as they arrive.
      </p>
    </div>
  );
}

function Skeleton() {
  return (
    <div class="skeleton" aria-busy="true" role="status">
      <span class="visually-hidden">Loading leads…</span>
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} class="skeleton-row" aria-hidden="true" />
      ))}
    </div>
  );
}

function LeadTable({ list }: { list: LeadList }) {
  return (
    <table class="leads">
      <caption class="visually-hidden">Leads matching the filters</caption>
      <thead>
        <tr>
          <th scope="col">Lead</th>
          <th scope="col">Stage</th>
          <th scope="col">Score</th>
          <th scope="col">Source</th>
          <th scope="col">Last activity</th>
          <th scope="col">Owner</th>
        </tr>
      </thead>
      <tbody>
        {list.leads.map((lead) => (
          <tr key={lead.leadId}>
            <td data-label="Lead">
              <a class="lead-link" href={`/console/leads/${encodeURIComponent(lead.leadId)}`}>
                {lead.name ?? lead.email}
              </a>
              <span class="sub">
                {lead.name ? lead.email : ''}
                {lead.company ? `${lead.name ? ' · ' : ''}${lead.company}` : ''}
              </span>
              {lead.test && <span class="tag">test</span>}
              {lead.suppressed && <span class="tag warn">suppressed</span>}
            </td>
            <td data-label="Stage">
              <span class={`stage stage-${lead.stage}`}>{stageLabel(lead.stage)}</span>
            </td>
            <td data-label="Score">
              {lead.score === null ? '—' : lead.score}
              {lead.grade && <span class="grade"> {lead.grade}</span>}
            </td>
            <td data-label="Source">
              {lead.source ?? '—'}
              {lead.utmCampaign && <span class="sub">{lead.utmCampaign}</span>}
            </td>
            <td data-label="Last activity">
              <time
                dateTime={lead.lastActivityAt ?? lead.createdAt}
                title={fmtTime(lead.lastActivityAt ?? lead.createdAt)}
              >
                {fmtAgo(lead.lastActivityAt ?? lead.createdAt)}
              </time>
            </td>
            <td data-label="Owner">{lead.owner?.repName ?? '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
