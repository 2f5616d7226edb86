import type { CsvHead } from './csv-head';
import { customName, FIELD_LABELS, IGNORE, STANDARD_FIELDS } from './guess';

interface Props {
  head: CsvHead;
  mapping: Record<string, string>;
  onChange: (mapping: Record<string, string>) => void;
  /** Custom fields the config already uses (templates, sequences), offered by name. */
  customFields: string[];
  /** The per-row consent column, if one is chosen: it is read as yes/no, not as a field. */
  consentColumn?: string;
  errors: Record<string, string>;
}

/** One row per column of the file: its header, an example value, and the field it goes to. */
export function MappingTable({ head, mapping, onChange, customFields, consentColumn, errors }: Props) {
  const used = new Map<string, string>();
  for (const [column, target] of Object.entries(mapping)) if (target !== IGNORE) used.set(target, column);
  return (
    <div class="table-wrap">
      <table class="imp-map">
        <caption class="visually-hidden">Columns of the file and the lead field each one fills</caption>
        <thead>
          <tr>
            <th scope="col">Column in the file</th>
            <th scope="col">Example</th>
            <th scope="col">Goes to</th>
          </tr>
        </thead>
        <tbody>
          {head.header.map((column, index) => {
            const id = `imp-col-${index}`;
            const error = errors[`mapping.${column}`];
            const target = mapping[column] ?? IGNORE;
            const own = customName(column);
            const example = head.samples.find((row) => row[index]?.trim())?.[index]?.trim() ?? '';
            const isConsent = column !== '' && column === consentColumn;
            return (
              <tr key={id}>
                <th scope="row">{column || <em>(no header)</em>}</th>
                <td class="imp-example">{example || <span class="sub">empty</span>}</td>
                <td>
                  <label for={id} class="visually-hidden">
                    Field for column {column || index + 1}
                  </label>
                  <select
                    id={id}
                    value={isConsent ? IGNORE : target}
                    disabled={column === '' || isConsent}
                    aria-invalid={error ? 'true' : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    onChange={(e) => onChange({ ...mapping, [column]: e.currentTarget.value })}
                  >
                    <option value={IGNORE}>Do not import</option>
                    <optgroup label="Standard fields">
                      {STANDARD_FIELDS.map((field) => (
                        <option key={field} value={field} disabled={taken(used, field, column)}>
                          {FIELD_LABELS[field]}
                        </option>
                      ))}
                    </optgroup>
                    <optgroup label="Custom fields">
                      {customFields.map((name) => (
                        <option
                          key={name}
                          value={`custom:${name}`}
                          disabled={taken(used, `custom:${name}`, column)}
                        >
                          {name}
                        </option>
                      ))}
                      {own && !customFields.includes(own) ? (
                        <option value={`custom:${own}`} disabled={taken(used, `custom:${own}`, column)}>
                          New custom field: {own}
                        </option>
                      ) : null}
                    </optgroup>
                  </select>
                  {isConsent ? <span class="sub">Read as each row's consent (yes/no)</span> : null}
                  {error ? (
                    <p class="field-error" id={`${id}-error`}>
                      {error}
                    </p>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** A target another column already fills (each field takes one column). */
const taken = (used: Map<string, string>, target: string, column: string) =>
  used.has(target) && used.get(target) !== column;
