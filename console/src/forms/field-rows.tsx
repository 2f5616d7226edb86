import { FIELD_TYPES, type FieldType, type FormField } from './types';

/** A field of another type keeps its name, label and required; type-only settings go. */
function retyped(field: FormField, type: FieldType): FormField {
  const { name, label, required } = field;
  return {
    name,
    type,
    ...(label ? { label } : {}),
    ...(required ? { required } : {}),
    ...(type === 'select' ? { options: ['Option 1'] } : {}),
  };
}

const numberOrNone = (value: string) => (value.trim() === '' ? undefined : Number(value));

/** The form's fields, one fieldset each; `errors` by path inside `fields` (`0.name`, `2.options`…). */
export function FieldRows({
  fields,
  errors,
  onChange,
}: {
  fields: FormField[];
  errors: Record<string, string>;
  onChange: (fields: FormField[]) => void;
}) {
  const set = (index: number, next: FormField) => onChange(fields.map((f, i) => (i === index ? next : f)));
  const control = (index: number, key: string) => {
    const id = `field-${index}-${key}`;
    const error = errors[`${index}.${key}`];
    return {
      id,
      error,
      invalid: error ? true : undefined,
      describedBy: error ? `${id}-error` : undefined,
      message: error ? (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null,
    };
  };
  return (
    <>
      {fields.map((field, index) => {
        const name = control(index, 'name');
        const type = control(index, 'type');
        const labelC = control(index, 'label');
        const extra = control(index, field.type === 'select' ? 'options' : 'maxLength');
        const whole = errors[`${index}`];
        return (
          <fieldset class="forms-field" key={index}>
            <legend>
              Field {index + 1}
              {field.name ? `: ${field.name}` : ''}
            </legend>
            {whole ? <p class="field-error">{whole}</p> : null}
            <div class="forms-control">
              <label for={name.id}>Name</label>
              <input
                id={name.id}
                value={field.name}
                aria-invalid={name.invalid}
                aria-describedby={name.describedBy}
                onInput={(e) => set(index, { ...field, name: e.currentTarget.value })}
              />
              {name.message}
            </div>
            <div class="forms-control">
              <label for={type.id}>Type</label>
              <select
                id={type.id}
                value={field.type}
                aria-invalid={type.invalid}
                onChange={(e) => set(index, retyped(field, e.currentTarget.value as FieldType))}
              >
                {FIELD_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
              {type.message}
            </div>
            <div class="forms-control">
              <label for={labelC.id}>Label</label>
              <input
                id={labelC.id}
                value={field.label ?? ''}
                aria-invalid={labelC.invalid}
                aria-describedby={labelC.describedBy}
                onInput={(e) => set(index, { ...field, label: e.currentTarget.value || undefined })}
              />
              {labelC.message}
            </div>
            {field.type === 'select' ? (
              <div class="forms-control">
                <label for={extra.id}>Options (one a line)</label>
                <textarea
                  id={extra.id}
                  rows={3}
                  value={(field.options ?? []).join('\n')}
                  aria-invalid={extra.invalid}
                  aria-describedby={extra.describedBy}
                  onInput={(e) => set(index, { ...field, options: e.currentTarget.value.split('\n') })}
                />
                {extra.message}
              </div>
            ) : field.type === 'text' || field.type === 'textarea' ? (
              <div class="forms-control">
                <label for={extra.id}>Longest answer (characters)</label>
                <input
                  id={extra.id}
                  type="number"
                  value={field.maxLength ?? ''}
                  aria-invalid={extra.invalid}
                  aria-describedby={extra.describedBy}
                  onInput={(e) => set(index, { ...field, maxLength: numberOrNone(e.currentTarget.value) })}
                />
                {extra.message}
              </div>
            ) : null}
            <label class="check">
              <input
                type="checkbox"
                checked={field.required === true}
                onChange={(e) => set(index, { ...field, required: e.currentTarget.checked })}
              />{' '}
              Required
            </label>
            <button
              type="button"
              class="button quiet"
              onClick={() => onChange(fields.filter((_, i) => i !== index))}
            >
              Remove field {index + 1}
            </button>
          </fieldset>
        );
      })}
    </>
  );
}
