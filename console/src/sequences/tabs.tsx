import type { ComponentChildren } from 'preact';
import { useRef } from 'preact/hooks';

/** WAI-ARIA tabs: arrow keys move between tabs, Tab goes into the panel. */
export function Tabs<T extends string>({
  label,
  tabs,
  selected,
  onSelect,
  children,
}: {
  label: string;
  tabs: { id: T; label: string }[];
  selected: T;
  onSelect: (id: T) => void;
  children: ComponentChildren;
}) {
  const list = useRef<HTMLDivElement>(null);
  const keydown = (event: KeyboardEvent) => {
    const i = tabs.findIndex((t) => t.id === selected);
    const by = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (!by) return;
    event.preventDefault();
    const next = tabs[(i + by + tabs.length) % tabs.length];
    if (!next) return;
    onSelect(next.id);
    requestAnimationFrame(() => list.current?.querySelector<HTMLElement>(`#seq-tab-${next.id}`)?.focus());
  };
  return (
    <div class="seq-tabs">
      <div role="tablist" aria-label={label} ref={list} onKeyDown={keydown}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`seq-tab-${t.id}`}
            aria-selected={t.id === selected}
            aria-controls={`seq-panel-${t.id}`}
            tabIndex={t.id === selected ? 0 : -1}
            class="seq-tab"
            onClick={() => onSelect(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`seq-panel-${selected}`} aria-labelledby={`seq-tab-${selected}`}>
        {children}
      </div>
    </div>
  );
}
