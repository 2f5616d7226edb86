import { type Errors, Field } from './field';
import type { StepCondition } from './types';

type FieldCondition = Extract<StepCondition, { field: string }>;
const OPERATORS = [
  { id: 'equals', label: 'is' },
  { id: 'in', label: 'is one of' },
  { id: 'present', label: 'is filled in' },
  { id: 'absent', label: 'is empty' },
] as const;
type Operator = (typeof OPERATORS)[number]['id'];

const operatorOf = (when: FieldCondition): Operator =>
  when.in !== undefined ? 'in' : when.present === false ? 'absent' : when.present ? 'present' : 'equals';

/** A profile-field condition: the field, an operator (is, is one of, filled in, empty) and its value. */
export function FieldConditionFields({
  at,
  when,
  onChange,
  errors,
}: {
  at: string;
  when: FieldCondition;
  onChange: (when: FieldCondition) => void;
  errors: Errors;
}) {
  const operator = operatorOf(when);
  const base = { field: when.field };
  const setOperator = (next: Operator) => {
    if (next === 'equals') onChange({ ...base, equals: '' });
    else if (next === 'in') onChange({ ...base, in: [] });
    else onChange({ ...base, present: next === 'present' });
  };
  return (
    <div class="seq-row">
      <Field name={`${at}.field`} label="Profile field" errors={errors}>
        {(p) => (
          <input
            {...p}
            value={when.field}
            onInput={(e) => onChange({ ...when, field: e.currentTarget.value })}
          />
        )}
      </Field>
      <Field name={`${at}-operator`} label="Operator" errors={errors}>
        {(p) => (
          <select {...p} value={operator} onChange={(e) => setOperator(e.currentTarget.value as Operator)}>
            {OPERATORS.map((o) => (
              <option key={o.id} value={o.id}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {operator === 'equals' ? (
        <Field name={`${at}.equals`} label="Value" errors={errors}>
          {(p) => (
            <input
              {...p}
              value={when.equals === undefined ? '' : String(when.equals)}
              onInput={(e) => onChange({ ...base, equals: e.currentTarget.value })}
            />
          )}
        </Field>
      ) : null}
      {operator === 'in' ? (
        <Field name={`${at}.in`} label="Values" errors={errors} hint="Comma separated">
          {(p) => (
            <input
              {...p}
              value={(when.in ?? []).join(', ')}
              onChange={(e) =>
                onChange({
                  ...base,
                  in: e.currentTarget.value
                    .split(',')
                    .map((v) => v.trim())
                    .filter(Boolean),
                })
              }
            />
          )}
        </Field>
      ) : null}
    </div>
  );
}
