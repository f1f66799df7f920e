// A picker that asks the server (`?q=`) instead of listing the first 100 items.
import { useId, useState } from "react";
import type { List } from "../api";
import { useSearch } from "../api/lists";

export function SearchPicker<T>({ label, queryKey, search, toOption, onPick, exclude = [] }: {
  label: string;
  queryKey: readonly unknown[];
  search: (q: string) => Promise<List<T>>;
  toOption: (t: T) => { value: string; label: string };
  onPick: (value: string, item: T) => void;
  exclude?: string[];
}) {
  const id = useId();
  const [text, setText] = useState("");
  const found = useSearch(queryKey, search, text, text.trim() !== "");
  const items = (found.data?.data ?? []).filter((t) => !exclude.includes(toOption(t).value));
  return (
    <div className="field picker">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="search" value={text} placeholder="Type to search" autoComplete="off" onChange={(e) => setText(e.target.value)} />
      {text.trim() !== "" && (
        <ul className="plain results" aria-label={`${label}: results`}>
          {items.map((t) => {
            const o = toOption(t);
            return (
              <li key={o.value}>
                <button type="button" onClick={() => { onPick(o.value, t); setText(""); }}>Add {o.label}</button>
              </li>
            );
          })}
          {found.data && items.length === 0 && <li className="muted">No matches.</li>}
          {found.data?.next_cursor && <li className="muted">More match: type more to narrow.</li>}
        </ul>
      )}
    </div>
  );
}
