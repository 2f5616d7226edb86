import type { ComponentChildren } from 'preact';
import { CellError, cellId, type Errors, invalid, NumberInput } from './cells';
import { explainDecay, explainGrades, explainThresholds } from './explain';
import type { ScoringModel } from './types';

const LETTERS = ['A', 'B', 'C', 'D'] as const;

function Field({ cell, label, children }: { cell: string; label: string; children: ComponentChildren }) {
  return (
    <div class="sc-field">
      <label for={cellId(cell)}>{label}</label>
      {children}
    </div>
  );
}

/** Grades, the MQL and hot thresholds and the decay of engagement points: inputs with their meaning in words. */
export function ThresholdsForm(props: {
  model: ScoringModel;
  errors: Errors;
  onChange: (model: ScoringModel) => void;
}) {
  const { model, errors, onChange } = props;
  const halfLife = typeof model.decay === 'object' ? model.decay.halfLifeDays : undefined;
  const thresholds = (patch: Partial<ScoringModel['thresholds']>) =>
    onChange({ ...model, thresholds: { ...model.thresholds, ...patch } });
  return (
    <div class="sc-thresholds">
      <fieldset>
        <legend>Grades (fit points needed)</legend>
        <div class="sc-inline">
          {LETTERS.map((letter) => (
            <Field key={letter} cell={`grades.${letter}`} label={`Grade ${letter} from`}>
              <NumberInput
                cell={`grades.${letter}`}
                value={model.grades[letter]}
                errors={errors}
                onChange={(v) => onChange({ ...model, grades: { ...model.grades, [letter]: v as number } })}
              />
            </Field>
          ))}
        </div>
        <p class="sc-words">{explainGrades(model.grades)}</p>
      </fieldset>
      <fieldset>
        <legend>Qualified and hot</legend>
        <div class="sc-inline">
          <Field cell="thresholds.mql" label="MQL at (points)">
            <NumberInput
              cell="thresholds.mql"
              value={model.thresholds.mql}
              errors={errors}
              onChange={(mql) => thresholds({ mql: mql as number })}
            />
          </Field>
          <Field cell="thresholds.hot" label="Hot at (points)">
            <NumberInput
              cell="thresholds.hot"
              value={model.thresholds.hot}
              errors={errors}
              onChange={(hot) => thresholds({ hot: hot as number })}
            />
          </Field>
          <Field cell="thresholds.hotMinGrade" label="Hot needs grade">
            <select
              id={cellId('thresholds.hotMinGrade')}
              value={model.thresholds.hotMinGrade ?? ''}
              onChange={(e) =>
                thresholds({
                  hotMinGrade: (e.currentTarget.value ||
                    undefined) as ScoringModel['thresholds']['hotMinGrade'],
                })
              }
              {...invalid('thresholds.hotMinGrade', errors)}
            >
              <option value="">any grade</option>
              {LETTERS.map((l) => (
                <option key={l} value={l}>
                  {l} or better
                </option>
              ))}
            </select>
            <CellError cell="thresholds.hotMinGrade" errors={errors} />
          </Field>
        </div>
        <p class="sc-words">{explainThresholds(model.thresholds)}</p>
      </fieldset>
      <fieldset>
        <legend>Decay of engagement points</legend>
        <Field cell="decay.halfLifeDays" label="Half-life in days (empty: never fade)">
          <NumberInput
            cell="decay.halfLifeDays"
            value={halfLife}
            errors={errors}
            onChange={(days) =>
              onChange({ ...model, decay: days === undefined ? 'off' : { halfLifeDays: days } })
            }
          />
        </Field>
        <p class="sc-words">{explainDecay(model.decay)}</p>
      </fieldset>
    </div>
  );
}
