import { isDeepStrictEqual } from 'node:util';
import { Document, isMap, isScalar, isSeq, type Node, Scalar, stringify } from 'yaml';
import type { ConfigFile } from './config-file';

/** How a whole document is written when it is new or its shape changed (the shipped config's style). */
const WRITE_OPTIONS = { lineWidth: 0, flowCollectionPadding: false } as const;
const FOLD_AT = 100;

/**
 * The text of a YAML file that holds `next`, edited from the existing file rather than written
 * anew, so comments, key order, quoting and line breaks a person chose survive a pull:
 * - nothing differs (`current`, the file as the schema reads it, equals `next`): undefined;
 * - only values of scalars differ: each changed scalar's own characters are replaced, every other
 *   byte stays;
 * - keys or list items come or go: the Document is edited in place (comments kept; list items
 *   matched by id or name) and written again.
 * A file that does not exist yet is written from `next` under `header` (comment lines).
 */
export function editedYaml(
  file: ConfigFile | undefined,
  current: unknown,
  next: unknown,
  header: string,
): string | undefined {
  const after = plain(next);
  if (!file) return `${header.replace(/^/gm, '# ')}\n${stringify(after, WRITE_OPTIONS)}`;
  if (isDeepStrictEqual(plain(current), after)) return undefined;
  const edit = new Edit(file);
  edit.walk(file.document.contents, plain(current), after, false, (node) => {
    file.document.contents = node as typeof file.document.contents;
  });
  if (edit.structural) return file.document.toString(WRITE_OPTIONS);
  let text = file.text;
  for (const { start, end, replacement } of edit.splices.sort((a, b) => b.start - a.start))
    text = text.slice(0, start) + replacement + text.slice(end);
  return text === file.text ? undefined : text;
}

/** JSON values only: no undefined keys, no class instances (as DynamoDB and the schema see them). */
function plain(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A list item's identity: its id, else its name (form fields), else none. */
function identity(item: unknown): string | undefined {
  if (!isObject(item)) return undefined;
  return typeof item.id === 'string'
    ? `id=${item.id}`
    : typeof item.name === 'string'
      ? `name=${item.name}`
      : undefined;
}

class Edit {
  readonly splices: { start: number; end: number; replacement: string }[] = [];
  structural = false;

  constructor(private readonly file: ConfigFile) {}

  walk(node: unknown, cur: unknown, next: unknown, inFlow: boolean, replace: (node: Node) => void): void {
    if (isDeepStrictEqual(cur, next)) return;
    const doc = this.file.document;
    if (isScalar(node) && !isObject(next) && !Array.isArray(next)) {
      node.value = next;
      const splice = this.scalarSplice(node, next, inFlow);
      if (splice) this.splices.push(splice);
      else this.structural = true;
      return;
    }
    if (isMap(node) && isObject(cur) && isObject(next)) {
      const flow = inFlow || Boolean(node.flow);
      for (const key of new Set([...Object.keys(cur), ...Object.keys(next)])) {
        const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
        if (!(key in next)) {
          if (pair) {
            node.delete(pair.key);
            this.structural = true;
          }
        } else if (!pair && key === 'html' && 'mjml' in next) {
          // A template's html is compiled from its mjml when published: the file keeps the mjml only.
        } else if (!pair || !(key in cur)) {
          if (!isDeepStrictEqual(cur[key], next[key])) {
            node.set(key, doc.createNode(next[key]));
            this.structural = true;
          }
        } else
          this.walk(pair.value, cur[key], next[key], flow, (n) => {
            pair.value = n;
          });
      }
      return;
    }
    if (isSeq(node) && Array.isArray(cur) && Array.isArray(next)) {
      const flow = inFlow || Boolean(node.flow);
      const sameOrder =
        cur.length === next.length && cur.every((item, i) => identity(item) === identity(next[i]));
      if (sameOrder) {
        cur.forEach((item, i) => {
          this.walk(node.items[i], item, next[i], flow, (n) => {
            node.items[i] = n;
          });
        });
        return;
      }
      // Items come, go or move: keep each one that stays (with its comments), matched by identity.
      const items = next.map((item, i) => {
        const id = identity(item);
        const j = id ? cur.findIndex((c) => identity(c) === id) : i < cur.length ? i : -1;
        const kept = j >= 0 ? (node.items[j] as Node | undefined) : undefined;
        if (!kept) return doc.createNode(item);
        let out: Node = kept;
        this.walk(kept, cur[j], item, flow, (n) => {
          out = n;
        });
        return out;
      });
      node.items = items;
      this.structural = true;
      return;
    }
    replace(doc.createNode(next));
    this.structural = true;
  }

  /** The new characters of one scalar in place, or undefined when only a rewrite can say it. */
  private scalarSplice(node: Scalar, value: unknown, inFlow: boolean) {
    const [start, end] = node.range ?? [];
    if (start === undefined || end === undefined) return undefined;
    const replacement =
      node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED
        ? this.blockText(node, start, value)
        : inlineText(node, value, inFlow);
    return replacement === undefined ? undefined : { start, end, replacement };
  }

  /** A block scalar with its header and the original indentation; a folded one stays folded when it can. */
  private blockText(node: Scalar, start: number, value: unknown): string | undefined {
    if (typeof value !== 'string' || value === '' || /^[ \t\n]/.test(value)) return undefined;
    const source = this.file.text;
    const headerEnd = source.indexOf('\n', start);
    const header = source.slice(start, headerEnd);
    const indent = /^ +/.exec(source.slice(headerEnd + 1))?.[0];
    if (!indent || /\d/.test(header) || /\n\n$/.test(value)) return undefined;
    const chomp = value.endsWith('\n') ? '' : '-';
    const body = value.replace(/\n$/, '');
    let lines = body.split('\n');
    let style = '|';
    if (node.type === Scalar.BLOCK_FOLDED && !body.includes('\n') && !/\s\s|\t|\s$/.test(body)) {
      style = '>';
      lines = fold(body, FOLD_AT - indent.length);
    }
    const comment = /\s+#.*$/.exec(header)?.[0] ?? '';
    return `${style}${chomp}${comment}\n${lines.map((l) => (l ? indent + l : '')).join('\n')}\n`;
  }
}

/** A plain, single- or double-quoted scalar as it was written, unless that style cannot hold the value. */
function inlineText(node: Scalar, value: unknown, inFlow: boolean): string | undefined {
  if (typeof value !== 'string') return value === null ? 'null' : String(value);
  if (node.type === Scalar.QUOTE_SINGLE && !value.includes('\n')) return `'${value.replace(/'/g, "''")}'`;
  if (node.type === Scalar.PLAIN) {
    const scalar = new Scalar(value);
    scalar.type = Scalar.PLAIN;
    const text = new Document(scalar).toString(WRITE_OPTIONS).trimEnd();
    const safe = !text.includes('\n') && !(inFlow && /[,[\]{}]/.test(text)) && !/^[|>]/.test(text);
    if (safe) return text;
  }
  // JSON strings are YAML double-quoted scalars.
  return JSON.stringify(value);
}

/** Words on lines of at most `width` characters (a folded scalar joins them with spaces again). */
function fold(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines;
}
