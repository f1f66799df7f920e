// Translations of a guide: the list of locales in the guide editor (which
// exist, are published, are out of date), and the screen that edits one
// translation beside its source. A translation holds texts only; options,
// weights and links are the source's, so only texts are offered here. An
// empty field falls back to the source's text (shown as its placeholder),
// and an empty source intro to the server's default one.
import { useEffect, useRef, useState } from "react";
import { Link, useParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, ifMatch, type Schemas } from "../api";
import { usePresentation, type Presentation } from "../api/queries";
import { Notice, useNotice } from "../components/Notice";

type Texts = Schemas["Texts"];
type Translation = Schemas["Translation"];

/** TranslationsPanel lists a saved guide's locales with their state. */
export function TranslationsPanel({ guideId }: { guideId: string }) {
  const list = useQuery({
    queryKey: ["guides", guideId, "translations"],
    queryFn: () => data(api.GET("/api/v1/admin/guides/{id}/translations", { params: { path: { id: guideId } } })),
  });
  const rows = list.data?.data ?? [];
  if (rows.length === 0) return null; // loading, or one locale configured
  return (
    <section className="card" aria-labelledby="translations-heading">
      <h2 id="translations-heading">Translations</h2>
      <table>
        <thead><tr><th>Locale</th><th>State</th><th>Out of date</th><th></th></tr></thead>
        <tbody>
          {rows.map((t) => (
            <tr key={t.locale} data-locale={t.locale}>
              <td lang={t.locale}>{t.locale}</td>
              <td>{t.exists ? t.status : "not translated"}</td>
              <td>{t.out_of_date.length ? t.out_of_date.join(", ") : "—"}</td>
              <td>
                <Link to={`/guides/${guideId}/translations/${t.locale}`}>
                  {t.exists ? `Edit ${t.locale} translation` : `Translate into ${t.locale}`}
                </Link>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A text of the document: where it is, its label, whether it is long. */
type Field = { path: (string | number)[]; key: string; label: string; long?: boolean };

// fields lists every text of source, with the out-of-date key the server
// uses for it (checklist entries by ID, lists by position).
export function fields(s: Texts): Field[] {
  const out: Field[] = [
    { path: ["title"], key: "title", label: "Title" },
    { path: ["slug"], key: "slug", label: "Slug" },
    { path: ["summary"], key: "summary", label: "Summary", long: true },
    { path: ["seo_title"], key: "seo_title", label: "SEO title" },
    { path: ["seo_description"], key: "seo_description", label: "SEO description" },
    { path: ["checklist_intro"], key: "checklist_intro", label: "Checklist intro" },
  ];
  s.options.forEach((o, i) => o.choose_if.forEach((_, j) =>
    out.push({ path: ["options", i, "choose_if", j], key: `options[${i}].choose_if`, label: `Option ${i + 1}: choose if ${j + 1}` })));
  s.comparison.forEach((r, i) => {
    out.push({ path: ["comparison", i, "feature"], key: `comparison[${i}].feature`, label: `Row ${i + 1}: feature` });
    r.values.forEach((_, j) => out.push({ path: ["comparison", i, "values", j], key: `comparison[${i}].values`, label: `Row ${i + 1}: value ${j + 1}` }));
  });
  s.checklist.forEach((q, i) => {
    out.push({ path: ["checklist", i, "text"], key: `checklist[${q.id}].text`, label: `Question ${i + 1}` });
    if (q.help) out.push({ path: ["checklist", i, "help"], key: `checklist[${q.id}].help`, label: `Question ${i + 1}: help`, long: true });
    (q.choices ?? []).forEach((c, j) =>
      out.push({ path: ["checklist", i, "choices", j, "label"], key: `checklist[${q.id}].choices[${c.id}].label`, label: `Question ${i + 1}: choice ${j + 1}` }));
  });
  s.tradeoffs.forEach((_, i) => out.push({ path: ["tradeoffs", i], key: `tradeoffs[${i}]`, label: `Tradeoff ${i + 1}` }));
  s.recommendations.forEach((_, i) => out.push({ path: ["recommendations", i], key: `recommendations[${i}]`, label: `Recommendation ${i + 1}` }));
  s.faq.forEach((_, i) => {
    out.push({ path: ["faq", i, "question"], key: `faq[${i}].question`, label: `FAQ ${i + 1}: question` });
    out.push({ path: ["faq", i, "answer"], key: `faq[${i}].answer`, label: `FAQ ${i + 1}: answer`, long: true });
  });
  if (s.cta) (["heading", "title", "text"] as const).forEach((k) =>
    out.push({ path: ["cta", k], key: "cta", label: `Call to action: ${k}`, long: k === "text" }));
  return out;
}

// fallback is what readers of the translation see where it leaves f empty:
// the source's text, or for an empty intro the server's default (isDefault),
// which the translation may translate like any other text.
export function fallback(source: Texts, f: Field, wording?: Presentation): { text: string; isDefault: boolean } {
  const text = get(source, f.path);
  if (text === "" && f.key === "checklist_intro" && wording) return { text: wording.checklist_intro, isDefault: true };
  return { text, isDefault: false };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
export function get(o: any, path: (string | number)[]): string {
  for (const p of path) o = o?.[p];
  return typeof o === "string" ? o : "";
}

function set(o: any, path: (string | number)[], v: string) {
  const last = path.length - 1;
  for (const p of path.slice(0, last)) o = o[p];
  o[path[last]] = v;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

// shaped returns a translation with source's shape (same lists, same IDs),
// holding t's texts where it has them and "" elsewhere.
export function shaped(source: Texts, t?: Texts | null): Texts {
  const out: Texts = JSON.parse(JSON.stringify(source));
  for (const f of fields(source)) {
    let v = t ? get(t, f.path) : "";
    if (f.path[0] === "checklist" && t) {
      // Questions and choices are matched by ID, not position.
      const q = source.checklist[f.path[1] as number];
      const tq = t.checklist?.find((x) => x.id === q.id);
      if (f.path[2] === "choices") {
        const c = q.choices![f.path[3] as number];
        v = tq?.choices?.find((x) => x.id === c.id)?.label ?? "";
      } else v = tq ? get(tq, f.path.slice(2)) : "";
    }
    set(out, f.path, v);
  }
  return out;
}

/** TranslationEditor edits one locale of a guide beside its source. */
export function TranslationEditor() {
  const { id, locale } = useParams();
  const queries = useQueryClient();
  const notice = useNotice();
  const root = useRef<HTMLDivElement>(null);
  const [tr, setTr] = useState<Translation | null>(null);
  const [texts, setTexts] = useState<Texts | null>(null);
  const { data: wording } = usePresentation();

  const load = (t: Translation) => {
    setTr(t);
    setTexts(shaped(t.source!, t.exists ? t.texts : null));
    queries.invalidateQueries({ queryKey: ["guides", id, "translations"] });
  };
  useEffect(() => {
    data(api.GET("/api/v1/admin/guides/{id}/translations/{locale}", { params: { path: { id: id!, locale: locale! } } })).then(load, notice.fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, locale]);

  if (!tr || !texts) return <div ref={root}><Notice note={notice.note} scope={root} /><p>Loading…</p></div>;
  const path = { params: { path: { id: id!, locale: locale! } } };
  const stale = new Set(tr.out_of_date);

  async function run(what: string, call: () => Promise<Translation>) {
    notice.clear();
    try {
      load(await call());
      notice.ok(what);
    } catch (e) {
      notice.fail(e);
    }
  }
  const save = () => run("Translation saved.", () => data(api.PUT("/api/v1/admin/guides/{id}/translations/{locale}",
    { ...path, body: texts, headers: tr.exists ? ifMatch(tr.version) : {} })));
  const at = { ...path, headers: ifMatch(tr.version) };
  const steps = {
    publish: () => api.POST("/api/v1/admin/guides/{id}/translations/{locale}/publish", at),
    unpublish: () => api.POST("/api/v1/admin/guides/{id}/translations/{locale}/unpublish", at),
    review: () => api.POST("/api/v1/admin/guides/{id}/translations/{locale}/review", at),
  };
  const action = (name: keyof typeof steps, done: string) => () => run(done, () => data(steps[name]()));

  return (
    <div ref={root} className="translation-editor">
      <p><Link to={`/guides/${id}`}>← Back to the guide</Link></p>
      <h1>Translation into <span lang={locale}>{locale}</span></h1>
      <p>
        State: <strong>{tr.exists ? tr.status : "not translated yet"}</strong>
        {tr.out_of_date.length > 0 && <> · <strong>{tr.out_of_date.length} out of date</strong> (the source changed since the last save or review)</>}
      </p>
      <Notice note={notice.note} scope={root} />
      <form onSubmit={(e) => { e.preventDefault(); save(); }}>
        <table className="beside">
          <thead><tr><th scope="col">Source</th><th scope="col">Translation ({locale})</th></tr></thead>
          <tbody>
            {fields(tr.source!).map((f) => {
              const fid = "tr-" + f.path.join("-");
              const shown = fallback(tr.source!, f, wording);
              const err = notice.fields[f.path.map((p, i) => (typeof p === "number" ? `[${p}]` : (i ? "." : "") + p)).join("")];
              return (
                <tr key={fid} className={stale.has(f.key) ? "stale" : undefined} style={stale.has(f.key) ? { background: "#fff3bf" } : undefined}>
                  <td>
                    <small>{f.label}</small>
                    <div className="source-text">{shown.text}{shown.isDefault && <> <small className="muted">(site default)</small></>}</div>
                  </td>
                  <td>
                    <label htmlFor={fid}>{f.label} ({locale}){stale.has(f.key) && " — source changed"}</label>
                    {f.long ? (
                      <textarea id={fid} lang={locale} rows={3} value={get(texts, f.path)} placeholder={shown.text} aria-invalid={err ? true : undefined}
                        onChange={(e) => { const n = structuredClone(texts); set(n, f.path, e.target.value); setTexts(n); }} />
                    ) : (
                      <input id={fid} lang={locale} value={get(texts, f.path)} placeholder={shown.text} aria-invalid={err ? true : undefined}
                        onChange={(e) => { const n = structuredClone(texts); set(n, f.path, e.target.value); setTexts(n); }} />
                    )}
                    {err && <small className="error">{err}</small>}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <div className="actions">
          <button type="submit">Save translation</button>
          {tr.exists && <button type="button" onClick={action("publish", "Translation published.")}>Publish {locale}</button>}
          {tr.exists && tr.status === "published" && <button type="button" onClick={action("unpublish", "Translation unpublished.")}>Unpublish {locale}</button>}
          {tr.exists && tr.out_of_date.length > 0 && <button type="button" onClick={action("review", "Marked as up to date.")}>Mark reviewed</button>}
        </div>
      </form>
    </div>
  );
}
