// Labelled inputs whose error text is tied to the field (aria-describedby),
// so screen readers announce it and the API's field path finds it.
import { useId, type ReactNode } from "react";

type Common = { label: string; error?: string; hint?: string; required?: boolean };

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
      <input id={id} name={p.name} type={p.type ?? "text"} value={p.value} aria-required={p.required || undefined} autoComplete={p.autoComplete}
        aria-invalid={p.error ? true : undefined} aria-describedby={describedBy(id, p.error, p.hint)}
        onChange={(e) => p.onChange(e.target.value)} />
    </Wrap>
  );
}

export function TextArea(p: Common & { value: string; onChange: (v: string) => void; rows?: number; name?: string }) {
  const id = useId();
  return (
    <Wrap id={id} {...p}>
      <textarea id={id} name={p.name} rows={p.rows ?? 3} value={p.value} aria-required={p.required || undefined} aria-invalid={p.error ? true : undefined}
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

/** Up / down / remove buttons for one item of an ordered list. */
export function ItemTools({ index, count, onMove, onRemove, what }: {
  index: number; count: number; onMove: (to: number) => void; onRemove: () => void; what: string;
}) {
  return (
    <span className="tools">
      <button type="button" aria-label={`Move ${what} ${index + 1} up`} disabled={index === 0} onClick={() => onMove(index - 1)}>↑</button>
      <button type="button" aria-label={`Move ${what} ${index + 1} down`} disabled={index === count - 1} onClick={() => onMove(index + 1)}>↓</button>
      <button type="button" aria-label={`Remove ${what} ${index + 1}`} onClick={onRemove}>✕</button>
    </span>
  );
}
