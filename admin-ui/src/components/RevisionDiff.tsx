// A side-by-side diff of two guide documents (revisions, or "mine" against
// "theirs" in the editor's conflict banner). Changed fields are listed
// first-to-last in document order; unchanged ones are folded unless asked for.
import { useMemo, useState } from "react";
import { diffDocuments, type DiffRow } from "../diff";
import "../screens.css";

type Doc = Record<string, unknown> | null | undefined;

const mark: Record<DiffRow["kind"], [string, string]> = {
  same: ["", ""],
  changed: ["changed from: ", "changed to: "],
  added: ["", "added: "],
  removed: ["removed: ", ""],
};

export function RevisionDiff({ left, right, leftLabel, rightLabel, caption = "Differences" }: {
  left: Doc;
  right: Doc;
  leftLabel: string;
  rightLabel: string;
  caption?: string;
}) {
  const [all, setAll] = useState(false);
  const sections = useMemo(() => diffDocuments(left, right), [left, right]);
  const changed = sections.filter((s) => s.changed).length;
  const shown = all ? sections : sections.filter((s) => s.changed);
  return (
    <div className="revision-diff">
      <p className="diff-summary" role="status">
        {changed === 0 ? "No differences." : `${changed} ${changed === 1 ? "field differs" : "fields differ"}.`}{" "}
        <label className="check inline">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show unchanged fields
        </label>
      </p>
      {shown.length > 0 && (
        <table className="diff">
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{leftLabel}</th>
              <th scope="col">{rightLabel}</th>
            </tr>
          </thead>
          {shown.map((s) => (
            <tbody key={s.field} data-field={s.field}>
              <tr>
                <th scope="colgroup" colSpan={2} className="diff-field">{s.field}{s.changed ? "" : " (unchanged)"}</th>
              </tr>
              {s.rows.map((r, i) => (
                <tr key={i} className={`diff-${r.kind}`}>
                  <td className="diff-left">{r.left !== null && <><span className="sr-only">{mark[r.kind][0]}</span>{r.left}</>}</td>
                  <td className="diff-right">{r.right !== null && <><span className="sr-only">{mark[r.kind][1]}</span>{r.right}</>}</td>
                </tr>
              ))}
              {s.rows.length === 0 && (
                <tr><td colSpan={2} className="muted">(empty on both sides)</td></tr>
              )}
            </tbody>
          ))}
        </table>
      )}
    </div>
  );
}
