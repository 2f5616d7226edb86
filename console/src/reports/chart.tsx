import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { fmtCount, stageLabel } from '../format';
import { periodLabel } from './format';
import { labelEvery, niceScale } from './scale';
import type { Interval, ReportSeries } from './types';

/*
 * Charts are inline SVG, no library: a line per key over the periods is all the reports draw, in
 * ~2 KB, where the small maintained chart libraries (uPlot, Chart.js) would add 20-70 KB and a
 * canvas that screen readers cannot read. Each chart has an accessible name and its data as a table.
 */
// Neighbouring keys (lead, MQL, hot, SQL) get hues far apart.
const COLOURS = [
  '#1f5fbf',
  '#c2410c',
  '#1c7c4a',
  '#7c3aed',
  '#0e7490',
  '#be185d',
  '#8a5a00',
  '#b42318',
  '#4a5868',
];
const H = 240;
const PAD = { top: 12, right: 28, bottom: 28, left: 44 };

/** A series as a line chart with a legend and, under "Show the data", the same numbers as a table. */
export function SeriesChart({ series, interval }: { series: ReportSeries; interval: Interval }) {
  const id = useId();
  // Drawn at the figure's own width, so the axis text stays readable on a phone.
  const figure = useRef<HTMLElement>(null);
  const [W, setW] = useState(720);
  useEffect(() => {
    const el = figure.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setW(Math.max(280, Math.round(el.clientWidth - 34))));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const points = series.points;
  const drawn = series.keys.filter((key) => points.some((p) => (p.values[key] ?? 0) !== 0));
  const max = Math.max(0, ...points.flatMap((p) => drawn.map((k) => p.values[k] ?? 0)));
  const { top, ticks } = niceScale(max);
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (points.length <= 1 ? innerW / 2 : (innerW * i) / (points.length - 1));
  const y = (v: number) => PAD.top + innerH - (innerH * v) / top;
  const showLabel = labelEvery(points.length, Math.max(2, Math.floor(W / 90)));
  const colour = (key: string) => COLOURS[series.keys.indexOf(key) % COLOURS.length];
  const summary = drawn.length
    ? `${series.title}: ${drawn.map(stageLabel).join(', ')} over ${points.length} ${interval === 'day' ? 'days' : `${interval}s`}, at most ${fmtCount(max)}.`
    : `${series.title}: nothing in this range.`;

  return (
    <figure ref={figure} class="card report-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} class="report-chart-title">
        {series.title}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="xMidYMid meet">
        {ticks.map((t) => (
          <g key={t} class="tick">
            <line x1={PAD.left} x2={W - PAD.right} y1={y(t)} y2={y(t)} />
            <text x={PAD.left - 6} y={y(t) + 4} text-anchor="end">
              {fmtCount(t)}
            </text>
          </g>
        ))}
        {points.map((p, i) =>
          showLabel(i) ? (
            <text key={p.period} class="period" x={x(i)} y={H - 8} text-anchor="middle">
              {periodLabel(p.period, interval).replace('Week of ', '')}
            </text>
          ) : null,
        )}
        {drawn.map((key) => (
          <g key={key} stroke={colour(key)} fill={colour(key)}>
            <polyline
              fill="none"
              stroke-width="2"
              points={points.map((p, i) => `${x(i)},${y(p.values[key] ?? 0)}`).join(' ')}
            />
            {points.length <= 45 &&
              points.map((p, i) => <circle key={p.period} cx={x(i)} cy={y(p.values[key] ?? 0)} r="3" />)}
          </g>
        ))}
      </svg>
      {drawn.length > 0 && (
        <ul class="legend" aria-label="Legend">
          {drawn.map((key) => (
            <li key={key}>
              <span class="swatch" style={{ background: colour(key) }} aria-hidden="true" />
              {stageLabel(key)}
            </li>
          ))}
        </ul>
      )}
      <details class="chart-data">
        <summary>Show the data of “{series.title}” as a table</summary>
        <div class="table-scroll">
          <table class="report">
            <caption>{series.title}</caption>
            <thead>
              <tr>
                <th scope="col">Period</th>
                {series.keys.map((key) => (
                  <th key={key} scope="col" class="num">
                    {stageLabel(key)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.period}>
                  <th scope="row">{periodLabel(p.period, interval)}</th>
                  {series.keys.map((key) => (
                    <td key={key} class="num">
                      {fmtCount(p.values[key] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
