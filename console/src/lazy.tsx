import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** A page's own file, fetched once on first use; a failed fetch is tried again on the next use. */
export interface ModuleLoader<M> {
  load(): Promise<M>;
}

export function moduleLoader<M>(fetchModule: () => Promise<M>): ModuleLoader<M> {
  let loading: Promise<M> | undefined;
  return {
    load() {
      loading ??= fetchModule().catch((error) => {
        loading = undefined;
        throw error;
      });
      return loading;
    },
  };
}

/**
 * A page fetched on first use (its own file, so the console's initial JS does not grow): a loading
 * state, then the page, or an error with Retry. `ready` false keeps the loading state (a redirect
 * is on its way).
 */
export function LazyPage<M>({
  loader,
  title,
  loadingText,
  failedWhat,
  ready = true,
  children,
}: {
  loader: ModuleLoader<M>;
  /** The page's heading while it loads or failed, e.g. "Templates". */
  title: string;
  /** e.g. "Loading the templates…" */
  loadingText: string;
  /** What could not be loaded, e.g. "The template editor". */
  failedWhat: string;
  ready?: boolean;
  children: (module: M) => ComponentChildren;
}) {
  const [module, setModule] = useState<M | null>(null);
  const [failed, setFailed] = useState(false);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    loader.load().then(
      (m) => setModule(() => m),
      () => setFailed(true),
    );
  }, [loader, attempt]);
  if (module && ready) return <>{children(module)}</>;
  return (
    <section class="page">
      <h1 tabIndex={-1}>{title}</h1>
      {failed ? (
        <div class="error-state" role="alert">
          <p>{failedWhat} could not be loaded. Check your connection and try again.</p>
          <button
            type="button"
            class="button"
            onClick={() => {
              setFailed(false);
              setAttempt((n) => n + 1);
            }}
          >
            Retry
          </button>
        </div>
      ) : (
        <p class="empty" role="status">
          {loadingText}
        </p>
      )}
    </section>
  );
}
