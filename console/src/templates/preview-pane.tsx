import { useState } from 'preact/hooks';
import { api, problem } from '../api';
import type { LeadList } from '../leads/types';
import { type Preview, WIDTHS, type WidthId } from './types';

export type PreviewSubject = { kind: 'sample' } | { kind: 'lead'; leadId: string; email: string };

/**
 * The live preview: the rendered email in a sandboxed frame (no scripts, no same-origin access:
 * `sandbox=""`) at a desktop or phone width, for the sample profile or a lead found by email or id.
 */
export function PreviewPane({
  preview,
  pending,
  error,
  width,
  onWidth,
  subject,
  onSubject,
}: {
  preview: Preview | null;
  pending: boolean;
  error: string;
  width: WidthId;
  onWidth: (width: WidthId) => void;
  subject: PreviewSubject;
  onSubject: (subject: PreviewSubject) => void;
}) {
  const px = WIDTHS.find((w) => w.id === width)?.px ?? 640;
  return (
    <section class="card tpl-preview" aria-labelledby="tpl-preview-title">
      <h2 id="tpl-preview-title">Preview</h2>
      <div class="tpl-preview-controls">
        <fieldset>
          <legend>Width</legend>
          {WIDTHS.map((w) => (
            <label key={w.id} class="tpl-choice">
              <input type="radio" name="tpl-width" checked={width === w.id} onChange={() => onWidth(w.id)} />
              {w.label}
            </label>
          ))}
        </fieldset>
        <LeadChooser subject={subject} onSubject={onSubject} />
      </div>
      <p class="tpl-status" role="status">
        {pending ? 'Updating the preview…' : preview ? `Subject: ${preview.subject}` : ''}
      </p>
      {error ? (
        <p class="error-state" role="alert">
          {error}
        </p>
      ) : null}
      {preview && preview.warnings.length > 0 ? (
        <ul class="tpl-warnings" aria-label="Warnings">
          {preview.warnings.map((w) => (
            <li key={`${w.path} ${w.message}`}>{w.message}</li>
          ))}
        </ul>
      ) : null}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a wide preview scrolls sideways; the keyboard needs the focus to scroll it */}
      <section class="tpl-frame-wrap" tabIndex={0} aria-label="Rendered email">
        {preview ? (
          <iframe
            class="tpl-frame"
            sandbox=""
            srcDoc={preview.html}
            title={`Email preview, ${WIDTHS.find((w) => w.id === width)?.label ?? width}`}
            style={{ width: `${px}px` }}
          />
        ) : (
          <p class="empty">{error ? 'No preview until the template renders.' : 'Rendering the preview…'}</p>
        )}
      </section>
    </section>
  );
}

export function LeadChooser({
  subject,
  onSubject,
}: {
  subject: PreviewSubject;
  onSubject: (subject: PreviewSubject) => void;
}) {
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<LeadList['leads'] | null>(null);
  const [error, setError] = useState('');
  async function search(event: Event) {
    event.preventDefault();
    setError('');
    const q = query.trim();
    if (/^ld_[0-9a-f]{24}$/.test(q)) return onSubject({ kind: 'lead', leadId: q, email: q });
    if (q.length < 2) return setError('Type at least 2 characters of an email, or a lead id.');
    try {
      setFound((await api.get<LeadList>(`/v1/admin/leads?q=${encodeURIComponent(q.toLowerCase())}`)).leads);
    } catch (e) {
      setError(problem(e));
    }
  }
  return (
    <fieldset>
      <legend>Preview with</legend>
      <label class="tpl-choice">
        <input
          type="radio"
          name="tpl-subject"
          checked={subject.kind === 'sample'}
          onChange={() => onSubject({ kind: 'sample' })}
        />
        Sample profile (Ada Lovelace)
      </label>
      {subject.kind === 'lead' ? (
        <label class="tpl-choice">
          <input type="radio" name="tpl-subject" checked readOnly />
          Lead {subject.email}
        </label>
      ) : null}
      <form class="tpl-lead-search" onSubmit={search}>
        <label for="tpl-lead-q">Find a lead by email or id</label>
        <input id="tpl-lead-q" type="search" value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
        <button type="submit" class="button">
          Find
        </button>
      </form>
      {error ? <p role="alert">{error}</p> : null}
      {found ? (
        found.length === 0 ? (
          <p role="status">No lead matches “{query}”.</p>
        ) : (
          <ul class="tpl-found" aria-label="Matching leads">
            {found.slice(0, 5).map((lead) => (
              <li key={lead.leadId}>
                <button
                  type="button"
                  class="button quiet"
                  onClick={() => {
                    onSubject({ kind: 'lead', leadId: lead.leadId, email: lead.email });
                    setFound(null);
                  }}
                >
                  Preview for {lead.email}
                </button>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </fieldset>
  );
}
