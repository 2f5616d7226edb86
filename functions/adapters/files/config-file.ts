import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';

/** One YAML file of config/: the parsed Document (positions and comments kept) and its plain value. */
export interface ConfigFile {
  path: string;
  text: string;
  document: Document.Parsed;
  lines: LineCounter;
  value: unknown;
}

/** A problem in config/, at a file and a path that names list items by their ids, with a line and column. */
export interface ConfigProblem {
  file: string;
  /** e.g. `steps[id=day-3].when.score`; `(root)` for the document as a whole. */
  path: string;
  line?: number;
  col?: number;
  message: string;
}

export class ConfigError extends Error {
  readonly problems: string[];
  readonly located: ConfigProblem[];

  /** Problems are located ones, or plain texts about `file` as a whole. */
  constructor(file: string, problems: (string | ConfigProblem)[]) {
    const located = problems.map((p) => (typeof p === 'string' ? { file, path: '', message: p } : p));
    super(located.map(formatProblem).join('\n'));
    this.located = located;
    this.problems = located.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message));
  }
}

/** `config/sequences/welcome.yaml:22:7: steps[id=case-study].when: unknown key "below"` (editors link it). */
export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line ? `:${problem.line}:${problem.col}` : '';
  const path = problem.path ? `${problem.path}: ` : '';
  const near = relative(process.cwd(), problem.file);
  const file = near && !near.startsWith('..') ? near : problem.file;
  return `${file}${where}: ${path}${problem.message}`;
}

/** Reads and parses a YAML file; a syntax error is a ConfigError at its line and column. */
export async function readConfigFile(path: string): Promise<ConfigFile> {
  const text = await readFile(path, 'utf8');
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: true });
  if (document.errors.length > 0)
    throw new ConfigError(
      path,
      document.errors.map((error) => ({
        file: path,
        path: '',
        line: error.linePos?.[0].line,
        col: error.linePos?.[0].col,
        message: (error.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, ''),
      })),
    );
  return { path, text, document, lines, value: document.toJS() };
}

type Segment = string | number;

/** `steps.1.when` → ['steps', 1, 'when'] (schema paths are dotted; numbers are list indexes). */
export function segmentsOf(path: string | readonly PropertyKey[]): Segment[] {
  const parts = typeof path === 'string' ? (path === '' ? [] : path.split('.')) : path.map(String);
  return parts.map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** A problem at a schema path in `file`: the path by ids, the line and column of the closest node. */
export function problemAt(
  file: ConfigFile,
  path: string | readonly PropertyKey[],
  message: string,
): ConfigProblem {
  const segments = segmentsOf(path);
  const offset = offsetOf(file.document.contents, segments, message);
  const position = offset === undefined ? undefined : file.lines.linePos(offset);
  return { file: file.path, path: namedPath(file.value, segments), ...position, message };
}

/** Each list item named by its `id` (or a field by its `name`) where it has one, else by index. */
export function namedPath(value: unknown, segments: Segment[]): string {
  let out = '';
  let current = value;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      const item = Array.isArray(current) ? current[segment] : undefined;
      const named = item && typeof item === 'object' ? (item as Record<string, unknown>) : {};
      const key = typeof named.id === 'string' ? 'id' : typeof named.name === 'string' ? 'name' : undefined;
      out += key ? `[${key}=${named[key]}]` : `[${segment}]`;
      current = item;
    } else {
      out += out ? `.${segment}` : segment;
      current =
        current && typeof current === 'object' ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return out || '(root)';
}

/**
 * The offset of the deepest node the path reaches: a map entry's key, a list item. When the path
 * ends at a map and the message names an unknown key of it, the offset of that key.
 */
function offsetOf(root: Node | null, segments: Segment[], message: string): number | undefined {
  let node: unknown = root;
  let offset = (root as Node | null)?.range?.[0];
  for (const segment of segments) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair || !isScalar(pair.key)) return offset;
      offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) return offset;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else return offset;
  }
  const unknownKey = /(?:unknown|unrecognized) keys?:? "([^"]+)"/i.exec(message)?.[1];
  if (unknownKey && isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === unknownKey);
    if (pair && isScalar(pair.key)) return pair.key.range?.[0] ?? offset;
  }
  return offset;
}
