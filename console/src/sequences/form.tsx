import { ExitFields } from './exit-fields';
import { BlockErrors, type Errors, Field } from './field';
import { StepFields } from './step-fields';
import { TriggerFields } from './trigger-fields';
import type { Sequence, Step } from './types';

/** Every field of a sequence as a form: the same document the YAML tab shows. */
export function SequenceForm({
  value,
  onChange,
  errors,
  templates,
  segments,
}: {
  value: Sequence;
  onChange: (sequence: Sequence) => void;
  errors: Errors;
  templates: { id: string; name?: string }[];
  segments: { id: string; name: string }[];
}) {
  const set = (patch: Partial<Sequence>) => onChange({ ...value, ...patch });
  const trigger = value.trigger;
  const entry = value.entry ?? { requireConsent: true, reentry: 'never' };
  const setSteps = (steps: Step[]) => set({ steps });
  const move = (i: number, by: -1 | 1) => {
    const steps = [...value.steps];
    const [step] = steps.splice(i, 1);
    if (step) steps.splice(i + by, 0, step);
    setSteps(steps);
  };
  const addStep = () =>
    setSteps([
      ...value.steps,
      {
        id: `step-${value.steps.length + 1}`,
        wait: { days: 1, hours: 0, minutes: 0 },
        template: templates[0]?.id ?? '',
        ignoreSendWindow: false,
      },
    ]);
  return (
    <div class="seq-form">
      <section class="card" aria-labelledby="seq-about">
        <h2 id="seq-about">About</h2>
        <p class="sub">
          Id <code>{value.id}</code> (its file: config/sequences/{value.id}.yaml; the YAML tab changes it)
        </p>
        <BlockErrors
          messages={[...(errors.id ? [`Id: ${errors.id}`] : []), ...(errors[''] ? [errors['']] : [])]}
        />
        <Field name="name" label="Name" errors={errors}>
          {(p) => <input {...p} value={value.name} onInput={(e) => set({ name: e.currentTarget.value })} />}
        </Field>
        <Field name="description" label="Description" errors={errors}>
          {(p) => (
            <textarea
              {...p}
              rows={2}
              value={value.description ?? ''}
              onInput={(e) => set({ description: e.currentTarget.value || undefined })}
            />
          )}
        </Field>
        <label class="seq-check">
          <input
            type="checkbox"
            checked={value.enabled !== false}
            onChange={(e) => set({ enabled: e.currentTarget.checked })}
          />
          Turned on (off: nobody new is enrolled and nothing more is sent)
        </label>
      </section>
      <section class="card" aria-labelledby="seq-entry">
        <h2 id="seq-entry">Who enters</h2>
        <TriggerFields trigger={trigger} onChange={(next) => set({ trigger: next })} errors={errors} />
        <label class="seq-check">
          <input
            type="checkbox"
            checked={entry.requireConsent !== false}
            onChange={(e) => set({ entry: { ...entry, requireConsent: e.currentTarget.checked } })}
          />
          Only leads with marketing consent
        </label>
        <Field name="entry.reentry" label="Enter again" errors={errors}>
          {(p) => (
            <select
              {...p}
              value={entry.reentry}
              onChange={(e) => set({ entry: { ...entry, reentry: e.currentTarget.value as 'never' } })}
            >
              <option value="never">Never: once per lead</option>
              <option value="after_exit">After leaving it</option>
            </select>
          )}
        </Field>
      </section>
      <section aria-labelledby="seq-steps">
        <h2 id="seq-steps">Steps</h2>
        <ol class="seq-steps">
          {value.steps.map((step, i) => (
            <StepFields
              key={i}
              step={step}
              index={i}
              count={value.steps.length}
              errors={errors}
              templates={templates}
              segments={segments}
              onChange={(next) => setSteps(value.steps.map((s, j) => (j === i ? next : s)))}
              onMove={(by) => move(i, by)}
              onRemove={() => setSteps(value.steps.filter((_, j) => j !== i))}
            />
          ))}
        </ol>
        <BlockErrors messages={errors.steps ? [errors.steps] : []} />
        <button type="button" class="button" onClick={addStep}>
          Add a step
        </button>
      </section>
      <ExitFields value={value} onChange={onChange} errors={errors} />
    </div>
  );
}
