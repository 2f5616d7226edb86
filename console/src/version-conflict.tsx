import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiError } from './api';
import { fmtTime } from './format';

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
