import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { liquid } from '@codemirror/lang-liquid';
import { defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { useEffect, useRef } from 'preact/hooks';
import type { TemplateVariables } from './types';

/** How many of its own recent documents the editor remembers to recognise late echoes. */
const REPORTED_KEPT = 50;

/**
 * A Liquid (over HTML/MJML) editor: CodeMirror 6, the maintained browser code editor with an
 * accessible contenteditable and a Liquid mode whose completion takes our variables and filters.
 * Tab is left to the browser (no indentWithTab), so the keyboard can always leave the editor.
 */
export function CodeEditor({
  id,
  label,
  describedBy,
  value,
  onChange,
  variables,
}: {
  id: string;
  label: string;
  describedBy?: string;
  value: string;
  onChange: (value: string) => void;
  variables: TemplateVariables | null;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const changed = useRef(onChange);
  changed.current = onChange;
  // Documents this editor reported, newest last: a `value` equal to one of them is the parent
  // echoing an earlier keystroke late (it renders after the next key went in), not a new document.
  const reported = useRef<string[]>([]);

  useEffect(() => {
    if (!host.current) return;
    const custom = (variables?.variables ?? []).filter((v) => v.name.startsWith('custom.'));
    const completion = (name: string, detail: string, info?: string) => ({
      label: name,
      type: 'variable',
      detail,
      ...(info ? { info } : {}),
    });
    const editor = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          autocompletion(),
          keymap.of([...completionKeymap, ...defaultKeymap, ...historyKeymap]),
          syntaxHighlighting(defaultHighlightStyle),
          liquid({
            variables: (variables?.variables ?? [])
              .filter((v) => !v.name.startsWith('custom.'))
              .map((v) => completion(v.name, v.description, v.example && `e.g. ${v.example}`))
              .concat(variables ? [completion('custom', 'Custom fields: custom.<field>')] : []),
            properties: (path) =>
              path[0] === 'custom'
                ? custom.map((v) => completion(v.name.slice('custom.'.length), v.description, v.example))
                : [],
            filters: (variables?.filters ?? []).map((name) => ({ label: name, type: 'function' })),
          }),
          EditorView.lineWrapping,
          placeholder('<mj-text>Hi {{ firstName }},</mj-text>'),
          EditorView.contentAttributes.of({ id, 'aria-label': label }),
          EditorView.updateListener.of((update) => {
            if (!update.docChanged) return;
            const doc = update.state.doc.toString();
            reported.current = [...reported.current.slice(-(REPORTED_KEPT - 1)), doc];
            changed.current(doc);
          }),
        ],
      }),
    });
    view.current = editor;
    return () => {
      editor.destroy();
      view.current = null;
    };
    // Made once per variables list: `value` is only the first document (later ones are dispatched below).
  }, [variables, id, label]);

  // Set on the DOM, not as an extension: an error appearing must not rebuild the editor under the caret.
  useEffect(() => {
    const content = view.current?.contentDOM;
    if (!content) return;
    if (describedBy) content.setAttribute('aria-describedby', describedBy);
    else content.removeAttribute('aria-describedby');
  }, [describedBy, variables]);

  // A value set from outside (switching template or format, another view of the same document)
  // replaces the document. A late echo of the editor's own change must not: replacing the newer
  // document with it reports that older one, whose echo replaces it back, and so on for ever.
  useEffect(() => {
    const editor = view.current;
    if (!editor || editor.state.doc.toString() === value || reported.current.includes(value)) return;
    reported.current = [];
    editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: value } });
  }, [value]);

  return <div class="tpl-code" ref={host} />;
}
