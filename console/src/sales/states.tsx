import type { ComponentChildren } from 'preact';
import { ApiError, problem } from '../api';

export { problem } from '../api';

/** The field errors of a 400 answer, by path ("reason", "note"...). */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) if (!out[d.path]) out[d.path] = d.message;
  return out;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="sales-state" role="status">
      <span class="sales-spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Failed({ what, error, retry }: { what: string; error: unknown; retry: () => void }) {
  return (
    <div class="error-state" role="alert">
      <p>
        Could not load {what}: {problem(error)}
      </p>
      <button type="button" class="button" onClick={retry}>
        Try again
      </button>
    </div>
  );
}

export function Empty({ title, children }: { title: string; children?: ComponentChildren }) {
  return (
    <div class="empty sales-empty">
      <p class="sales-state__title">{title}</p>
      {children ? <p>{children}</p> : null}
    </div>
  );
}
