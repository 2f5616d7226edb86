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
}: {
  table: ReportTable;
  valueKey: string;
  title: string;
  unit: string;
}) {
  const labelColumn = table.columns.find((c) => c.kind === 'text') ?? table.columns[0];
  if (!labelColumn || !table.columns.some((c) => c.key === valueKey)) return null;
  const rows = table.rows.map((row) => {
    const raw = row[labelColumn.key];
    const name = labelColumn.key === 'stage' ? stageLabel(String(raw ?? '')) : String(raw ?? '—');
    const value = typeof row[valueKey] === 'number' ? (row[valueKey] as number) : 0;
    return { name, value };
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
              {base && row !== base && (
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
