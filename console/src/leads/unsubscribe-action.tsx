import { useEffect, useRef, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { fmtTime } from '../format';
import type { LeadView } from './types';

/**
 * Unsubscribe for the lead (a request by phone or mail), after a confirmation: the same as the
 * lead's own unsubscribe link, recorded with the person's name. Marketing and admin only.
 */
export function UnsubscribeAction({ lead, onUnsubscribed }: { lead: LeadView; onUnsubscribed: () => void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const confirm = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirm.current?.focus();
  }, [asking]);

  const consent = lead.marketingConsent;
  if (consent && !consent.granted && consent.source === 'unsubscribe')
    return (
      <p class="action sub" role="status">
        Unsubscribed {fmtTime(consent.at)}
        {message ? ` · ${message}` : ''}
      </p>
    );

  const cancel = () => {
    setAsking(false);
    setTimeout(() => opener.current?.focus());
  };
  const unsubscribe = async () => {
    if (busy) return;
    setBusy(true);
    setMessage('');
    try {
      await api.post(`/v1/admin/leads/${encodeURIComponent(lead.leadId)}/unsubscribe`);
      setMessage('Unsubscribed: no marketing email will go to this address again.');
      setAsking(false);
      onUnsubscribed();
    } catch (error) {
      setMessage(`Not unsubscribed: ${problem(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="action">
      {!asking ? (
        <button type="button" class="button" ref={opener} onClick={() => setAsking(true)}>
          Unsubscribe…
        </button>
      ) : (
        <fieldset aria-labelledby="unsubscribe-question" class="confirm">
          <p id="unsubscribe-question">
            Unsubscribe <strong>{lead.email}</strong>? Every sequence and broadcast stops for good, and the
            timeline records that you did it.
          </p>
          <div class="row">
            {/* aria-disabled, not disabled: a disabled button drops the keyboard focus while the call runs. */}
            <button
              type="button"
              class="button danger"
              ref={confirm}
              aria-disabled={busy}
              onClick={unsubscribe}
            >
              Yes, unsubscribe
            </button>
            <button type="button" class="button quiet" onClick={cancel}>
              Cancel
            </button>
          </div>
        </fieldset>
      )}
      <span role="status">{message}</span>
    </div>
  );
}
