import { useEffect, useState } from 'preact/hooks';
import type { Errors } from './paths';

export { type Errors, errorsByCell } from './paths';

/** An element id for a cell (dots are fine in ids, but not in CSS selectors a reader may write). */
export const cellId = (cell: string) => `sc-${cell.replaceAll('.', '-')}`;

/** The props that tie an input to its error: aria-invalid and the error's id. */
export function invalid(cell: string, errors: Errors) {
  return errors[cell] ? { 'aria-invalid': true as const, 'aria-describedby': `${cellId(cell)}-err` } : {};
}

export function CellError({ cell, errors }: { cell: string; errors: Errors }) {
  return errors[cell] ? (
    <p class="field-error" id={`${cellId(cell)}-err`}>
      {errors[cell]}
    </p>
  ) : null;
}

/** A number from an input: empty is `undefined` (an optional setting left out). */
export const numberOf = (text: string): number | undefined =>
  text.trim() === '' || Number.isNaN(Number(text)) ? undefined : Number(text);

interface NumberInputProps {
  cell: string;
  /** The accessible name when no <label for> names the input (inside a table). */
  label?: string;
  value: number | undefined;
  errors: Errors;
  onChange: (value: number | undefined) => void;
}

export function NumberInput({ cell, label, value, errors, onChange }: NumberInputProps) {
  return (
    <>
      <input
        id={cellId(cell)}
        type="number"
        class="sc-num"
        aria-label={label}
        value={value ?? ''}
        onInput={(e) => onChange(numberOf(e.currentTarget.value))}
        {...invalid(cell, errors)}
      />
      <CellError cell={cell} errors={errors} />
    </>
  );
}

const split = (text: string) =>
  text
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);

/**
 * A comma-separated list. It keeps what the person typed ("vp, " with its comma) and only takes
 * the list from the props when it is another list (a rule added or removed above it).
 */
export function ListInput(props: {
  cell: string;
  label: string;
  value: readonly (string | number)[];
  errors: Errors;
  onChange: (value: string[]) => void;
}) {
  const joined = props.value.join(', ');
  const [text, setText] = useState(joined);
  useEffect(() => {
    if (split(text).join(', ') !== joined) setText(joined);
  }, [joined]);
  return (
    <>
      <input
        id={cellId(props.cell)}
        type="text"
        aria-label={props.label}
        value={text}
        onInput={(e) => {
          setText(e.currentTarget.value);
          props.onChange(split(e.currentTarget.value));
        }}
        {...invalid(props.cell, props.errors)}
      />
      <CellError cell={props.cell} errors={props.errors} />
    </>
  );
}

/** Moves the focus to an element the next render makes (a rule row just added). */
export function focusSoon(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}

/** A rule's first two cells, the same in both tables: its id (with the row's error) and its points. */
export function RuleIdAndPoints<R extends { id: string; points: number }>(props: {
  rule: R;
  /** e.g. "fit rule 2": the inputs' accessible names. */
  name: string;
  /** The row's cell path prefix, e.g. "fit.1". */
  at: string;
  errors: Errors;
  onChange: (rule: R) => void;
}) {
  const { rule, name, at, errors, onChange } = props;
  return (
    <>
      <td data-label="Rule">
        <input
          id={cellId(`${at}.id`)}
          type="text"
          aria-label={`Id of ${name}`}
          value={rule.id}
          onInput={(e) => onChange({ ...rule, id: e.currentTarget.value })}
          {...invalid(`${at}.id`, errors)}
        />
        <CellError cell={`${at}.id`} errors={errors} />
        <CellError cell={`${at}.row`} errors={errors} />
      </td>
      <td data-label="Points">
        <NumberInput
          cell={`${at}.points`}
          label={`Points of ${name}`}
          value={rule.points}
          errors={errors}
          onChange={(points) => onChange({ ...rule, points: points as number })}
        />
      </td>
    </>
  );
}
