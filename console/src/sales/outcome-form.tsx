import { useState } from 'preact/hooks';
import { api } from '../api';
import { OUTCOME_LABEL } from './format';
import { fieldErrors, problem } from './states';
import { OUTCOMES, type Outcome, type OutcomeRecorded } from './types';

interface Props {
  leadId: string;
  /** The claim's token; left out for a lead sales owns through the rep (the owner needs none). */
  claimToken?: string;
  /** Keeps the fields' ids apart when one page shows several forms. */
  idPrefix: string;
  /** Called with the API's answer once the outcome is recorded. */
  onRecorded: (result: OutcomeRecorded, outcome: Outcome) => void;
}

/**
 * The outcome buttons with a note and a reason (required for disqualified). The reason is checked
 * here first; the API's 400 for a field is shown at that field as well.
 */
export function OutcomeForm({ leadId, claimToken, idPrefix, onRecorded }: Props) {
  const [note, setNote] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState<Outcome | null>(null);
  const id = (field: string) => `${idPrefix}-${field}-${leadId}`;

  async function record(outcome: Outcome) {
    setFailure('');
    if (outcome === 'disqualified' && !reason.trim()) {
      setErrors({ reason: 'Say why the lead is disqualified.' });
      document.getElementById(id('reason'))?.focus();
      return;
    }
    setErrors({});
    setBusy(outcome);
    try {
      const result = await api.post<OutcomeRecorded>(
        `/v1/sales/leads/${encodeURIComponent(leadId)}/outcome`,
        {
          outcome,
          ...(claimToken ? { claimToken } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        },
      );
      setNote('');
      setReason('');
      onRecorded(result, outcome);
    } catch (error) {
      const fields = fieldErrors(error);
      const shown = Object.fromEntries(
        Object.entries(fields).filter(([path]) => path === 'note' || path === 'reason'),
      );
      setErrors(shown);
      const first = Object.keys(shown)[0];
      if (first) document.getElementById(id(first))?.focus();
      else setFailure(problem(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <form class="sales-outcome" onSubmit={(event) => event.preventDefault()} noValidate>
      <fieldset>
        <legend>Record an outcome</legend>
        <div class="sales-field">
          <label for={id('note')}>Note (optional)</label>
          <textarea
            id={id('note')}
            rows={3}
            maxLength={2000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
            aria-invalid={errors.note ? 'true' : undefined}
            aria-describedby={errors.note ? id('note-error') : undefined}
          />
          {errors.note ? (
            <p class="sales-field__error" id={id('note-error')}>
              {errors.note}
            </p>
          ) : null}
        </div>
        <div class="sales-field">
          <label for={id('reason')}>Reason (required to disqualify)</label>
          <input
            id={id('reason')}
            type="text"
            maxLength={500}
            value={reason}
            onInput={(e) => setReason(e.currentTarget.value)}
            aria-invalid={errors.reason ? 'true' : undefined}
            aria-describedby={errors.reason ? id('reason-error') : undefined}
          />
          {errors.reason ? (
            <p class="sales-field__error" id={id('reason-error')}>
              {errors.reason}
            </p>
          ) : null}
        </div>
        <div class="sales-outcome__buttons">
          {OUTCOMES.map((outcome) => (
            <button
              key={outcome}
              type="button"
              class={`button${outcome === 'meeting_booked' || outcome === 'won' ? ' primary' : ''}`}
              disabled={busy !== null}
              aria-busy={busy === outcome ? 'true' : undefined}
              onClick={() => void record(outcome)}
            >
              {OUTCOME_LABEL[outcome]}
            </button>
          ))}
        </div>
        {failure ? (
          <p class="sales-field__error" role="alert">
            {failure}
          </p>
        ) : null}
      </fieldset>
    </form>
  );
}
