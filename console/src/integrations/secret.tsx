import { useState } from 'preact/hooks';

/**
 * A signing secret shown this once: a read-only field to select or copy, a Copy button, and what
 * happens to it. `note` says more (e.g. how long the previous secret keeps signing).
 */
export function SecretOnce({ secret, note }: { secret: string; note?: string }) {
  const [copied, setCopied] = useState('');
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Copying is not allowed here: select the field and copy it yourself.');
    }
  }
  return (
    <section class="wh-secret" aria-labelledby="wh-secret-title">
      <h2 id="wh-secret-title">Signing secret</h2>
      <p>
        <strong>Copy it now: you will not see this secret again.</strong> Store it with your receiver, which
        verifies every delivery's <code>webhook-signature</code> with it.
      </p>
      {note ? <p>{note}</p> : null}
      <div class="wh-secret-row">
        <label for="wh-secret-value" class="visually-hidden">
          Signing secret
        </label>
        <input
          id="wh-secret-value"
          readOnly
          value={secret}
          spellcheck={false}
          onFocus={(e) => e.currentTarget.select()}
        />
        <button type="button" class="button" onClick={copy}>
          Copy secret
        </button>
      </div>
      <p role="status">{copied}</p>
    </section>
  );
}
