import { useCallback, useEffect, useState } from 'preact/hooks';

export type Loaded<T> =
  | { status: 'loading'; data?: T }
  | { status: 'ready'; data: T }
  | { status: 'error'; data?: T; error: unknown };

/**
 * Loads `load()` on mount and on `reload()`; keeps the last data while reloading or after a failed
 * reload, so a refresh never blanks the page.
 */
export function useLoad<T>(load: () => Promise<T>): [Loaded<T>, () => Promise<void>] {
  const [state, setState] = useState<Loaded<T>>({ status: 'loading' });
  const reload = useCallback(async () => {
    setState((prev) => ({ status: 'loading', data: prev.data }));
    try {
      const data = await load();
      setState({ status: 'ready', data });
    } catch (error) {
      setState((prev) => ({ status: 'error', data: prev.data, error }));
    }
  }, [load]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return [state, reload];
}

/** Ticks every `ms` and returns the current time (ms since the epoch). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
