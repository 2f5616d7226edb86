import { useEffect, useState } from 'preact/hooks';
import { label } from '../format';
import {
  customRangeProblem,
  FILTERABLE,
  RANGE_LABELS,
  RANGES,
  type Range,
  type ReportView,
  resolveRange,
} from './query';
import { FILTER_KEYS, type FilterKey, INTERVALS, type Interval } from './types';

const FILTER_LABELS: Record<FilterKey, string> = {
  source: 'Source',
  campaign: 'UTM campaign',
  form: 'Form',
  platform: 'Ad platform',
};

/**
 * The period (range preset or custom dates, interval, compare) and the filters of a report. A
 * preset, the interval and compare apply at once; custom dates and filters apply with their button.
 */
export function ReportControls({
  view,
  today,
  onChange,
}: {
  view: ReportView;
  today: string;
  onChange: (next: ReportView) => void;
}) {
  const current = resolveRange(view, today);
  const [custom, setCustom] = useState(view.range === 'custom');
  const [from, setFrom] = useState(current.from);
  const [to, setTo] = useState(current.to);
  const [error, setError] = useState<string | null>(null);
  // The URL moved (back button, a link): show its range, not what was typed before.
  useEffect(() => {
    setCustom(view.range === 'custom');
    setFrom(current.from);
    setTo(current.to);
    setError(null);
  }, [view.range, current.from, current.to]);

  const pickRange = (range: Range) => {
    if (range === 'custom') {
      setCustom(true);
      setFrom(current.from);
      setTo(current.to);
      return;
    }
    setCustom(false);
    setError(null);
    onChange({ ...view, range, from: undefined, to: undefined });
  };
  const applyDates = (event: Event) => {
    event.preventDefault();
    const problem = customRangeProblem(from, to);
    setError(problem);
    if (!problem) onChange({ ...view, range: 'custom', from, to });
  };

  return (
    <div class="report-controls">
      <form class="report-period" aria-label="Report period" onSubmit={applyDates}>
        <label>
          Range
          <select
            value={custom ? 'custom' : view.range}
            onChange={(e) => pickRange(e.currentTarget.value as Range)}
          >
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {RANGE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        {custom && (
          <>
            <label>
              From
              <input
                type="date"
                value={from}
                max={today}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'range-error' : undefined}
                onInput={(e) => setFrom(e.currentTarget.value)}
              />
            </label>
            <label>
              To
              <input
                type="date"
                value={to}
                aria-invalid={error ? true : undefined}
                aria-describedby={error ? 'range-error' : undefined}
                onInput={(e) => setTo(e.currentTarget.value)}
              />
            </label>
            <button type="submit" class="button">
              Apply dates
            </button>
          </>
        )}
        <label>
          Interval
          <select
            value={view.interval}
            onChange={(e) => onChange({ ...view, interval: e.currentTarget.value as Interval })}
          >
            {INTERVALS.map((i) => (
              <option key={i} value={i}>
                {label(i)}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={view.compare}
            onChange={(e) => onChange({ ...view, compare: e.currentTarget.checked })}
          />
          Compare with the previous period
        </label>
        {error && (
          <p id="range-error" class="field-error" role="alert">
            {error}
          </p>
        )}
      </form>
      {FILTERABLE.has(view.report) && (
        <FilterFields key={JSON.stringify(view.filters)} view={view} onChange={onChange} />
      )}
    </div>
  );
}

function FilterFields({ view, onChange }: { view: ReportView; onChange: (next: ReportView) => void }) {
  const [values, setValues] = useState(view.filters);
  const active = FILTER_KEYS.filter((k) => view.filters[k]).length;
  const apply = (event: Event) => {
    event.preventDefault();
    const filters: ReportView['filters'] = {};
    for (const key of FILTER_KEYS) {
      const value = values[key]?.trim();
      if (value) filters[key] = value;
    }
    onChange({ ...view, filters });
  };
  return (
    <details class="report-filters" open={active > 0}>
      <summary>Filters{active > 0 ? ` (${active})` : ''}</summary>
      <form aria-label="Report filters" onSubmit={apply}>
        {FILTER_KEYS.map((key) => (
          <label key={key}>
            {FILTER_LABELS[key]}
            <input
              type="text"
              name={key}
              value={values[key] ?? ''}
              onInput={(e) => setValues({ ...values, [key]: e.currentTarget.value })}
            />
          </label>
        ))}
        <button type="submit" class="button">
          Apply filters
        </button>
        {active > 0 && (
          <button type="button" class="button quiet" onClick={() => onChange({ ...view, filters: {} })}>
            Clear filters
          </button>
        )}
      </form>
    </details>
  );
}
