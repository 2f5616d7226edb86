import { useEffect, useState } from 'preact/hooks';
// yaml: the maintained YAML 1.2 library the CLI's `config pull/push` already uses, so the text here
// reads like the files in config/sequences/.
import { parse, stringify } from 'yaml';
import type { Sequence } from './types';

/** The sequence as YAML; typing changes the same document the form edits (when the text parses). */
export function YamlView({
  value,
  onChange,
  problems,
}: {
  value: Sequence;
  onChange: (sequence: Sequence) => void;
  problems: { where: string; message: string }[];
}) {
  const [text, setText] = useState(() => stringify(value));
  const [parseError, setParseError] = useState('');
  // A change made elsewhere (the form, a reload) rewrites the text; one typed here does not.
  useEffect(() => {
    let current: unknown;
    try {
      current = parse(text);
    } catch {
      current = undefined;
    }
    if (JSON.stringify(current) !== JSON.stringify(value)) {
      setText(stringify(value));
      setParseError('');
    }
    // Only when the document changes: the text is this view's own.
  }, [value]);
  const input = (next: string) => {
    setText(next);
    try {
      const doc = parse(next) as unknown;
      if (!doc || typeof doc !== 'object' || Array.isArray(doc))
        throw new Error('The YAML must describe one sequence (keys such as id, name, steps).');
      setParseError('');
      onChange(doc as Sequence);
    } catch (error) {
      setParseError(error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error));
    }
  };
  const described = [
    'seq-yaml-help',
    parseError ? 'seq-yaml-parse' : '',
    problems.length ? 'seq-yaml-problems' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <div class="seq-yaml">
      <label for="seq-yaml">Sequence as YAML</label>
      <p id="seq-yaml-help" class="sub">
        The same document as the form, as in config/sequences/. Checked by the same rules as you type.
      </p>
      <textarea
        id="seq-yaml"
        class="seq-yaml-text"
        spellcheck={false}
        rows={24}
        value={text}
        aria-invalid={parseError || problems.length ? true : undefined}
        aria-describedby={described}
        onInput={(e) => input(e.currentTarget.value)}
      />
      {parseError ? (
        <p id="seq-yaml-parse" class="field-error" role="alert">
          Not valid YAML: {parseError}
        </p>
      ) : null}
      {problems.length > 0 ? (
        <ul id="seq-yaml-problems" class="field-error seq-problems">
          {problems.map((p) => (
            <li key={`${p.where} ${p.message}`}>
              <strong>{p.where}</strong>: {p.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
