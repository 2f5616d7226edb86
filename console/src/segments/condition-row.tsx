import type { ComponentChildren } from 'preact';
import { stageLabel } from '../format';
import { STAGES } from '../leads/types';
import {
  CONDITION_LABELS,
  type ConditionType,
  FIELD_OPS,
  newCondition,
  type SegmentCondition,
  SOURCE_KEY_LABELS,
  STANDARD_FIELDS,
} from './types';

type Errors = Record<string, string>;
interface RowProps {
  index: number;
  condition: SegmentCondition;
  errors: Errors;
  onChange: (next: SegmentCondition) => void;
  onRemove: () => void;
}

const list = (text: string) =>
  text
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
const num = (text: string) => (text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text));

/** One condition as a group of labelled controls; its errors (from the API's paths) under the control they are about. */
export function ConditionRow({ index, condition, errors, onChange, onRemove }: RowProps) {
  const id = `cond-${index}`;
  const set = (patch: Record<string, unknown>) => onChange({ ...condition, ...patch } as SegmentCondition);
  const error = (key: string) => errors[key];
  const rowError = errors[''];
  return (
    <fieldset class="seg-condition" aria-describedby={rowError ? `${id}-err` : undefined}>
      <legend>Condition {index + 1}</legend>
      <Control id={`${id}-type`} label="Looks at">
        <select
          id={`${id}-type`}
          value={condition.type}
          onChange={(e) => onChange(newCondition(e.currentTarget.value as ConditionType))}
        >
          {Object.entries(CONDITION_LABELS).map(([type, text]) => (
            <option key={type} value={type}>
              {text}
            </option>
          ))}
        </select>
      </Control>
      <Details id={id} condition={condition} set={set} error={error} />
      <button type="button" class="button quiet" onClick={onRemove}>
        Remove condition {index + 1}
      </button>
      {rowError ? (
        <p class="field-error" id={`${id}-err`}>
          {rowError}
        </p>
      ) : null}
    </fieldset>
  );
}

