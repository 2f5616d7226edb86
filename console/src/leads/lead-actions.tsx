import { useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import type { Rights } from '../roles';
import { navigate } from '../router';
import type { LeadView } from './types';
import { UnsubscribeAction } from './unsubscribe-action';

/** The actions the person's role allows on this lead: nothing else is shown (the API refuses the rest anyway). */
export function LeadActions({
  lead,
  can,
  onChanged,
}: {
  lead: LeadView;
  can: Rights;
  onChanged: () => void;
}) {
  if (!can.note && !can.enroll && !can.unsubscribe && !can.erase) return null;
  return (
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      {can.note && <NoteForm leadId={lead.leadId} onAdded={onChanged} />}
      {can.enroll && <EnrollForm leadId={lead.leadId} onEnrolled={onChanged} />}
      {can.unsubscribe && <UnsubscribeAction lead={lead} onUnsubscribed={onChanged} />}
      {can.erase && <EraseForm lead={lead} />}
    </section>
  );
}

function NoteForm({ leadId, onAdded }: { leadId: string; onAdded: () => void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setMessage('');
    try {
      await api.post(`/v1/admin/leads/${encodeURIComponent(leadId)}/notes`, { text: text.trim() });
      setText('');
      setMessage('Note added.');
      onAdded();
    } catch (error) {
      setMessage(`The note was not added: ${problem(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="action" onSubmit={submit}>
      <label for="note-text">Add a note</label>
      <textarea
        id="note-text"
        rows={3}
        maxLength={2000}
        required
        value={text}
        onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <div class="row">
        <button type="submit" class="button primary" disabled={busy || text.trim() === ''}>
          Add note
        </button>
        <span role="status">{message}</span>
      </div>
    </form>
  );
}

interface NurtureVersions {
  active: { document: { sequences?: { id: string; name: string; enabled?: boolean }[] } } | null;
}

function EnrollForm({ leadId, onEnrolled }: { leadId: string; onEnrolled: () => void }) {
  const [sequences, setSequences] = useState<{ id: string; name: string }[] | null>(null);
  const [failure, setFailure] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    api.get<NurtureVersions>('/v1/admin/nurture').then(
      (n) => setSequences((n.active?.document.sequences ?? []).filter((s) => s.enabled !== false)),
      (error) => setFailure(problem(error)),
    );
  }, []);
  if (failure) return <p class="sub">Sequences could not be loaded: {failure}</p>;
  if (!sequences) return <p class="sub">Loading sequences…</p>;
  if (sequences.length === 0) return <p class="sub">No sequence is published: nothing to enroll in.</p>;
  const submit = async (event: Event) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget as HTMLFormElement).get('sequence') ?? '');
    setBusy(true);
    setMessage('');
    try {
      await api.post(`/v1/admin/sequences/${encodeURIComponent(id)}/enrollments`, { leadId });
      setMessage('Enrolled.');
      onEnrolled();
    } catch (error) {
      setMessage(`Not enrolled: ${problem(error)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="action" onSubmit={submit}>
      <label for="enroll-sequence">Enroll in a sequence</label>
      <div class="row">
        <select id="enroll-sequence" name="sequence">
          {sequences.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
        <button type="submit" class="button" disabled={busy}>
          Enroll
        </button>
      </div>
      <span role="status">{message}</span>
    </form>
  );
}

function EraseForm({ lead }: { lead: LeadView }) {
  const [typed, setTyped] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  const matches = typed.trim().toLowerCase() === lead.email.toLowerCase();
  const submit = async (event: Event) => {
    event.preventDefault();
    if (!matches) return;
    setBusy(true);
    try {
      await api.delete(`/v1/admin/leads/${encodeURIComponent(lead.leadId)}`);
      navigate(`/console/leads?erased=${encodeURIComponent(lead.email)}`);
    } catch (error) {
      setMessage(`Not erased: ${problem(error)}`);
      setBusy(false);
    }
  };
  return (
    <details class="danger">
      <summary>Erase this lead</summary>
      <form class="action" onSubmit={submit}>
        <p>
          Erasing removes the lead, its timeline and its deliveries for good (a privacy request). It cannot be
          undone.
        </p>
        <label for="erase-confirm">
          Type <strong>{lead.email}</strong> to confirm
        </label>
        <input
          id="erase-confirm"
          autoComplete="off"
          value={typed}
          onInput={(e) => setTyped((e.currentTarget as HTMLInputElement).value)}
        />
        <button type="submit" class="button danger" disabled={!matches || busy}>
          Erase lead
        </button>
        <span role="status">{message}</span>
      </form>
    </details>
  );
}
