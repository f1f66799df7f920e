// The answer choices of a scored checklist question: a label, a weight per
// option, and optionally the recommendation or tradeoff the choice argues for.
import type { Choice, GuideDocument, Question, QuestionKind } from "../doc";
import { move, recommendationText, removeAt, replaceAt } from "../doc";
import { dropTarget, ItemTools } from "./Field";

export const kinds: { value: QuestionKind; label: string }[] = [
  { value: "", label: "Open (answered in words)" },
  { value: "single", label: "Single choice" },
  { value: "multiple", label: "Multiple choice" },
  { value: "yes_no", label: "Yes / no" },
  { value: "scale", label: "Scale" },
];

/** Switching kind seeds sensible choices, keeping any the editor wrote. */
export function withKind(q: Question, kind: QuestionKind): Question {
  if (kind === "") return { ...q, kind, choices: undefined };
  if (kind === "yes_no" && !q.choices?.length) return { ...q, kind, choices: [{ id: "yes", label: "Yes" }, { id: "no", label: "No" }] };
  return { ...q, kind, choices: q.choices?.length ? q.choices : [{ label: "" }, { label: "" }] };
}

/** verb is the server's recommendation verb, so "argues for" reads as the page will. */
export function ChoicesEditor({ q, qi, doc, name, verb, errors, onChange }: {
  q: Question; qi: number; doc: GuideDocument; name: (slug: string) => string; verb: string;
  errors: Record<string, string>; onChange: (q: Question) => void;
}) {
  const choices = q.choices ?? [];
  const set = (cs: Choice[]) => onChange({ ...q, choices: cs });
  const cites = [
    ...doc.recommendations.filter((r) => r.id).map((r) => ({ id: r.id!, label: recommendationText(verb, name(r.technology), r.scenario) })),
    ...doc.tradeoffs.filter((t) => t.id).map((t) => ({ id: t.id!, label: t.text })),
  ];
  const base = `checklist[${qi}].choices`;
  return (
    <div className="choices">
      {errors[base] && <p className="error" role="alert">{errors[base]}</p>}
      <table className="grid">
        <thead>
          <tr>
            <th scope="col">Choice</th>
            {doc.options.map((o, j) => <th scope="col" key={j}>{name(o.technology)} weight</th>)}
            <th scope="col">Argues for</th>
            <th scope="col"><span className="sr-only">Order</span></th>
          </tr>
        </thead>
        <tbody>
          {choices.map((c, ci) => {
            const err = Object.entries(errors).filter(([k]) => k.startsWith(`${base}[${ci}]`)).map(([, m]) => m).join("; ");
            return (
              <tr key={ci} className={err ? "invalid" : ""} {...dropTarget(`question ${qi + 1} choice`, ci, (from, to) => set(move(choices, from, to)))}>
                <td>
                  <input aria-label={`Question ${qi + 1} choice ${ci + 1}`} value={c.label}
                    onChange={(e) => set(replaceAt(choices, ci, { ...c, label: e.target.value }))} />
                  {err && <small className="error" role="alert">{err}</small>}
                </td>
                {doc.options.map((o, j) => (
                  <td key={j}>
                    <input type="number" min={-100} max={100} aria-label={`Question ${qi + 1} choice ${ci + 1}: weight for ${name(o.technology)}`}
                      value={c.weights?.[o.technology] ?? 0}
                      onChange={(e) => set(replaceAt(choices, ci, { ...c, weights: { ...c.weights, [o.technology]: Number(e.target.value) } }))} />
                  </td>
                ))}
                <td>
                  <select aria-label={`Question ${qi + 1} choice ${ci + 1}: argues for`} value={c.supports ?? ""}
                    onChange={(e) => set(replaceAt(choices, ci, { ...c, supports: e.target.value || undefined }))}>
                    <option value="">—</option>
                    {cites.map((x) => <option key={x.id} value={x.id}>{x.label}</option>)}
                  </select>
                </td>
                <td><ItemTools what={`question ${qi + 1} choice`} index={ci} count={choices.length} onMove={(to) => set(move(choices, ci, to))} onRemove={() => set(removeAt(choices, ci))} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {q.kind !== "yes_no" && <button type="button" onClick={() => set([...choices, { label: "" }])}>Add choice</button>}
    </div>
  );
}
