import { useCallback, useState } from 'preact/hooks';
import { api } from '../api';
import { fmtCount } from '../format';
import { navigate } from '../router';
import { Failed, fieldErrors, Loading, problem } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { AbFields, type AbForm, abBody, newAb } from './ab-fields';
import { type Audience, AudienceFields, NEW_AUDIENCE, segmentBody } from './audience';
import { type Broadcast, EXCLUDED_LABELS, type Excluded, type Preview } from './types';

interface NurtureVersions {
  active: { document: { templates: { id: string; name?: string; subject?: string }[] } } | null;
}

/**
 * A new broadcast: a name, a template, who (stages or a saved segment, consent always), the recipient count and who
 * is left out and why (the preview route), when (now or a time), an optional A/B subject test;
 * saved as a draft, or started.
 */
export function NewBroadcastPage() {
  const load = useCallback(() => api.get<NurtureVersions>('/v1/admin/nurture'), []);
  const [config, reload] = useLoad(load);
  const templates = config.data?.active?.document.templates ?? [];
  const [name, setName] = useState('');
  const [template, setTemplate] = useState('');
  const [audience, setAudience] = useState<Audience>(NEW_AUDIENCE);
  const [when, setWhen] = useState<'now' | 'later'>('now');
  const [sendAt, setSendAt] = useState('');
  const [ignoreWindow, setIgnoreWindow] = useState(false);
  const [ab, setAb] = useState<AbForm | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = template || templates[0]?.id || '';
  const segment = segmentBody(audience);

  async function count() {
    setPreview(null);
    try {
      setPreview(await api.post<Preview>('/v1/admin/broadcasts/preview', { template: chosen, segment }));
    } catch (error) {
      setFailure(problem(error));
    }
  }

  async function save(draft: boolean) {
    setBusy(true);
    setErrors({});
    setFailure('');
    try {
      const created = await api.post<Broadcast>('/v1/admin/broadcasts', {
        ...(name.trim() ? { name: name.trim() } : {}),
        template: chosen,
        segment,
        ...(when === 'later' && sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}),
        ignoreSendWindow: ignoreWindow,
        ...(ab ? { abTest: abBody(ab) } : {}),
        ...(draft ? { draft: true } : {}),
      });
      navigate(`/console/broadcasts/${created.broadcastId}`);
    } catch (error) {
      setErrors(fieldErrors(error));
      setFailure(problem(error));
      setBusy(false);
    }
  }

  if (config.status === 'loading' && !config.data) return <Loading what="templates" />;
  if (config.status === 'error') return <Failed what="templates" error={config.error} retry={reload} />;
  return (
    <section class="page broadcasts">
      <h1 tabIndex={-1}>New broadcast</h1>
      <form
        class="bc-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(false);
        }}
      >
        <label for="bc-name">Name</label>
        <input
          id="bc-name"
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          placeholder="Spring pricing"
        />
        <label for="bc-template">Template</label>
        <select id="bc-template" value={chosen} onChange={(e) => setTemplate(e.currentTarget.value)}>
          {templates.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name ?? t.id}
            </option>
          ))}
        </select>
        {errors.template ? <p class="field-error">{errors.template}</p> : null}
        <AudienceFields
          audience={audience}
          onChange={(next) => {
            setAudience(next);
            setPreview(null);
          }}
          error={errors['segment.segmentId'] ?? errors.segment}
        />
        <div class="bc-preview">
          <button type="button" class="button" onClick={count}>
            Count recipients
          </button>
          <div aria-live="polite">{preview ? <Recipients preview={preview} /> : null}</div>
        </div>
        <fieldset>
          <legend>When</legend>
          <label class="check">
            <input type="radio" name="when" checked={when === 'now'} onChange={() => setWhen('now')} /> Send
            now
          </label>
          <label class="check">
            <input type="radio" name="when" checked={when === 'later'} onChange={() => setWhen('later')} />{' '}
            Schedule
          </label>
          {when === 'later' ? (
            <>
              <label for="bc-send-at">Send at (your time)</label>
              <input
                id="bc-send-at"
                type="datetime-local"
                value={sendAt}
                onInput={(e) => setSendAt(e.currentTarget.value)}
              />
            </>
          ) : null}
          {errors.sendAt ? <p class="field-error">{errors.sendAt}</p> : null}
          <label class="check">
            <input
              type="checkbox"
              checked={ignoreWindow}
              onChange={(e) => setIgnoreWindow(e.currentTarget.checked)}
            />{' '}
            Send outside the send window too
          </label>
        </fieldset>
        <label class="check">
          <input
            type="checkbox"
            checked={ab !== null}
            onChange={(e) => setAb(e.currentTarget.checked ? newAb() : null)}
          />{' '}
          A/B test the subject line
        </label>
        {ab ? <AbFields ab={ab} onChange={setAb} errors={errors} /> : null}
        {failure ? (
          <p class="error-state" role="alert">
            {failure}
          </p>
        ) : null}
        <div class="bc-actions">
          <button type="submit" class="button primary" disabled={busy}>
            {when === 'now' ? 'Send now' : 'Schedule'}
          </button>
          <button type="button" class="button" disabled={busy} onClick={() => save(true)}>
            Save draft
          </button>
          <a class="button quiet" href="/console/broadcasts">
            Cancel
          </a>
        </div>
      </form>
    </section>
  );
}

function Recipients({ preview }: { preview: Preview }) {
  const left = (Object.keys(EXCLUDED_LABELS) as (keyof Excluded)[]).filter((k) => preview.excluded[k] > 0);
  return (
    <div class="bc-recipients">
      <p>
        <strong>{fmtCount(preview.recipients)}</strong>{' '}
        {preview.recipients === 1 ? 'recipient' : 'recipients'}
        {preview.complete ? '' : ' so far (counting stopped early; the broadcast reaches every lead)'}
      </p>
      {left.length > 0 ? (
        <ul aria-label="Left out">
          {left.map((k) => (
            <li key={k}>
              {fmtCount(preview.excluded[k])} left out: {EXCLUDED_LABELS[k]}
            </li>
          ))}
        </ul>
      ) : (
        <p>Nobody in this audience is left out.</p>
      )}
    </div>
  );
}
