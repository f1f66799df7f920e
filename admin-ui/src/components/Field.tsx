// Labelled inputs whose error text is tied to the field (aria-describedby),
// so screen readers announce it and the API's field path finds it.
import { useEffect, useId, useRef, type ReactNode } from "react";

// placeholder shows what an empty field means (the server's default), never an example to copy.
type Common = { label: string; error?: string; hint?: string; required?: boolean; placeholder?: string };

function Wrap({ id, label, error, hint, required, children }: Common & { id: string; children: ReactNode }) {
  return (
    <div className={error ? "field invalid" : "field"}>
      {/* The marker sits beside the label, not in it, so the field's name stays just the label. */}
      <span className="label-row"><label htmlFor={id}>{label}</label>{required && <span className="req" aria-hidden="true">*</span>}</span>
      {children}
      {hint && <small id={id + "-hint"}>{hint}</small>}
      {error && (
        <small id={id + "-error"} className="error" role="alert">
          {error}
        </small>
      )}
    </div>
  );
}

function describedBy(id: string, error?: string, hint?: string) {
  return [error && id + "-error", hint && id + "-hint"].filter(Boolean).join(" ") || undefined;
}

export function TextField(p: Common & { value: string; onChange: (v: string) => void; type?: string; name?: string; autoComplete?: string }) {
  const id = useId();
  return (
    <Wrap id={id} {...p}>
      <input id={id} name={p.name} type={p.type ?? "text"} value={p.value} placeholder={p.placeholder} aria-required={p.required || undefined} autoComplete={p.autoComplete}
        aria-invalid={p.error ? true : undefined} aria-describedby={describedBy(id, p.error, p.hint)}
        onChange={(e) => p.onChange(e.target.value)} />
    </Wrap>
  );
}

export function TextArea(p: Common & { value: string; onChange: (v: string) => void; rows?: number; name?: string }) {
  const id = useId();
  return (
    <Wrap id={id} {...p}>
      <textarea id={id} name={p.name} rows={p.rows ?? 3} value={p.value} placeholder={p.placeholder} aria-required={p.required || undefined} aria-invalid={p.error ? true : undefined}
        aria-describedby={describedBy(id, p.error, p.hint)} onChange={(e) => p.onChange(e.target.value)} />
    </Wrap>
  );
}

export function Select(p: Common & { value: string; onChange: (v: string) => void; options: { value: string; label: string }[]; name?: string }) {
  const id = useId();
  return (
    <Wrap id={id} {...p}>
      <select id={id} name={p.name} value={p.value} aria-required={p.required || undefined} aria-invalid={p.error ? true : undefined}
        aria-describedby={describedBy(id, p.error, p.hint)} onChange={(e) => p.onChange(e.target.value)}>
        <option value="">—</option>
        {p.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </Wrap>
  );
}

// After a move the list re-renders with the item elsewhere: the button that
// moved it takes focus again at the new place, so keyboard users keep going.
let pendingFocus: string | null = null;

/** Up / down / remove buttons for one item of an ordered list, and its drag handle. */
export function ItemTools({ index, count, onMove, onRemove, what }: {
  index: number; count: number; onMove: (to: number) => void; onRemove: () => void; what: string;
}) {
  const up = useRef<HTMLButtonElement>(null);
  const down = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (pendingFocus === `${what}:${index}:up`) up.current?.focus();
    else if (pendingFocus === `${what}:${index}:down`) down.current?.focus();
    else return;
    pendingFocus = null;
  });
  const go = (to: number) => {
    // At the ends the other arrow is the one still enabled.
    const dir = to < index ? (to === 0 ? "down" : "up") : to === count - 1 ? "up" : "down";
    pendingFocus = `${what}:${to}:${dir}`;
    onMove(to);
  };
  return (
    <span className="tools">
      <span className="handle" draggable aria-hidden="true" title={`Drag to reorder (or use the arrows)`}
        onDragStart={(e) => { e.dataTransfer.setData(dragType, `${what}:${index}`); e.dataTransfer.effectAllowed = "move"; }}>⠿</span>
      <button type="button" ref={up} aria-label={`Move ${what} ${index + 1} up`} disabled={index === 0} onClick={() => go(index - 1)}>↑</button>
      <button type="button" ref={down} aria-label={`Move ${what} ${index + 1} down`} disabled={index === count - 1} onClick={() => go(index + 1)}>↓</button>
      <button type="button" aria-label={`Remove ${what} ${index + 1}`} onClick={onRemove}>✕</button>
    </span>
  );
}

const dragType = "application/x-verdict-item";

/** Makes an item a drop target for the drag handles of its own list (same what). */
export function dropTarget(what: string, index: number, onMove: (from: number, to: number) => void) {
  return {
    "data-drop": what,
    onDragOver(e: React.DragEvent) {
      if (e.dataTransfer.types.includes(dragType)) {
        e.preventDefault();
        e.dataTransfer.dropEffect = "move";
      }
    },
    onDrop(e: React.DragEvent) {
      const [kind, from] = e.dataTransfer.getData(dragType).split(":");
      if (kind !== what) return;
      e.preventDefault();
      e.stopPropagation();
      if (Number(from) !== index) onMove(Number(from), index);
    },
  };
}
