import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import type { ConfigFile } from '../../functions/adapters/files/config-file';
import { editedYaml } from '../../functions/adapters/files/yaml-edit';

function fileOf(text: string): ConfigFile {
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  return { path: 'x.yaml', text, document, lines, value: document.toJS() };
}

/** The edit of `text` that holds `next`, where the file reads as `current` (defaults filled). */
const edit = (text: string, next: unknown, current = fileOf(text).value) =>
  editedYaml(fileOf(text), current, next, 'header');

const SEQUENCE = `# The welcome series.
id: welcome
steps:
  - id: hello   # at once
    template: hello
  - id: later
    wait: { days: 2 }
    template: later
exit: { stages: [sql, customer] }
`;

describe('editing a config file in place (config pull)', () => {
  it('touches nothing when the file, as the schema reads it with defaults, equals the version', () => {
    expect(edit(SEQUENCE, { ...(fileOf(SEQUENCE).value as object) })).toBeUndefined();
    const current = { ...(fileOf(SEQUENCE).value as object), entry: { requireConsent: true } };
    expect(edit(SEQUENCE, current, current)).toBeUndefined();
  });

  it('replaces only the characters of a changed scalar, in flow and block collections', () => {
    const value = fileOf(SEQUENCE).value as {
      steps: { id: string; template: string; wait?: { days: number } }[];
    };
    const next = structuredClone(value);
    (next.steps[1] as { wait: { days: number } }).wait.days = 3;
    (next.steps[0] as { template: string }).template = 'hello, again';
    expect(edit(SEQUENCE, next)).toBe(
      SEQUENCE.replace('days: 2', 'days: 3').replace('template: hello\n', 'template: hello, again\n'),
    );
  });

  it('quotes a value a flow collection could not hold plain', () => {
    const next = { ...(fileOf(SEQUENCE).value as object), exit: { stages: ['sql', 'a, b'] } };
    expect(edit(SEQUENCE, next)).toBe(SEQUENCE.replace('[sql, customer]', '[sql, "a, b"]'));
  });

  it("keeps a block literal's style and indentation, and a folded one folded", () => {
    const text = 'html: |\n  <p>Hi</p>\n  <p>Bye</p>\ntext: >-\n  one two\n  three\n';
    expect(edit(text, { html: '<p>Hello</p>\n<p>Bye</p>\n', text: 'one two three four' })).toBe(
      'html: |\n  <p>Hello</p>\n  <p>Bye</p>\ntext: >-\n  one two three four\n',
    );
  });

  it('adds a step and a key with the comments of what stays', () => {
    const value = fileOf(SEQUENCE).value as { steps: object[] };
    const next = {
      ...value,
      description: 'New',
      steps: [...value.steps, { id: 'last', template: 'bye' }],
    };
    const out = edit(SEQUENCE, next) as string;
    expect(out).toContain('# The welcome series.');
    expect(out).toContain('- id: hello # at once');
    expect(out).toContain('description: New');
    expect(fileOf(out).value).toEqual(next);
  });

  it('removes a step matched by id, keeping the others with their comments', () => {
    const value = fileOf(SEQUENCE).value as { steps: { id: string }[] };
    const next = { ...value, steps: value.steps.filter((s) => s.id !== 'later') };
    const out = edit(SEQUENCE, next) as string;
    expect(out).toContain('- id: hello # at once');
    expect(fileOf(out).value).toEqual(next);
  });

  it('keeps a template written in MJML as MJML: the html compiled on publish stays out of the file', () => {
    const text = 'subject: Hi\nmjml: <mj-text>Hi</mj-text>\ntext: Hi\n';
    const current = { subject: 'Hi', mjml: '<mj-text>Hi</mj-text>', html: '<p>Hi</p>', text: 'Hi' };
    const next = { ...current, mjml: '<mj-text>Hello</mj-text>', html: '<p>Hello</p>' };
    expect(edit(text, next, current)).toBe(text.replace('>Hi<', '>Hello<'));
  });

  it('writes a new file under a header comment', () => {
    expect(editedYaml(undefined, undefined, { id: 'x', tags: ['a'] }, 'Pulled.')).toBe(
      '# Pulled.\nid: x\ntags:\n  - a\n',
    );
  });
});
