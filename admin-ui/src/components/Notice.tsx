// What happened after an action: a success (role=status, green) or an error
// (role=alert, red, with every detail of the problem document, including
// field errors no input on screen shows). Errors move focus to the first bad
// field, or to the alert itself when no field matches.
import { useEffect, useRef, useState } from "react";
import { ApiError, unreachable } from "../api";

export type Note = { kind: "ok"; text: string } | { kind: "error"; error: ApiError } | null;

/** Turns anything thrown into an ApiError the user can read. */
export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  if (e instanceof TypeError) return unreachable();
  return new ApiError({ type: "about:blank", title: "Something went wrong", status: 0, detail: String((e as Error)?.message ?? e) });
}

/**
 * State for a form's outcome: ok(text), fail(e) (which also returns the field
 * errors for the inputs), and clear(). The form passes its element as scope
 * so focus goes to its first invalid field.
 */
export function useNotice() {
  const [note, setNote] = useState<Note>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  return {
    note,
    fields,
    ok(text: string) {
      setFields({});
      setNote({ kind: "ok", text });
    },
    fail(e: unknown) {
      const err = asApiError(e);
      setFields(err.fields());
      setNote({ kind: "error", error: err });
      return err;
    },
    clear() {
      setFields({});
      setNote(null);
    },
  };
}

export function Notice({ note, scope }: { note: Note; scope?: React.RefObject<HTMLElement | null> }) {
  const alert = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (note?.kind !== "error") return;
    // After React has marked the fields invalid.
    const t = setTimeout(() => {
      const bad = scope?.current?.querySelector<HTMLElement>("[aria-invalid=true]");
      (bad ?? alert.current)?.focus();
    });
    return () => clearTimeout(t);
  }, [note, scope]);
  if (!note) return null;
  if (note.kind === "ok") return <p role="status" className="notice ok">{note.text}</p>;
  const p = note.error.problem;
  const lines = note.error.lines();
  return (
    <div role="alert" className="notice error" tabIndex={-1} ref={alert}>
      <strong>{p.status >= 500 ? "Verdict failed: " : p.status === 0 ? "" : "Not saved: "}</strong>
      {p.detail || p.title}
      {lines.length > 0 && <ul>{lines.map((l) => <li key={l}>{l}</li>)}</ul>}
      {p.instance && p.status >= 500 && <small> (request {p.instance})</small>}
    </div>
  );
}
