import type { ComponentChildren } from 'preact';

/** Field errors of the sequence being edited, by key inside it (`steps.1.wait.days`). */
export type Errors = Record<string, string>;

/** The id of a field's input (`steps.0.wait.days` → `seq-steps-0-wait-days`), to move the focus to it. */
export const idOf = (key: string) => `seq-${key.replace(/[^a-zA-Z0-9]+/g, '-')}`;

const under = (key: string, prefix: string) => key === prefix || key.startsWith(`${prefix}.`);

/**
 * Errors under `prefix` that no input of the block shows (`own`: the keys its inputs show;
 * `skip`: inner blocks that show their own).
 */
export function otherErrors(errors: Errors, prefix: string, own: string[], skip: string[] = []): string[] {
  return Object.entries(errors)
    .filter(([key]) => under(key, prefix) && !own.includes(key) && !skip.some((s) => under(key, s)))
    .map(([, message]) => message);
}

/** A labelled input with its error in words right under it (aria-invalid, aria-describedby). */
export function Field({
  name,
  label,
  errors,
  hint,
  children,
}: {
  name: string;
  label: string;
  errors: Errors;
  hint?: string;
  children: (props: { id: string; 'aria-invalid'?: true; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const id = idOf(name);
  const error = errors[name];
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class={`seq-field${error ? ' invalid' : ''}`}>
      <label for={id}>{label}</label>
      {hint ? (
        <span id={`${id}-hint`} class="sub">
          {hint}
        </span>
      ) : null}
      {children({
        id,
        ...(error ? { 'aria-invalid': true as const } : {}),
        ...(described ? { 'aria-describedby': described } : {}),
      })}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** Errors of a block shown together (a condition, a wait) when no single input owns them. */
export function BlockErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div class="field-error" role="alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
    </div>
  );
}

/** A number input's value: a whole number, or undefined while empty (the schema says what is missing). */
export const numberOf = (value: string): number | undefined =>
  value.trim() === '' ? undefined : Number(value);
