import {
  CellError,
  cellId,
  type Errors,
  focusSoon,
  invalid,
  ListInput,
  NumberInput,
  RuleIdAndPoints,
} from './cells';
import { explainFit, operatorOf } from './explain';
import { type FitCondition, type FitOperator, type FitRule, OPERATOR_LABELS } from './types';

const DOMAINS = ['business', 'free', 'disposable'] as const;

/** A condition of `operator` on `field`, keeping the field; empty values so the check says what is missing. */
function conditionOf(operator: FitOperator, field: string): FitCondition {
  switch (operator) {
    case 'containsAny':
      return { field, containsAny: [] };
    case 'in':
      return { field, in: [] };
    case 'range':
      return { field, range: {} };
    case 'present':
      return { field, present: true };
    case 'equals':
      return { field, equals: '' };
    default:
      return { emailDomain: 'business' };
  }
}

const fieldOf = (when: FitCondition) => ('field' in when ? when.field : '');

/** Fit rules (who the lead is) as an editable table: each row with its meaning in words. */
export function FitRulesTable(props: {
  rules: FitRule[];
  errors: Errors;
  onChange: (rules: FitRule[]) => void;
}) {
  const { rules, errors } = props;
  const set = (i: number, rule: FitRule) => props.onChange(rules.map((r, j) => (j === i ? rule : r)));
  return (
    <div class="sc-table-wrap">
      <div class="sc-table-head">
        <h3 id="sc-fit-title">Fit rules: who the lead is</h3>
        <button
          type="button"
          class="button sc-add"
          onClick={() => {
            props.onChange([...rules, { id: '', points: 10, when: { field: '', containsAny: [] } }]);
            focusSoon(cellId(`fit.${rules.length}.id`));
          }}
        >
          Add fit rule
        </button>
      </div>
      <table class="sc-rules" aria-labelledby="sc-fit-title">
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Points</th>
            <th scope="col">Field</th>
            <th scope="col">Test</th>
            <th scope="col">Value</th>
            <th scope="col">In words</th>
            <th scope="col">
              <span class="visually-hidden">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((rule, i) => {
            const n = `fit rule ${i + 1}`;
            const at = (cell: string) => `fit.${i}.${cell}`;
            const op = operatorOf(rule);
            return (
              <tr key={i}>
                <RuleIdAndPoints
                  rule={rule}
                  name={n}
                  at={`fit.${i}`}
                  errors={errors}
                  onChange={(next) => set(i, next)}
                />
                <td data-label="Field">
                  {op === 'emailDomain' ? (
                    <span class="sub">email</span>
                  ) : (
                    <>
                      <input
                        id={cellId(at('field'))}
                        type="text"
                        aria-label={`Field of ${n}`}
                        value={fieldOf(rule.when)}
                        onInput={(e) =>
                          set(i, {
                            ...rule,
                            when: { ...rule.when, field: e.currentTarget.value } as FitCondition,
                          })
                        }
                        {...invalid(at('field'), errors)}
                      />
                      <CellError cell={at('field')} errors={errors} />
                    </>
                  )}
                </td>
                <td data-label="Test">
                  <select
                    aria-label={`Test of ${n}`}
                    value={op}
                    onChange={(e) =>
                      set(i, {
                        ...rule,
                        when: conditionOf(e.currentTarget.value as FitOperator, fieldOf(rule.when)),
                      })
                    }
                  >
                    {Object.entries(OPERATOR_LABELS).map(([value, text]) => (
                      <option key={value} value={value}>
                        {text}
                      </option>
                    ))}
                  </select>
                </td>
                <td data-label="Value">
                  <ValueInput
                    rule={rule}
                    label={`Value of ${n}`}
                    cell={at('value')}
                    errors={errors}
                    set={(r) => set(i, r)}
                  />
                </td>
                <td class="sc-words">
                  {explainFit(rule)}
                  {rule.description ? <span class="sub">{rule.description}</span> : null}
                </td>
                <td>
                  <button
                    type="button"
                    class="button quiet"
                    onClick={() => props.onChange(rules.filter((_, j) => j !== i))}
                  >
                    Remove<span class="visually-hidden"> {n}</span>
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function ValueInput(props: {
  rule: FitRule;
  label: string;
  cell: string;
  errors: Errors;
  set: (rule: FitRule) => void;
}) {
  const { rule, label, cell, errors } = props;
  const when = rule.when;
  const put = (next: FitCondition) => props.set({ ...rule, when: next });
  if ('containsAny' in when)
    return (
      <ListInput
        cell={cell}
        label={`${label} (words, comma-separated)`}
        value={when.containsAny}
        errors={errors}
        onChange={(words) => put({ ...when, containsAny: words })}
      />
    );
  if ('in' in when)
    return (
      <ListInput
        cell={cell}
        label={`${label} (comma-separated)`}
        value={when.in}
        errors={errors}
        onChange={(items) => put({ ...when, in: items })}
      />
    );
  if ('range' in when)
    return (
      <div class="sc-range">
        <NumberInput
          cell={cell}
          label={`${label}: from`}
          value={when.range.min}
          errors={{}}
          onChange={(min) => put({ ...when, range: { ...when.range, min } })}
        />
        <NumberInput
          cell={`${cell}.max`}
          label={`${label}: to`}
          value={when.range.max}
          errors={{}}
          onChange={(max) => put({ ...when, range: { ...when.range, max } })}
        />
        <CellError cell={cell} errors={errors} />
      </div>
    );
  if ('present' in when)
    return (
      <select
        aria-label={label}
        value={String(when.present)}
        onChange={(e) => put({ ...when, present: e.currentTarget.value === 'true' })}
      >
        <option value="true">filled in</option>
        <option value="false">left empty</option>
      </select>
    );
  if ('equals' in when)
    return (
      <>
        <input
          id={cellId(cell)}
          type="text"
          aria-label={label}
          value={String(when.equals)}
          onInput={(e) => put({ ...when, equals: e.currentTarget.value })}
          {...invalid(cell, errors)}
        />
        <CellError cell={cell} errors={errors} />
      </>
    );
  return (
    <select
      aria-label={label}
      value={when.emailDomain}
      onChange={(e) => put({ emailDomain: e.currentTarget.value as (typeof DOMAINS)[number] })}
    >
      {DOMAINS.map((d) => (
        <option key={d} value={d}>
          {d}
        </option>
      ))}
    </select>
  );
}
