const NAMES: Record<string, string> = { subject: 'Subject', body: 'Body', text: 'Text body' };

/** A part of the template both people changed, named as the editor labels it. */
export function templateFieldInWords(path: string): string {
  return NAMES[path] ?? (path === '(the whole document)' ? 'the whole template' : path);
}
