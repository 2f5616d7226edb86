import { useState } from 'preact/hooks';
import { type Errors, Field, idOf } from './field';
import { draftProblems, emptyDraft, type NewSequenceDraft, newSequence } from './new-sequence';
import { TriggerFields } from './trigger-fields';
import type { Sequence } from './types';

/**
 * The first form of "New sequence": id (checked as you type against the schema's rule and the
 * sequences there are), name, who enters and a first step; then the editor opens on it.
 */
export function NewSequenceStart({
  templates,
  existing,
  onStart,
}: {
  templates: { id: string; name?: string }[];
  existing: string[];
  onStart: (sequence: Sequence) => void;
}) {
  const [draft, setDraft] = useState<NewSequenceDraft>(() => emptyDraft(templates));
  const [submitted, setSubmitted] = useState(false);
  const set = (patch: Partial<NewSequenceDraft>) => setDraft({ ...draft, ...patch });
  const problems = draftProblems(draft, existing);
  // The id is checked as soon as something is typed; the rest once Continue was pressed.
  const errors: Errors = submitted ? problems : draft.id && problems.id ? { id: problems.id } : {};
  const submit = (event: Event) => {
    event.preventDefault();
    setSubmitted(true);
    const first = Object.keys(problems)[0];
    if (first === undefined) onStart(newSequence(draft));
    else document.getElementById(idOf(first))?.focus();
  };
  return (
    <form class="seq-form" onSubmit={submit} noValidate>
      <section class="card" aria-labelledby="seq-new-about">
        <h2 id="seq-new-about">About</h2>
        <Field
          name="id"
          label="Id"
          errors={errors}
          hint="Lower-case letters, digits and -, e.g. trial-follow-up; its file is config/sequences/<id>.yaml"
        >
          {(p) => (
            <input
              {...p}
              value={draft.id}
              autoComplete="off"
              spellcheck={false}
              onInput={(e) => set({ id: e.currentTarget.value.trim() })}
            />
          )}
        </Field>
        <Field name="name" label="Name" errors={errors}>
          {(p) => <input {...p} value={draft.name} onInput={(e) => set({ name: e.currentTarget.value })} />}
        </Field>
      </section>
      <section class="card" aria-labelledby="seq-new-entry">
        <h2 id="seq-new-entry">Who enters</h2>
        <TriggerFields trigger={draft.trigger} onChange={(trigger) => set({ trigger })} errors={errors} />
      </section>
      <section class="card" aria-labelledby="seq-new-step">
        <h2 id="seq-new-step">First step</h2>
        <div class="seq-row">
          <Field name="steps.0.wait.days" label="Wait days" errors={errors} hint="0: as soon as they enter">
            {(p) => (
              <input
                {...p}
                type="number"
                inputMode="numeric"
                min={0}
                max={365}
                value={draft.waitDays}
                onInput={(e) => set({ waitDays: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field name="steps.0.template" label="Template" errors={errors}>
            {(p) => (
              <select
                {...p}
                value={draft.template}
                onChange={(e) => set({ template: e.currentTarget.value })}
              >
                {templates.length === 0 ? <option value="">No templates yet</option> : null}
                {templates.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name ?? t.id}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        {templates.length === 0 ? (
          <p class="sub">
            A step sends a template: <a href="/console/templates">add a template</a> first.
          </p>
        ) : null}
      </section>
      <div class="seq-save">
        <button type="submit" class="button primary">
          Continue to the editor
        </button>
        <a href="/console/sequences">Cancel</a>
      </div>
    </form>
  );
}