function Control(props: { id: string; label: string; error?: string; children: ComponentChildren }) {
  return (
    <div class="seg-control">
      <label for={props.id}>{props.label}</label>
      {props.children}
      {props.error ? (
        <p class="field-error" id={`${props.id}-err`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

interface DetailsProps {
  id: string;
  condition: SegmentCondition;
  set: (patch: Record<string, unknown>) => void;
  error: (key: string) => string | undefined;
}

function TextInput(p: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  error?: string;
  type?: string;
  list?: string;
}) {
  return (
    <Control id={p.id} label={p.label} error={p.error}>
      <input
        id={p.id}
        type={p.type ?? 'text'}
        value={p.value}
        list={p.list}
        aria-invalid={p.error ? true : undefined}
        aria-describedby={p.error ? `${p.id}-err` : undefined}
        onInput={(e) => p.onInput(e.currentTarget.value)}
      />
    </Control>
  );
}

function Choice<T extends string>(p: {
  id: string;
  label: string;
  value: T;
  options: Record<T, string>;
  onChange: (v: T) => void;
}) {
  return (
    <Control id={p.id} label={p.label}>
      <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.currentTarget.value as T)}>
        {(Object.entries(p.options) as [T, string][]).map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </Control>
  );
}

function Checks(p: {
  id: string;
  legend: string;
  options: readonly string[];
  label: (v: string) => string;
  value: readonly string[];
  onChange: (v: string[]) => void;
  error?: string;
}) {
  return (
    <fieldset class="seg-checks">
      <legend>{p.legend}</legend>
      {p.options.map((option) => (
        <label key={option} class="check">
          <input
            type="checkbox"
            checked={p.value.includes(option)}
            onChange={(e) =>
              p.onChange(e.currentTarget.checked ? [...p.value, option] : p.value.filter((v) => v !== option))
            }
          />{' '}
          {p.label(option)}
        </label>
      ))}
      {p.error ? <p class="field-error">{p.error}</p> : null}
    </fieldset>
  );
}

const days = (p: DetailsProps, value: number) => (
  <TextInput
    id={`${p.id}-days`}
    label="In the last (days)"
    type="number"
    value={String(value)}
    onInput={(v) => p.set({ withinDays: num(v) ?? 0 })}
    error={p.error('withinDays')}
  />
);

function Details(p: DetailsProps) {
  const { id, condition: c, set, error } = p;
  switch (c.type) {
    case 'field':
      return (
        <>
          <TextInput
            id={`${id}-field`}
            label="Field"
            value={c.field}
            list="seg-fields"
            onInput={(v) => set({ field: v })}
            error={error('field')}
          />
          <Choice
            id={`${id}-op`}
            label="Operator"
            value={c.op}
            options={FIELD_OPS}
            onChange={(op) => p.set(opChange(c.field, op))}
          />
          {c.op === 'in' ? (
            <TextInput
              id={`${id}-value`}
              label="Values (comma-separated)"
              value={c.value.join(', ')}
              onInput={(v) => set({ value: list(v) })}
              error={error('value')}
            />
          ) : c.op === 'equals' || c.op === 'contains' || c.op === 'starts_with' ? (
            <TextInput
              id={`${id}-value`}
              label="Value"
              value={String(c.value)}
              onInput={(v) => set({ value: v })}
              error={error('value')}
            />
          ) : c.op === 'between' ? (
            <>
              <TextInput
                id={`${id}-min`}
                label="From (number)"
                type="number"
                value={c.min === undefined ? '' : String(c.min)}
                onInput={(v) => set({ min: num(v) })}
                error={error('min')}
              />
              <TextInput
                id={`${id}-max`}
                label="To (number)"
                type="number"
                value={c.max === undefined ? '' : String(c.max)}
                onInput={(v) => set({ max: num(v) })}
                error={error('max')}
              />
            </>
          ) : c.op === 'date_between' ? (
            <>
              <TextInput
                id={`${id}-from`}
                label="From (date)"
                type="date"
                value={c.from ?? ''}
                onInput={(v) => set({ from: v || undefined })}
                error={error('from')}
              />
              <TextInput
                id={`${id}-to`}
                label="To (date)"
                type="date"
                value={c.to ?? ''}
                onInput={(v) => set({ to: v || undefined })}
                error={error('to')}
              />
            </>
          ) : null}
        </>
      );
    case 'stage':
      return (
        <Checks
          id={id}
          legend="Stages"
          options={STAGES}
          label={stageLabel}
          value={c.in}
          onChange={(v) => set({ in: v })}
          error={error('in')}
        />
      );
    case 'grade':
      return (
        <Checks
          id={id}
          legend="Grades"
          options={['A', 'B', 'C', 'D', 'F']}
          label={(g) => g}
          value={c.in}
          onChange={(v) => set({ in: v })}
          error={error('in')}
        />
      );
    case 'score':
      return (
        <>
          <TextInput
            id={`${id}-min`}
            label="Score at least"
            type="number"
            value={c.min === undefined ? '' : String(c.min)}
            onInput={(v) => set({ min: num(v) })}
            error={error('min')}
          />
          <TextInput
            id={`${id}-max`}
            label="Score at most"
            type="number"
            value={c.max === undefined ? '' : String(c.max)}
            onInput={(v) => set({ max: num(v) })}
            error={error('max')}
          />
        </>
      );
    case 'source':
      return (
        <>
          <Choice
            id={`${id}-key`}
            label="Of the lead's"
            value={c.key}
            options={SOURCE_KEY_LABELS}
            onChange={(key) => set({ key })}
          />
          <TextInput
            id={`${id}-in`}
            label="Is one of (comma-separated)"
            value={c.in.join(', ')}
            onInput={(v) => set({ in: list(v) })}
            error={error('in')}
          />
          <Choice
            id={`${id}-touch`}
            label="Touch"
            value={c.touch ?? 'first'}
            options={{ first: 'First touch', last: 'Latest touch' }}
            onChange={(touch) => set({ touch })}
          />
        </>
      );
    case 'activity':
      return (
        <>
          <TextInput
            id={`${id}-activity`}
            label="Activity type"
            value={c.activity}
            onInput={(v) => set({ activity: v })}
            error={error('activity')}
          />
          <Choice
            id={`${id}-happened`}
            label="Happened"
            value={c.happened ? 'yes' : 'no'}
            options={{ yes: 'happened', no: 'did not happen' }}
            onChange={(v) => set({ happened: v === 'yes' })}
          />
          {days(p, c.withinDays)}
        </>
      );
    case 'email':
      return (
        <>
          <Choice
            id={`${id}-engaged`}
            label="Email"
            value={c.engaged ? 'yes' : 'no'}
            options={{ yes: 'engaged', no: 'not engaged' }}
            onChange={(v) => set({ engaged: v === 'yes' })}
          />
          <Choice
            id={`${id}-by`}
            label="By"
            value={c.by ?? 'either'}
            options={{ either: 'opened or clicked', opened: 'opened', clicked: 'clicked' }}
            onChange={(v) => set({ by: v === 'either' ? undefined : v })}
          />
          {days(p, c.withinDays)}
        </>
      );
    case 'consent':
      return (
        <Choice
          id={`${id}-is`}
          label="Marketing consent"
          value={c.is}
          options={{ granted: 'granted', withdrawn: 'withdrawn', none: 'never given' }}
          onChange={(is) => set({ is })}
        />
      );
    case 'suppressed':
      return (
        <Choice
          id={`${id}-is`}
          label="Suppressed"
          value={c.is ? 'yes' : 'no'}
          options={{ yes: 'suppressed', no: 'not suppressed' }}
          onChange={(v) => set({ is: v === 'yes' })}
        />
      );
  }
}

/** Changing the operator keeps the field and starts the value over in the operator's shape. */
function opChange(field: string, op: keyof typeof FIELD_OPS): Record<string, unknown> {
  const base = {
    type: 'field',
    field,
    op,
    value: undefined,
    min: undefined,
    max: undefined,
    from: undefined,
    to: undefined,
  };
  if (op === 'in') return { ...base, value: [] };
  if (op === 'equals' || op === 'contains' || op === 'starts_with') return { ...base, value: '' };
  if (op === 'between') return { ...base, min: 0 };
  return base;
}

/** The field names to suggest in a Field input. */
export function FieldSuggestions() {
  return (
    <datalist id="seg-fields">
      {STANDARD_FIELDS.map((f) => (
        <option key={f} value={f} />
      ))}
    </datalist>
  );
}
