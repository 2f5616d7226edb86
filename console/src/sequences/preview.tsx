import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtTime } from '../format';
import { LeadChooser, type PreviewSubject } from '../templates/preview-pane';
import type { Sequence, SequencePreview } from './types';
import { conditionWords, MOVED_WORDS } from './words';

/**
 * Every step of a sequence rendered for the sample profile or a chosen lead (each in a sandboxed
 * frame: no scripts, no same-origin access), with when it would go out if enrolled now and, in
 * words, why it would not: the sender's gate (no consent, owned by sales, suppressed...), a
 * condition that does not hold, the frequency cap or the send window moving it.
 */
export function SequencePreviewPane({ sequence, version }: { sequence: Sequence; version?: number }) {
  const [who, setWho] = useState<PreviewSubject>({ kind: 'sample' });
  const [preview, setPreview] = useState<SequencePreview | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    setPreview(null);
    setError('');
    api
      .post<SequencePreview>(`/v1/admin/sequences/${encodeURIComponent(sequence.id)}/preview`, {
        ...(who.kind === 'lead' ? { leadId: who.leadId } : {}),
        ...(version ? { version } : {}),
      })
      .then(setPreview, (e) => setError(problem(e)));
  }, [sequence.id, who, version]);
  return (
    <section class="card seq-preview" aria-labelledby="seq-preview-title">
      <h2 id="seq-preview-title">Preview</h2>
      <LeadChooser subject={who} onSubject={setWho} />
      {error ? (
        <p class="error-state" role="alert">
          {error}
        </p>
      ) : null}
      {!preview && !error ? <p role="status">Rendering every step…</p> : null}
      {preview ? (
        <div aria-live="polite">
          <p class="sub">
            {preview.subject === 'lead' && who.kind === 'lead'
              ? `For ${who.email}`
              : 'For the sample profile'}
            , version {preview.version}, as if enrolled now.
          </p>
          {preview.wouldNotSend ? (
            <div class="seq-hold" role="alert">
              <p>
                <strong>Would not send:</strong> {preview.wouldNotSend.message}
              </p>
            </div>
          ) : null}
          <ol class="seq-preview-steps">
            {preview.steps.map((step) => {
              const definition = sequence.steps.find((s) => s.id === step.stepId);
              const skipped = step.condition?.holds === false;
              const held = Boolean(preview.wouldNotSend);
              return (
                <li key={step.stepId} class="seq-preview-step">
                  <h3>
                    {step.stepId}: {step.subject ?? step.template}
                  </h3>
                  <p>
                    {held
                      ? 'Not sent (see above).'
                      : skipped
                        ? `Skipped on ${fmtTime(step.when)}: its condition does not hold for this lead (${conditionWords(definition?.when).toLowerCase()}).`
                        : `Would send ${fmtTime(step.when)}.`}
                  </p>
                  {!held && step.moved?.length ? (
                    <p class="sub">
                      Its time was {step.moved.map((m) => MOVED_WORDS[m] ?? m).join(', and ')}.
                    </p>
                  ) : null}
                  {step.error ? (
                    <p class="field-error">This template does not render for this lead: {step.error}</p>
                  ) : null}
                  {step.html ? (
                    <iframe
                      class="seq-frame"
                      sandbox=""
                      srcDoc={step.html}
                      title={`Email of step ${step.stepId}`}
                    />
                  ) : null}
                </li>
              );
            })}
          </ol>
        </div>
      ) : null}
    </section>
  );
}
