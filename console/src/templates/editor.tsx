import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, problem } from '../api';
import { ownEmail } from '../auth';
import { Failed, fieldErrors, Loading } from '../sales/states';
import { useLoad } from '../sales/use-load';
import { ReappliedNote, useVersionConflict } from '../version-conflict';
import { CodeEditor } from './code-editor';
import { PreviewPane, type PreviewSubject } from './preview-pane';
import { templateFieldInWords } from './reapply-words';
import { SaveBar } from './save-bar';
import {
  editOf,
  type NurtureVersions,
  type Preview,
  type TemplateEdit,
  type TemplateVariables,
  WIDTHS,
  type WidthId,
} from './types';

/** How long typing pauses before the preview is rendered again. */
const PREVIEW_DELAY_MS = 350;

/**
 * One template of the active config: subject, body (MJML or HTML, Liquid with completion) and
 * text body; a live preview rendered by the API exactly as send-email would; a proof to the
 * signed-in person; saved as a new config version, then activated. If someone else activated
 * another version since the edit started, "Reload and re-apply my change" puts it on the latest.
 */
export function TemplateEditor({ templateId }: { templateId: string }) {
  const load = useCallback(
    () =>
      Promise.all([
        api.get<NurtureVersions>('/v1/admin/nurture'),
        api.get<TemplateVariables>('/v1/admin/templates/variables'),
      ]),
    [],
  );
  const [state, reload] = useLoad(load);
  const [versions, variables] = state.data ?? [null, null];
  const template = versions?.active?.document.templates.find((t) => t.id === templateId);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [text, setText] = useState('');
  const [loadedFor, setLoadedFor] = useState('');
  const format = template?.mjml !== undefined ? 'mjml' : 'html';
  // The version the edit started from (sent as basedOn) and the template as it was then.
  const based = useVersionConflict<TemplateEdit | undefined>({ version: undefined, doc: undefined });
  const startedFrom = versions?.active?.version;
  const { rebase } = based;
  useEffect(() => {
    if (!template || loadedFor === templateId) return;
    setSubject(template.subject);
    setBody(template.mjml ?? template.html);
    setText(template.text);
    setLoadedFor(templateId);
    rebase({ version: startedFrom, doc: editOf(template) });
  }, [template, templateId, loadedFor, startedFrom, rebase]);

  const [width, setWidth] = useState<WidthId>('desktop');
  const [who, setWho] = useState<PreviewSubject>({ kind: 'sample' });
  const [preview, setPreview] = useState<Preview | null>(null);
  const [pending, setPending] = useState(false);
  const [previewError, setPreviewError] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  useEffect(() => {
    if (loadedFor !== templateId) return;
    setPending(true);
    const draft = { id: templateId, subject, [format]: body, text };
    const timer = setTimeout(() => {
      api
        .post<Preview>('/v1/admin/templates/preview', {
          template: draft,
          ...(who.kind === 'lead' ? { leadId: who.leadId } : { sample: true }),
          width: WIDTHS.find((w) => w.id === width)?.px,
        })
        .then(
          (result) => {
            setPreview(result);
            setPreviewError('');
            setErrors({});
          },
          (error) => {
            setPreviewError(problem(error));
            setErrors(fieldErrors(error));
          },
        )
        .finally(() => setPending(false));
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [loadedFor, templateId, subject, body, text, format, who, width]);

  if (state.status === 'loading' && !state.data) return <Loading what="the template" />;
  if (state.status === 'error' && !state.data)
    return <Failed what="the template" error={state.error} retry={reload} />;
  if (!versions?.active || !template)
    return (
      <section class="page">
        <h1 tabIndex={-1}>Template not found</h1>
        <p class="empty">
          The active config has no template “{templateId}”. <a href="/console/templates">All templates</a>
        </p>
      </section>
    );
  const dirty =
    subject !== template.subject || body !== (template.mjml ?? template.html) || text !== template.text;
  // "Reload and re-apply my change": my edits put on the template as the latest version has it.
  const reapplyMine = async () => {
    const next = await based.reapplyOn({ subject, body, text }, async () => {
      const latest = await api.get<NurtureVersions>('/v1/admin/nurture');
      const theirs = latest.active?.document.templates.find((t) => t.id === templateId);
      return { version: latest.active?.version, doc: theirs && editOf(theirs) };
    });
    if (next) {
      setSubject(next.subject);
      setBody(next.body);
      setText(next.text);
    }
    await reload();
  };
  const bodyError = errors[`template.${format}`];
  return (
    <section class="page templates">
      <p class="crumbs">
        <a href="/console/templates">Templates</a>
      </p>
      <h1 tabIndex={-1}>{template.name ?? template.id}</h1>
      <div class="tpl-layout">
        <div class="card tpl-fields">
          <label for="tpl-subject">Subject</label>
          <input
            id="tpl-subject"
            value={subject}
            onInput={(e) => setSubject(e.currentTarget.value)}
            aria-invalid={errors['template.subject'] ? true : undefined}
            aria-describedby={errors['template.subject'] ? 'tpl-subject-error' : undefined}
          />
          {errors['template.subject'] ? (
            <p id="tpl-subject-error" class="field-error">
              {errors['template.subject']}
            </p>
          ) : null}
          <p class="tpl-label" id="tpl-body-label">
            Body ({format === 'mjml' ? 'MJML' : 'HTML'} with Liquid)
          </p>
          <p class="sub" id="tpl-body-help">
            Type <kbd>{'{{'}</kbd> for variables, <kbd>|</kbd> for filters; Ctrl+Space lists them. Tab leaves
            the editor.
          </p>
          <CodeEditor
            id="tpl-body"
            label={`Body (${format === 'mjml' ? 'MJML' : 'HTML'} with Liquid)`}
            describedBy={bodyError ? 'tpl-body-help tpl-body-error' : 'tpl-body-help'}
            value={body}
            onChange={setBody}
            variables={variables}
          />
          {bodyError ? (
            <p id="tpl-body-error" class="field-error">
              {bodyError}
            </p>
          ) : null}
          <label for="tpl-text">Text body</label>
          <textarea id="tpl-text" rows={8} value={text} onInput={(e) => setText(e.currentTarget.value)} />
          {errors['template.text'] ? <p class="field-error">{errors['template.text']}</p> : null}
          {based.reapplied ? (
            <ReappliedNote
              class="tpl-reapplied"
              reapplied={based.reapplied}
              fieldInWords={templateFieldInWords}
            />
          ) : null}
          <SaveBar
            versions={versions}
            templateId={templateId}
            edited={{ ...template, subject, text, ...(format === 'mjml' ? { mjml: body } : { html: body }) }}
            dirty={dirty}
            proofTo={ownEmail()}
            based={based}
            onSaved={(version) => {
              rebase({ version, doc: { subject, body, text } });
              void reload();
            }}
            onReapply={reapplyMine}
          />
        </div>
        <PreviewPane
          preview={preview}
          pending={pending}
          error={previewError}
          width={width}
          onWidth={setWidth}
          subject={who}
          onSubject={setWho}
        />
      </div>
    </section>
  );
}
