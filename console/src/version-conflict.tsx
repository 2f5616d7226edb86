import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api';
import { fmtTime } from './format';
import { type Reapplied, reappliedInWords, reapply } from './reapply';

/**
 * A save or activation refused because someone else activated another version since this edit
 * started (409 version_conflict): the API's words (who activated which version when), the typed
 * change kept as YAML to copy, and, where the page can, "Reload and re-apply my change".
 */
export function VersionConflict({
  error,
  yaml,
  onReapply,
}: {
  error: ApiError;
  yaml: string;
  onReapply?: () => void;
}) {
  const [copied, setCopied] = useState('');
  // Keyboard and screen-reader users land on it: the next Tab is "Reload and re-apply my change".
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(yaml);
      setCopied('Your change is on the clipboard.');
    } catch {
      setCopied('Copying was not allowed: select the YAML below and copy it.');
    }
  };
  return (
    <section class="card version-conflict" aria-labelledby="version-conflict-title">
      <h2 id="version-conflict-title" tabIndex={-1} ref={heading}>
        Someone else changed this since you started
      </h2>
      <p role="alert">{error.message.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, fmtTime)}</p>
      <p>Nothing of your change was saved, and it is still here: nothing is lost.</p>
      <div class="version-conflict-actions">
        {onReapply ? (
          <button type="button" class="button primary" onClick={onReapply}>
            Reload and re-apply my change
          </button>
        ) : null}
        <button type="button" class="button" onClick={copy}>
          Copy my change as YAML
        </button>
      </div>
      <p role="status">{copied}</p>
      <details>
        <summary>My change as YAML</summary>
        <pre class="version-conflict-yaml">{yaml}</pre>
      </details>
    </section>
  );
}

export function ReappliedNote({
  reapplied,
  fieldInWords,
  class: className = 'reapplied',
}: {
  reapplied: Reapplied;
  /** A field's path inside the document (`definition.conditions.2.withinDays`) as the page names it. */
  fieldInWords?: (path: string) => string;
  class?: string;
}) {
  // The notice it replaces had the focus: keyboard users go on from here to check and save.
  const note = useRef<HTMLParagraphElement>(null);
  useEffect(() => note.current?.focus(), []);
  return (
    <p class={className} role="status" tabIndex={-1} ref={note}>
      {reappliedInWords(reapplied, fieldInWords)}
    </p>
  );
}

/** The version an edit started from (sent as basedOn) and the document it was (the merge's base). */
export interface Based<T> {
  version: number | undefined;
  doc: T;
}

/**
 * A page's side of two people editing at once: the version the edit started from, the 409 shown as
 * the notice, and "Reload and re-apply my change" (my edits from that version put on the latest).
 */
export function useVersionConflict<T>(start: Based<T>) {
  const [base, setBase] = useState<Based<T>>(start);
  const [conflict, setConflict] = useState<ApiError | null>(null);
  const [reapplied, setReapplied] = useState<Reapplied | null>(null);
  const dismiss = useCallback(() => setConflict(null), []);
  const caught = useCallback((error: unknown): boolean => {
    if (!(error instanceof ApiError && error.versionConflict)) return false;
    setConflict(error);
    return true;
  }, []);
  const rebase = useCallback((next: Based<T>) => {
    setBase(next);
    setConflict(null);
    setReapplied(null);
  }, []);
  const reapplyOn = useCallback(
    async (mine: T, latest: () => Promise<Based<T>>): Promise<T> => {
      const theirs = await latest();
      const { value, clashes } = reapply(base.doc, mine, theirs.doc);
      setBase(theirs);
      setConflict(null);
      setReapplied({ version: theirs.version, clashes });
      return value;
    },
    [base],
  );
  return {
    /** The version sent as basedOn, and the document the edit started from. */
    base,
    conflict,
    /** Set after a re-apply until the edit is based on another version again. */
    reapplied,
    /** Hides the notice (a new attempt starts). */
    dismiss,
    /** Shows a 409 version_conflict as the notice; true when `error` was one. */
    caught,
    /** The edit is now based on `next` (loaded anew, or the version just activated). */
    rebase,
    /**
     * Reads the latest version and puts my edits (from `base` to `mine`) on it: returns what the
     * editor shows next, now based on the latest version.
     */
    reapplyOn,
  };
}

/** What useVersionConflict gives a page (for a part of the page that saves, such as a save bar). */
export type VersionConflictState<T> = ReturnType<typeof useVersionConflict<T>>;
