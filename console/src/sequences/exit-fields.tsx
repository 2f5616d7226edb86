import { stageLabel } from '../format';
import { STAGES } from '../leads/types';
import { BlockErrors, type Errors, Field, otherErrors } from './field';
import type { Sequence } from './types';

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Who leaves a sequence: on hand-off, at stages, on activities, the goal. */
export function ExitFields({
  value,
  onChange,
  errors,
}: {
  value: Sequence;
  onChange: (sequence: Sequence) => void;
  errors: Errors;
}) {
  const exit = value.exit ?? { onHandoff: true, stages: [], activities: [] };
  const set = (patch: Partial<Sequence>) => onChange({ ...value, ...patch });
  return (
    <section class="card" aria-labelledby="seq-exit">
      <h2 id="seq-exit">Who leaves</h2>
      <label class="seq-check">
        <input
          type="checkbox"
          checked={exit.onHandoff !== false}
          onChange={(e) => set({ exit: { ...exit, onHandoff: e.currentTarget.checked } })}
        />
        When the lead turns hot or sales owns it
      </label>
      <fieldset class="seq-checks">
        <legend>When the lead reaches</legend>
        {STAGES.map((stage) => (
          <label key={stage} class="seq-check">
            <input
              type="checkbox"
              checked={exit.stages.includes(stage)}
              onChange={(e) =>
                set({
                  exit: {
                    ...exit,
                    stages: e.currentTarget.checked
                      ? [...exit.stages, stage]
                      : exit.stages.filter((s) => s !== stage),
                  },
                })
              }
            />
            {stageLabel(stage)}
          </label>
        ))}
      </fieldset>
      <Field
        name="exit.activities"
        label="When the lead has one of these activities"
        errors={errors}
        hint="Activity types, comma separated"
      >
        {(p) => (
          <input
            {...p}
            value={exit.activities.join(', ')}
            onChange={(e) => set({ exit: { ...exit, activities: list(e.currentTarget.value) } })}
          />
        )}
      </Field>
      <Field
        name="exit.goal"
        label="Goal (ends it as goal met)"
        errors={errors}
        hint="An activity type, e.g. trial_started"
      >
        {(p) => (
          <input
            {...p}
            value={exit.goal ?? ''}
            onInput={(e) => {
              const { goal: _g, ...rest } = exit;
              onChange({
                ...value,
                exit: e.currentTarget.value ? { ...rest, goal: e.currentTarget.value } : rest,
              });
            }}
          />
        )}
      </Field>
      <BlockErrors messages={otherErrors(errors, 'exit', ['exit.activities', 'exit.goal'])} />
    </section>
  );
}
