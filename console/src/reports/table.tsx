import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { api, problem } from '../api';
import { stageLabel } from '../format';
import { delta, fmtCell, previousByRow } from './format';
import type { ReportCell, ReportColumn, ReportRow, ReportTable } from './types';

export interface TableOptions {
  compare: boolean;
  /** The API path of this table as CSV, and its absolute URL for the link. */
  csv: { path: string; href: string };
  /** A link for a row's first cell (the email report's sequences open their steps). */
  rowLink?: (row: ReportRow) => string | undefined;
}

/**
 * One report table: caption, column and row headers, numbers right-aligned, rates as %, hours
 * humanized, the change against the previous period when compared, and a CSV download.
 */
export function ReportTableView({ table, options }: { table: ReportTable; options: TableOptions }) {
  const headingId = `report-table-${table.id}`;
  const previous = previousByRow(table.columns, table.rows, options.compare ? table.previous : undefined);
  const [first, ...rest] = table.columns;
  return (
    <section class="card report-table" aria-labelledby={headingId}>
      <div class="card-head">
        <h2 id={headingId}>{table.title}</h2>
        <DownloadCsv title={table.title} csv={options.csv} />
      </div>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard to scroll */}
      <section class="table-scroll" tabIndex={0} aria-labelledby={headingId}>
        <table class="report">
          <caption class="visually-hidden">
            {table.title}
            {options.compare ? ', with the change against the previous period' : ''}
          </caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c.key} scope="col" class={c.kind === 'text' ? undefined : 'num'}>
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 && (
              <tr>
                <td colSpan={table.columns.length} class="empty">
                  Nothing in this range.
                </td>
              </tr>
            )}
            {table.rows.map((row, i) => {
              const link = first ? options.rowLink?.(row) : undefined;
              return (
                <tr key={i}>
                  {first && (
                    <th scope="row" class={first.kind === 'text' ? undefined : 'num'}>
                      <Cell
                        column={first}
                        value={row[first.key]}
                        before={previous[i]?.[first.key]}
                        link={link}
                      />
                    </th>
                  )}
                  {rest.map((c) => (
                    <td key={c.key} class={c.kind === 'text' ? undefined : 'num'}>
                      <Cell column={c} value={row[c.key]} before={previous[i]?.[c.key]} />
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>
    </section>
  );
}

/** Stage names in a text column read as people write them (MQL, SQL); other text as it is. */
function text(column: ReportColumn, value: ReportCell): string {
  if (column.key === 'stage' && typeof value === 'string') return stageLabel(value);
  return fmtCell(column.kind, value);
}

function Cell(props: { column: ReportColumn; value: ReportCell; before: ReportCell; link?: string }) {
  const { column, value, before, link } = props;
  const shown: ComponentChildren = link ? <a href={link}>{text(column, value)}</a> : text(column, value);
  const change = delta(column.kind, value, before);
  if (!change) return <>{shown}</>;
  return (
    <>
      {shown}
      <span class={`delta ${change.direction}`} aria-hidden="true">
        {change.text}
      </span>
      <span class="visually-hidden">, {change.spoken}</span>
    </>
  );
}

/** Saves what the API answered as a file (the token goes in a header, so a plain link cannot). */
function DownloadCsv({ title, csv }: { title: string; csv: TableOptions['csv'] }) {
  const [status, setStatus] = useState('');
  const download = async (event: MouseEvent) => {
    event.preventDefault();
    setStatus('Preparing the CSV…');
    try {
      const res = await api.fetch(csv.path);
      const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1];
      const url = URL.createObjectURL(await res.blob());
      const link = document.createElement('a');
      link.href = url;
      link.download = name ?? `${title.toLowerCase().replace(/\W+/g, '-')}.csv`;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setStatus('Downloaded.');
    } catch (error) {
      setStatus(`Download failed: ${problem(error)}`);
    }
  };
  return (
    <span class="export">
      <a href={csv.href} download onClick={download}>
        Download CSV<span class="visually-hidden"> of {title}</span>
      </a>
      <span class="status" role="status">
        {status}
      </span>
    </span>
  );
}
