import { useState } from 'preact/hooks';
import { stringify } from 'yaml';
import { ApiError, api, problem } from '../api';
import { VersionConflict, type VersionConflictState } from '../version-conflict';
import type { NurtureVersions, TemplateDoc, TemplateEdit } from './types';

/**
 * Proof, save and activate. A proof goes to the signed-in person through the test-send route
 * (the saved version: a proof shows what would really go out). Saving adds a config version
 * with this template replaced (the rest of the active config as it is); nothing changes for
 * leads until that version is activated. Both are based on the version the edit started from
 * (`based`): if someone else activated another one since, the notice offers `onReapply`.
 */
export function SaveBar({
  versions,
  templateId,
  edited,
  dirty,
  proofTo,
  based,
  onSaved,
  onReapply,
}: {
  versions: NurtureVersions;
  templateId: string;
  edited: TemplateDoc;
  dirty: boolean;
  proofTo: string | undefined;
  based: VersionConflictState<TemplateEdit | undefined>;
  /** A version was activated (the one saved here). */
  onSaved: (version: number) => void;
  /** Reloads the latest version with my edits re-applied on it. */
  onReapply: () => Promise<void>;
}) {
  const [saved, setSaved] = useState<number | null>(null);
  const [message, setMessage] = useState('');
  const [failure, setFailure] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);
  const active = versions.active;
  const basedOn = based.base.version ?? active?.version;

  async function run(action: () => Promise<string>) {
    setBusy(true);
    setFailure([]);
    based.dismiss();
    setMessage('');
    try {
      setMessage(await action());
    } catch (error) {
      if (based.caught(error)) return setSaved(null);
      const details = error instanceof ApiError ? error.details.map((d) => `${d.path}: ${d.message}`) : [];
      setFailure([problem(error), ...details]);
    } finally {
      setBusy(false);
    }
  }

  const proof = () =>
    run(async () => {
      const version = saved ?? active?.version;
      await api.post(`/v1/admin/templates/${encodeURIComponent(templateId)}/test-send`, {
        to: proofTo,
        ...(version ? { version } : {}),
      });
      return `Proof of version ${version} sent to ${proofTo}.`;
    });
  const save = () =>
    run(async () => {
      if (!active) throw new Error('No active config to start from.');
      const templates = active.document.templates.map((t) =>
        t.id === templateId ? withoutDerivedHtml(edited) : t,
      );
      // basedOn: a 409 naming who activated what, instead of silently dropping their version.
      const added = await api.post<{ version: number }>('/v1/admin/nurture/versions', {
        config: { ...active.document, templates },
        ...(basedOn ? { basedOn } : {}),
      });
      setSaved(added.version);
      return `Saved as version ${added.version}. Leads get it once it is activated.`;
    });
  const activate = () =>
    run(async () => {
      if (!saved) throw new Error('Save first.');
      await api.post(`/v1/admin/nurture/versions/${saved}/activate`, basedOn ? { basedOn } : {});
      const version = saved;
      setSaved(null);
      onSaved(version);
      return `Version ${version} is active: this template goes out as you saved it.`;
    });

  return (
    <div class="tpl-actions">
      <div class="tpl-buttons">
        <button type="button" class="button" disabled={busy || !proofTo} onClick={proof}>
          Send a proof to {proofTo ?? 'me'}
        </button>
        <button type="button" class="button primary" disabled={busy || !dirty} onClick={save}>
          Save as new version
        </button>
        {saved ? (
          <button type="button" class="button primary" disabled={busy} onClick={activate}>
            Activate version {saved}
          </button>
        ) : null}
      </div>
      {dirty ? <p class="sub">Unsaved changes: a proof shows the last saved version.</p> : null}
      <p role="status" class="tpl-message">
        {message}
      </p>
      {based.conflict ? (
        <VersionConflict
          error={based.conflict}
          yaml={stringify(withoutDerivedHtml(edited))}
          onReapply={() =>
            run(async () => {
              await onReapply();
              return '';
            })
          }
        />
      ) : null}
      {failure.length > 0 ? (
        <div class="error-state" role="alert">
          {failure.map((line) => (
            <p key={line}>{line}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}

/** A template written in MJML sends its MJML only: the API compiles its HTML again. */
function withoutDerivedHtml(template: TemplateDoc): Omit<TemplateDoc, 'html'> & { html?: string } {
  if (template.mjml === undefined) return template;
  const { html: _derived, ...rest } = template;
  return rest;
}
