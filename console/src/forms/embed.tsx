import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import type { FormEmbed } from './types';

/** The HTML to paste for the form's active version, with a Copy button. */
export function EmbedSnippet({ formId, version }: { formId: string; version: number }) {
  const [embed, setEmbed] = useState<FormEmbed | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState<string>('');
  useEffect(() => {
    let stopped = false;
    setError(null);
    api.get<FormEmbed>(`/v1/admin/forms/${encodeURIComponent(formId)}/embed`).then(
      (answer) => !stopped && setEmbed(answer),
      (e) => !stopped && setError(problem(e)),
    );
    return () => {
      stopped = true;
    };
  }, [formId, version]);
  const copy = async () => {
    if (!embed) return;
    try {
      await navigator.clipboard.writeText(embed.html);
      setCopied('Copied the snippet to the clipboard.');
    } catch {
      setCopied('Could not copy: select the snippet and copy it by hand.');
    }
  };
  return (
    <section class="forms-embed" aria-labelledby="embed-title">
      <h2 id="embed-title">Embed snippet</h2>
      {error ? (
        <p class="error-state" role="alert">
          Could not load the snippet: {error}
        </p>
      ) : !embed ? (
        <p role="status">Loading the snippet…</p>
      ) : (
        <>
          <p>
            Paste this where the form should appear (version {embed.version}). The site's origin must be one
            of the allowed origins.
          </p>
          <label for="embed-html">Embed snippet HTML</label>
          <textarea id="embed-html" class="forms-snippet" readOnly rows={12} value={embed.html} />
          <button type="button" class="button" onClick={copy}>
            Copy
          </button>
          <span role="status" class="forms-copied">
            {copied}
          </span>
        </>
      )}
    </section>
  );
}
