import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, problem } from '../api';
import { consoleConfig } from '../config';
import { type ReportView, reportPath, todayIn } from './query';
import type { ReportBody } from './types';

export type ReportLoad =
  | { state: 'loading' }
  | { state: 'error'; message: string; details: string[] }
  | { state: 'ready'; body: ReportBody };

const ZONE_KEY = 'leadflow.reportTimeZone';

/**
 * The account's time zone, as the last report answer said (presets count days in it); the
 * browser's until the first answer. Remembered for the tab.
 */
function rememberedZone(): string {
  return sessionStorage.getItem(ZONE_KEY) ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC';
}

/**
 * Loads a report view. Presets resolve to dates in the account's time zone; when the answer names
 * another zone than the one guessed and today differs there, the report is asked again.
 */
export function useReport(view: ReportView, attempt: number) {
  const [zone, setZone] = useState(rememberedZone);
  const [load, setLoad] = useState<ReportLoad>({ state: 'loading' });
  const [apiUrl, setApiUrl] = useState('');
  const today = todayIn(zone);
  const path = reportPath(view, today);

  useEffect(() => {
    consoleConfig().then(
      (c) => setApiUrl(c.apiUrl),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    api.get<ReportBody>(path).then(
      (body) => {
        if (!live) return;
        if (body.timeZone && body.timeZone !== zone) {
          sessionStorage.setItem(ZONE_KEY, body.timeZone);
          setZone(body.timeZone);
          if (todayIn(body.timeZone) !== today) return; // asked again with the account's dates
        }
        setLoad({ state: 'ready', body });
      },
      (error: unknown) => {
        if (!live) return;
        // A refused query (400) says which parameter and why.
        const details =
          error instanceof ApiError
            ? error.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message))
            : [];
        setLoad({ state: 'error', message: problem(error), details });
      },
    );
    return () => {
      live = false;
    };
  }, [path, attempt]);

  return { load, today, apiUrl };
}
