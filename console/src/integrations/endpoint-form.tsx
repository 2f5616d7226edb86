import { useCallback, useState } from 'preact/hooks';
import { Failed, fieldErrors, Loading, problem } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { loadEventTypes } from './types';

export interface EndpointFields {
  url: string;
  description: string;
  eventTypes: string[];
}

/**
 * The URL, description and event types (checkboxes from the served event list) of an endpoint;
 * `save` answers nothing or throws the API's error, shown at its field.
 */
export function EndpointForm({
  initial,
  submitLabel,
  save,
  cancelHref,
}: {
  initial: EndpointFields;
  submitLabel: string;
  save: (fields: EndpointFields) => Promise<void>;
  cancelHref?: string;
}) {
  const load = useCallback(() => loadEventTypes(), []);
  const [types, reload] = useLoad(load);
  const [fields, setFields] = useState(initial);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    if (fields.eventTypes.length === 0) {
      setErrors({ eventTypes: 'Choose at least one event type.' });
      return;
    }
    setBusy(true);
    setFailure('');
    try {
      await save(fields);
      setErrors({});
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(problem(error));
    }
    setBusy(false);
  }

  if (types.status === 'loading' && !types.data) return <Loading what="the event types" />;
  if (!types.data)
    return (
      <Failed what="the event types" error={types.status === 'error' ? types.error : null} retry={reload} />
    );
  const toggle = (type: string, on: boolean) =>
    setFields({
      ...fields,
      eventTypes: on ? [...fields.eventTypes, type] : fields.eventTypes.filter((t) => t !== type),
    });
  return (
    <form class="wh-form" onSubmit={submit} noValidate>
      <label for="wh-url">Endpoint URL</label>
      <input
        id="wh-url"
        type="url"
        inputMode="url"
        value={fields.url}
        placeholder="https://crm.example.com/leadflow"
        aria-invalid={errors.url ? 'true' : undefined}
        aria-describedby="wh-url-hint"
        onInput={(e) => setFields({ ...fields, url: e.currentTarget.value })}
      />
      <p class="hint" id="wh-url-hint">
        An https address on the public internet (on the local stack also http://127.0.0.1:port).
      </p>
      {errors.url ? <p class="field-error">{errors.url}</p> : null}
      <label for="wh-description">Description (optional)</label>
      <input
        id="wh-description"
        value={fields.description}
        placeholder="Our CRM"
        onInput={(e) => setFields({ ...fields, description: e.currentTarget.value })}
      />
      <fieldset aria-invalid={errors.eventTypes ? 'true' : undefined}>
        <legend>Event types to send</legend>
        {types.data.map((t) => (
          <label key={t.type} class="check wh-type">
            <input
              type="checkbox"
              checked={fields.eventTypes.includes(t.type)}
              onChange={(e) => toggle(t.type, e.currentTarget.checked)}
            />{' '}
            <code>{t.type}</code> <span class="sub">{t.description}</span>
          </label>
        ))}
        {errors.eventTypes ? <p class="field-error">{errors.eventTypes}</p> : null}
      </fieldset>
      {failure ? (
        <p class="error-state" role="alert">
          {failure}
        </p>
      ) : null}
      <div class="bc-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {submitLabel}
        </button>
        {cancelHref ? (
          <a class="button quiet" href={cancelHref}>
            Cancel
          </a>
        ) : null}
      </div>
    </form>
  );
}
