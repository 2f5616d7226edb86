import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { fieldErrors, problem } from './states';
import type { TeamClaim, TeamRep } from './types';

/** A modal dialog (the browser's <dialog>: focus kept inside, Escape closes, focus returns on close). */
export function Modal({
  title,
  onClose,
  children,
}: {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog?.showModal();
    return () => {
      dialog?.close();
      // Back to the button that opened it, when that is still on the page.
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class="sales-dialog"
      aria-labelledby="sales-dialog-title"
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <h2 id="sales-dialog-title">{title}</h2>
      {children}
    </dialog>
  );
}

interface DialogProps {
  claim: TeamClaim;
  onClose: () => void;
}

/** Move a claim to another rep: one of the team's reps, or a user name typed in; confirmed by its own button. */
export function ReassignDialog({
  claim,
  reps,
  onClose,
  onDone,
}: DialogProps & { reps: TeamRep[]; onDone: (repName: string) => void }) {
  const others = reps.filter((r) => r.rep !== claim.rep);
  const [picked, setPicked] = useState(others[0]?.rep ?? '');
  const [typed, setTyped] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const rep = typed.trim() || picked;
  const known = reps.find((r) => r.rep === rep);
  const target = known?.repName ?? rep;

  async function submit(event: Event) {
    event.preventDefault();
    if (!rep) {
      setError('Choose a rep or type a user name.');
      document.getElementById('reassign-username')?.focus();
      return;
    }
    if (rep === claim.rep) {
      setError(`${claim.repName} already holds this claim.`);
      return;
    }
    setBusy(true);
    setError('');
    try {
      await api.post(`/v1/sales/leads/${encodeURIComponent(claim.leadId)}/reassign`, {
        rep,
        ...(known ? { repName: known.repName } : {}),
      });
      onDone(target);
    } catch (failure) {
      setError(fieldErrors(failure).rep ?? problem(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="Reassign a claim" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <p>
          {claim.name ?? claim.email} is held by {claim.repName}.
        </p>
        {others.length ? (
          <div class="sales-field">
            <label for="reassign-rep">Give it to</label>
            <select id="reassign-rep" value={picked} onChange={(e) => setPicked(e.currentTarget.value)}>
              {others.map((r) => (
                <option key={r.rep} value={r.rep}>
                  {r.repName} ({r.claims} claims, {r.owned} owned)
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div class="sales-field">
          <label for="reassign-username">
            {others.length ? 'Or type a user name' : 'User name of the rep'}
          </label>
          <input
            id="reassign-username"
            type="text"
            autoComplete="off"
            value={typed}
            onInput={(e) => setTyped(e.currentTarget.value)}
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'reassign-error' : undefined}
          />
        </div>
        {error ? (
          <p class="sales-field__error" id="reassign-error" role="alert">
            {error}
          </p>
        ) : null}
        <div class="sales-dialog__buttons">
          <button type="submit" class="button primary" disabled={busy || !rep}>
            {rep ? `Reassign to ${target}` : 'Reassign'}
          </button>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** End another rep's claim: the lead goes back to the shared queue (unless sales owns it). */
export function ReleaseDialog({ claim, onClose, onDone }: DialogProps & { onDone: () => void }) {
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  async function release() {
    setBusy(true);
    setError('');
    try {
      await api.post(`/v1/sales/leads/${encodeURIComponent(claim.leadId)}/release`);
      onDone();
    } catch (failure) {
      setError(problem(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title="Release a claim" onClose={onClose}>
      <p>
        End {claim.repName}’s claim on {claim.name ?? claim.email}? The lead goes back to the shared queue for
        the next rep.
      </p>
      {error ? (
        <p class="sales-field__error" role="alert">
          {error}
        </p>
      ) : null}
      <div class="sales-dialog__buttons">
        <button type="button" class="button danger" disabled={busy} onClick={() => void release()}>
          Release the claim
        </button>
        <button type="button" class="button" onClick={onClose}>
          Cancel
        </button>
      </div>
    </Modal>
  );
}
