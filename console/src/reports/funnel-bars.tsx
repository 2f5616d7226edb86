import { fmtCount, stageLabel } from '../format';
import { fmtRate } from './format';
import type { ReportTable } from './types';

/**
 * A table's rows as a funnel: one bar per row (a stage, a sequence step) as wide as its share of
 * the first row, with the number and the share written out (the bars are decoration; the list
 * reads the same without them).
 */
export function FunnelBars({
  table,
  valueKey,
  title,
  unit,
  share = false,
  also = [],
}: {
  table: ReportTable;
  valueKey: string;
  title: string;
  unit: string;
  /** Write each row's share of the first row that holds anything (steps of a sequence). */
  share?: boolean;
  /** Further counts written beside the value, by column key ("3 opened · 1 clicked"). */
  also?: string[];
}) {
  const labelColumn = table.columns.find((c) => c.kind === 'text') ?? table.columns[0];
  if (!labelColumn || !table.columns.some((c) => c.key === valueKey)) return null;
  const rows = table.rows.map((row) => {
    const raw = row[labelColumn.key];
    const name = labelColumn.key === 'stage' ? stageLabel(String(raw ?? '')) : String(raw ?? '—');
    const value = typeof row[valueKey] === 'number' ? (row[valueKey] as number) : 0;
    const more = also
      .map((key) => [key, table.columns.find((c) => c.key === key), row[key]] as const)
      .filter(([, column, n]) => column && typeof n === 'number')
      .map(([key, column, n]) => `${fmtCount(n as number)} ${words(column?.label ?? key)}`);
    return { name, value, more };
  });
  // Shares are of the first row that holds anything (leads may enter past the first stage).
  const base = rows.find((r) => r.value > 0);
  const widest = Math.max(1, ...rows.map((r) => r.value));
  const id = `funnel-${table.id}`;
  return (
    <section class="card funnel" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ol class="funnel-bars">
        {rows.map((row) => (
          <li key={row.name}>
            <span class="funnel-name">{row.name}</span>
            <span class="funnel-track" aria-hidden="true">
              <span class="funnel-bar" style={{ width: `${(100 * row.value) / widest}%` }} />
            </span>
            <span class="funnel-value">
              {fmtCount(row.value)} {unit}
              {row.more.length > 0 && <span class="sub"> · {row.more.join(' · ')}</span>}
              {share && base && row !== base && (
                <span class="sub">
                  {' '}
                  {fmtRate(row.value / base.value)} of {base.name}
                </span>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "Opened (unique)" → "opened": a column label inside a sentence. */
const words = (label: string) => label.replace(/\s*\(.*\)$/, '').toLowerCase();
