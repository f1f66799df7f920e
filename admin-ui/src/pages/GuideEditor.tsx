import { useEffect, useRef, useState } from "react";
import { useBlocker, useNavigate, useParams } from "react-router";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, ifMatch } from "../api";
import { useCategories, usePresentation, useTechnologies } from "../api/queries";
import { Notice, useNotice } from "../components/Notice";
import { SearchPicker } from "../components/SearchPicker";
import { When, formatWhen, timeZone } from "../components/When";
import { dropTarget, ItemTools, Select, TextArea, TextField } from "../components/Field";
import { ChoicesEditor, kinds, withKind } from "../components/Choices";
import { MarkdownField } from "../components/Markdown";
import { ServerPreview } from "../components/ServerPreview";
import { TaxonCreate } from "../components/TaxonCreate";
import { RevisionDiff } from "../components/RevisionDiff";
import { TranslationsPanel } from "./Translations";
import { Link } from "react-router";
import { addOption, addRow, drafts, emptyDocument, move, moveOption, normalize, removeAt, removeOption, replaceAt, slugify, type AdminGuide, type GuideDocument, type QuestionKind } from "../doc";

type Conflict = { current: number; theirs?: GuideDocument };

export function GuideEditor() {
  const { id } = useParams();
  const navigate = useNavigate();
  const queries = useQueryClient();
  const [doc, setDoc] = useState<GuideDocument>(emptyDocument);
  const [guide, setGuide] = useState<AdminGuide | null>(null);
  const notice = useNotice();
  const errors = notice.fields;
  const root = useRef<HTMLDivElement>(null);
  const relatedTitles = useRef(new Map<string, string>());
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [restorable, setRestorable] = useState<{ d: GuideDocument; version: number } | null>(null);
  const [scheduleAt, setScheduleAt] = useState("");
  const [dirty, setDirtyState] = useState(false);
  // Read by the navigation blocker, which must see a save's "clean" at once.
  const dirtyRef = useRef(false);
  const setDirty = (v: boolean) => {
    dirtyRef.current = v;
    setDirtyState(v);
  };
  // The section whose new row should take focus after the next render.
  const [focusNew, setFocusNew] = useState<string | null>(null);

  const { data: cats } = useCategories();
  const { data: techs } = useTechnologies();
  // The server's defaults: what an empty intro or no CTA of the guide's own shows.
  const { data: wording } = usePresentation();
  const revisionsQuery = useQuery({
    queryKey: ["guides", id, "revisions"], enabled: !!id,
    queryFn: () => data(api.GET("/api/v1/admin/guides/{id}/revisions", { params: { path: { id: id! } } })),
  });
  const revisions = revisionsQuery.data;

  useEffect(() => {
    if (!id) {
      const saved = drafts.load("new");
      if (saved) setRestorable(saved);
      return;
    }
    data(api.GET("/api/v1/admin/guides/{id}", { params: { path: { id } } })).then((g) => {
      setGuide(g);
      setDoc(g.document!);
      const saved = drafts.load(id);
      if (saved && JSON.stringify(saved.d) !== JSON.stringify(g.document)) setRestorable(saved);
    }, notice.fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  // Keep unsaved edits in the browser: a lost session must not lose work.
  useEffect(() => {
    if (dirty) drafts.save(id ?? "new", doc, guide?.version ?? 0);
  }, [doc, dirty, id, guide?.version]);

  // Leaving with unsaved changes asks first: the browser's own prompt for
  // closing the tab, ours for moving elsewhere in the app.
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirtyRef.current && currentLocation.pathname !== nextLocation.pathname);

  // Ctrl+S / ⌘S saves, wherever focus is.
  const saveRef = useRef<() => void>(() => {});
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
        e.preventDefault();
        saveRef.current();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  // A new row takes focus in its first field.
  useEffect(() => {
    if (!focusNew) return;
    const rows = root.current?.querySelectorAll(`#${focusNew} [data-row]`);
    rows?.[rows.length - 1]?.querySelector<HTMLElement>("input, select, textarea")?.focus();
    setFocusNew(null);
  }, [focusNew, doc]);

  const edit = (d: GuideDocument) => {
    setDoc(d);
    setDirty(true);
  };
  const set = <K extends keyof GuideDocument>(k: K, v: GuideDocument[K]) => edit({ ...doc, [k]: v });
  const add = <K extends keyof GuideDocument>(section: string, k: K, v: GuideDocument[K]) => {
    set(k, v);
    setFocusNew(section);
  };

  const techName = (s: string) => techs?.find((t) => t.slug === s)?.name ?? (s || "…");
  const techOptions = (techs ?? []).map((t) => ({ value: t.slug, label: t.name }));
  const optionChoices = doc.options.filter((o) => o.technology).map((o) => ({ value: o.technology, label: techName(o.technology) }));

  async function save(version = guide?.version) {
    notice.clear();
    try {
      const g = guide && version
        ? await data(api.PUT("/api/v1/admin/guides/{id}", { params: { path: { id: guide.id } }, body: normalize(doc), headers: ifMatch(version) }))
        : await data(api.POST("/api/v1/admin/guides", { body: normalize(doc) }));
      drafts.clear(id ?? "new");
      setDirty(false);
      setConflict(null);
      setGuide(g);
      setDoc(g.document!);
      notice.ok(`Saved revision ${g.revision}.`);
      queries.invalidateQueries({ queryKey: ["guides"] });
      if (!guide) navigate(`/guides/${g.id}`, { replace: true });
    } catch (e) {
      fail(e);
    }
  }
  saveRef.current = () => save();

  function fail(e: unknown) {
    const err = notice.fail(e);
    if (err.status === 409 && err.problem.current_version) {
      notice.clear();
      const current = err.problem.current_version;
      setConflict({ current });
      // Show what they changed against what I have, so "save mine" is an informed choice.
      if (guide) data(api.GET("/api/v1/admin/guides/{id}", { params: { path: { id: guide.id } } }))
        .then((g) => setConflict((c) => (c && c.current === current ? { ...c, theirs: g.document ?? undefined } : c)), () => {});
    }
  }

  async function act(action: "publish" | "unpublish" | "archive" | "schedule" | "unschedule") {
    if (!guide) return;
    if (dirty) {
      notice.fail(new Error("Save your changes first."));
      return;
    }
    try {
      const opts = { params: { path: { id: guide.id } }, headers: ifMatch(guide.version) };
      const g: AdminGuide = await data(
        action === "schedule" ? api.POST("/api/v1/admin/guides/{id}/schedule", { ...opts, body: { publish_at: scheduleAt ? new Date(scheduleAt).toISOString() : null } })
          : action === "unschedule" ? api.DELETE("/api/v1/admin/guides/{id}/schedule", opts)
          : action === "publish" ? api.POST("/api/v1/admin/guides/{id}/publish", opts)
          : action === "unpublish" ? api.POST("/api/v1/admin/guides/{id}/unpublish", opts)
          : api.POST("/api/v1/admin/guides/{id}/archive", opts)) as AdminGuide;
      setGuide({ ...guide, ...g });
      notice.ok(action === "schedule" ? `Scheduled: publishes ${formatWhen(g.scheduled_at!)}.` : action === "unschedule" ? `Schedule cancelled; the guide is ${g.status}.` : `Guide ${g.status}.`);
      if (action === "schedule") setScheduleAt("");
      queries.invalidateQueries({ queryKey: ["guides"] });
    } catch (e) {
      fail(e);
    }
  }

  async function reloadTheirs() {
    const g = await data(api.GET("/api/v1/admin/guides/{id}", { params: { path: { id: guide!.id } } }));
    setGuide(g);
    setDoc(g.document!);
    setDirty(false);
    setConflict(null);
    drafts.clear(guide!.id);
  }

  async function restore(n: number) {
    try {
      const g = await data(api.POST("/api/v1/admin/guides/{id}/revisions/{number}/restore", { params: { path: { id: guide!.id, number: String(n) } }, headers: ifMatch(guide!.version) }));
      setGuide(g);
      setDoc(g.document!);
      setDirty(false);
      notice.ok(`Restored revision ${n} as revision ${g.revision}.`);
      revisionsQuery.refetch();
    } catch (e) {
      fail(e);
    }
  }

  const err = (path: string) => errors[path];
  const errUnder = (prefix: string) => Object.entries(errors).find(([k]) => k.startsWith(prefix))?.[1];
  /** Item i of a list key: reorder by drag and drop. */
  const drop = <K extends "checklist" | "tradeoffs" | "recommendations" | "faq" | "comparison" | "related">(what: string, k: K, i: number) =>
    dropTarget(what, i, (from, to) => set(k, move(doc[k] as unknown[], from, to) as GuideDocument[K]));

  return (
    <div className="editor" ref={root}>
      <header className="editor-head">
        <h1>{guide ? doc.title || "Untitled guide" : "New guide"}</h1>
        {guide && (
          <p className="status">
            Status: <strong>{guide.status}</strong> · version {guide.version}
            {guide.has_unpublished_changes && guide.status !== "draft" && " · unpublished changes"}
            {dirty && <span className="unsaved"> · unsaved changes</span>}
          </p>
        )}
        <div className="actions">
          <button type="button" className="primary" onClick={() => save()} title="Ctrl+S / ⌘S">Save</button>
          {guide && <button type="button" onClick={() => act("publish")}>Publish</button>}
          {guide && guide.status === "published" && <button type="button" onClick={() => act("unpublish")}>Unpublish</button>}
          {guide && guide.status === "scheduled" && guide.scheduled_at ? (
            <span className="schedule" data-testid="schedule">
              Publishes <When at={guide.scheduled_at} />
              <button type="button" onClick={() => act("unschedule")}>Cancel schedule</button>
            </span>
          ) : guide && (
            <span className="schedule">
              <label htmlFor="publish-at">Publish at <small className="muted">({timeZone})</small></label>
              <input id="publish-at" type="datetime-local" value={scheduleAt} onChange={(e) => setScheduleAt(e.target.value)}
                aria-invalid={errors.publish_at ? true : undefined} aria-describedby={errors.publish_at ? "publish-at-error" : undefined} />
              {errors.publish_at && <small id="publish-at-error" className="error">{errors.publish_at}</small>}
              <button type="button" disabled={!scheduleAt} onClick={() => act("schedule")}>Schedule</button>
            </span>
          )}
          {guide && guide.status !== "archived" && <button type="button" onClick={() => act("archive")}>Archive</button>}
        </div>
        <Notice note={notice.note} scope={root} />
        {conflict && (
          <div role="alert" className="conflict">
            <strong>Another editor saved this guide while you were editing</strong> (it is now at version {conflict.current}).
            Your changes are still here and kept in this browser.
            <button type="button" onClick={reloadTheirs}>Load their version (discard mine)</button>
            <button type="button" onClick={() => save(conflict.current)}>Save mine over theirs</button>
            {conflict.theirs && (
              <details className="conflict-diff" open>
                <summary>What differs between their version and mine</summary>
                <RevisionDiff left={conflict.theirs} right={normalize(doc)} leftLabel={`Theirs (version ${conflict.current})`} rightLabel="Mine (unsaved)" caption="Their version against mine" />
              </details>
            )}
          </div>
        )}
        {restorable && (
          <div role="alert" className="conflict">
            You have unsaved edits from {formatWhen(drafts.load(id ?? "new")?.at ?? 0)}.
            <button type="button" onClick={() => { edit(restorable.d); setRestorable(null); }}>Restore them</button>
            <button type="button" onClick={() => { drafts.clear(id ?? "new"); setRestorable(null); }}>Discard</button>
          </div>
        )}
        {blocker.state === "blocked" && (
          <div role="alertdialog" aria-label="Unsaved changes" className="notice warn">
            <p>You have unsaved changes. They are kept in this browser, but not saved to Verdict.</p>
            <button type="button" className="primary" onClick={() => { blocker.reset(); save(); }}>Save</button>{" "}
            <button type="button" onClick={() => blocker.proceed()}>Leave without saving</button>{" "}
            <button type="button" onClick={() => blocker.reset()}>Stay</button>
          </div>
        )}
      </header>

      <div className="split">
        <form className="form" onSubmit={(e) => { e.preventDefault(); save(); }} aria-label="Guide">
          <p className="muted"><span className="req" aria-hidden="true">*</span> marks a required field.</p>
          <fieldset>
            <legend>Basics</legend>
            <TextField label="Title" name="title" required value={doc.title} error={err("title")}
              onChange={(v) => edit({ ...doc, title: v, slug: guide || doc.slug !== slugify(doc.title) ? doc.slug : slugify(v) })} />
            <TextField label="Slug" name="slug" required value={doc.slug} error={err("slug")} hint="kebab-case, in the URL; filled in from the title" onChange={(v) => set("slug", v)} />
            <Select label="Category" name="category" required value={doc.category} error={err("category")} onChange={(v) => set("category", v)}
              options={(cats ?? []).map((c) => ({ value: c.slug, label: c.name }))} />
            <TaxonCreate kind="category" onCreated={(slug) => set("category", slug)} />
            <MarkdownField label="Summary" name="summary" required value={doc.summary} error={err("summary")} onChange={(v) => set("summary", v)} />
          </fieldset>

          <fieldset id="options">
            <legend>Options and quick verdict</legend>
            {err("options") && <p className="error" role="alert">{err("options")}</p>}
            {doc.options.map((o, i) => (
              <div className="item" key={i} data-row {...dropTarget("option", i, (from, to) => edit(moveOption(doc, from, to)))}>
                <ItemTools what="option" index={i} count={doc.options.length} onMove={(to) => edit(moveOption(doc, i, to))} onRemove={() => edit(removeOption(doc, i))} />
                <Select label={`Option ${i + 1}`} required={i < 2} value={o.technology} error={err(`options[${i}].technology`)} options={techOptions}
                  onChange={(v) => set("options", replaceAt(doc.options, i, { ...o, technology: v }))} />
                <TaxonCreate kind="technology" context={`option ${i + 1}`} onCreated={(slug) => set("options", replaceAt(doc.options, i, { ...o, technology: slug }))} />
                <TextArea label={`Choose ${techName(o.technology)} if… (one per line)`} value={o.choose_if.join("\n")} rows={4}
                  error={errUnder(`options[${i}].choose_if`)}
                  onChange={(v) => set("options", replaceAt(doc.options, i, { ...o, choose_if: v.split("\n") }))} />
              </div>
            ))}
            <button type="button" onClick={() => { edit(addOption(doc)); setFocusNew("options"); }}>Add option</button>
          </fieldset>

          <fieldset id="comparison">
            <legend>Side-by-side comparison</legend>
            <div className="table-wrap">
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">Feature</th>
                    {doc.options.map((o, i) => <th scope="col" key={i}>{techName(o.technology)}</th>)}
                    <th scope="col"><span className="sr-only">Order</span></th>
                  </tr>
                </thead>
                <tbody>
                  {doc.comparison.map((r, i) => (
                    <tr key={i} data-row className={err(`comparison[${i}].values`) ? "invalid" : ""} {...drop("row", "comparison", i)}>
                      <td>
                        <input aria-label={`Feature ${i + 1}`} value={r.feature} aria-invalid={err(`comparison[${i}].feature`) ? true : undefined}
                          onChange={(e) => set("comparison", replaceAt(doc.comparison, i, { ...r, feature: e.target.value }))} />
                      </td>
                      {doc.options.map((o, j) => (
                        <td key={j}>
                          <input aria-label={`${r.feature || "Feature " + (i + 1)}: ${techName(o.technology)}`} value={r.values[j] ?? ""}
                            onChange={(e) => set("comparison", replaceAt(doc.comparison, i, { ...r, values: replaceAt(r.values, j, e.target.value) }))} />
                        </td>
                      ))}
                      <td><ItemTools what="row" index={i} count={doc.comparison.length} onMove={(to) => set("comparison", move(doc.comparison, i, to))} onRemove={() => set("comparison", removeAt(doc.comparison, i))} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {Object.entries(errors).filter(([k]) => k.startsWith("comparison")).map(([k, m]) => <p key={k} className="error">{k}: {m}</p>)}
            <button type="button" onClick={() => { edit(addRow(doc)); setFocusNew("comparison"); }}>Add row</button>
          </fieldset>

          <fieldset id="checklist">
            <legend>Decision checklist</legend>
            <TextField label="Introduction" value={doc.checklist_intro} onChange={(v) => set("checklist_intro", v)} error={err("checklist_intro")}
              placeholder={wording?.checklist_intro} hint="Leave empty for the site's default, shown in the field" />
            {doc.checklist.map((q, i) => (
              <div className="item" key={q.id ?? "new" + i} data-row {...drop("question", "checklist", i)}>
                <ItemTools what="question" index={i} count={doc.checklist.length} onMove={(to) => set("checklist", move(doc.checklist, i, to))} onRemove={() => set("checklist", removeAt(doc.checklist, i))} />
                <TextField label={`Question ${i + 1}`} value={q.text} error={err(`checklist[${i}].text`)} onChange={(v) => set("checklist", replaceAt(doc.checklist, i, { ...q, text: v }))} />
                <TextField label="Help text" value={q.help} onChange={(v) => set("checklist", replaceAt(doc.checklist, i, { ...q, help: v }))} />
                <Select label="Answered by" value={q.kind ?? ""} error={err(`checklist[${i}].kind`)} options={kinds.filter((k) => k.value !== "")}
                  onChange={(v) => set("checklist", replaceAt(doc.checklist, i, withKind(q, v as QuestionKind)))} />
                {q.kind && (
                  <ChoicesEditor q={q} qi={i} doc={doc} name={techName} verb={wording?.recommendation_verb ?? ""} errors={errors}
                    onChange={(nq) => set("checklist", replaceAt(doc.checklist, i, nq))} />
                )}
              </div>
            ))}
            <button type="button" onClick={() => add("checklist", "checklist", [...doc.checklist, { text: "", help: "" }])}>Add question</button>
          </fieldset>

          <fieldset id="tradeoffs">
            <legend>Tradeoffs &amp; gotchas</legend>
            {doc.tradeoffs.map((t, i) => (
              <div className="item" key={i} data-row {...drop("tradeoff", "tradeoffs", i)}>
                <ItemTools what="tradeoff" index={i} count={doc.tradeoffs.length} onMove={(to) => set("tradeoffs", move(doc.tradeoffs, i, to))} onRemove={() => set("tradeoffs", removeAt(doc.tradeoffs, i))} />
                <TextField label={`Tradeoff ${i + 1}`} value={t.text} error={err(`tradeoffs[${i}].text`)} onChange={(v) => set("tradeoffs", replaceAt(doc.tradeoffs, i, { ...t, text: v }))} />
                <Select label="About option" value={t.technology ?? ""} options={optionChoices} error={err(`tradeoffs[${i}].technology`)}
                  onChange={(v) => set("tradeoffs", replaceAt(doc.tradeoffs, i, { ...t, technology: v || undefined }))} />
              </div>
            ))}
            <button type="button" onClick={() => add("tradeoffs", "tradeoffs", [...doc.tradeoffs, { text: "" }])}>Add tradeoff</button>
          </fieldset>

          <fieldset id="recommendations">
            <legend>Recommendations</legend>
            {doc.recommendations.map((r, i) => (
              <div className="item" key={i} data-row {...drop("recommendation", "recommendations", i)}>
                <ItemTools what="recommendation" index={i} count={doc.recommendations.length} onMove={(to) => set("recommendations", move(doc.recommendations, i, to))} onRemove={() => set("recommendations", removeAt(doc.recommendations, i))} />
                <Select label={wording ? `${wording.recommendation_verb} (recommendation ${i + 1})` : `Recommendation ${i + 1}`} value={r.technology} options={optionChoices} error={err(`recommendations[${i}].technology`)}
                  onChange={(v) => set("recommendations", replaceAt(doc.recommendations, i, { ...r, technology: v }))} />
                <TextField label="…for / if (scenario)" value={r.scenario} hint="e.g. “for real-time applications”" error={err(`recommendations[${i}].scenario`)}
                  onChange={(v) => set("recommendations", replaceAt(doc.recommendations, i, { ...r, scenario: v }))} />
              </div>
            ))}
            <button type="button" onClick={() => add("recommendations", "recommendations", [...doc.recommendations, { technology: "", scenario: "" }])}>Add recommendation</button>
          </fieldset>

          <fieldset id="faq">
            <legend>FAQ</legend>
            {doc.faq.map((f, i) => (
              <div className="item" key={i} data-row {...drop("FAQ", "faq", i)}>
                <ItemTools what="FAQ" index={i} count={doc.faq.length} onMove={(to) => set("faq", move(doc.faq, i, to))} onRemove={() => set("faq", removeAt(doc.faq, i))} />
                <TextField label={`FAQ question ${i + 1}`} value={f.question} error={err(`faq[${i}].question`)} onChange={(v) => set("faq", replaceAt(doc.faq, i, { ...f, question: v }))} />
                <MarkdownField label={`Answer ${i + 1}`} value={f.answer} error={err(`faq[${i}].answer`)} onChange={(v) => set("faq", replaceAt(doc.faq, i, { ...f, answer: v }))} />
              </div>
            ))}
            <button type="button" onClick={() => add("faq", "faq", [...doc.faq, { question: "", answer: "" }])}>Add FAQ</button>
          </fieldset>

          <fieldset id="related">
            <legend>Related comparisons</legend>
            {doc.related.map((slug, i) => (
              <div className="item row" key={slug} data-row {...drop("related guide", "related", i)}>
                <span className="grow">{relatedTitles.current.get(slug) ?? slug}</span>
                {err(`related[${i}]`) && <small className="error">{err(`related[${i}]`)}</small>}
                <ItemTools what="related guide" index={i} count={doc.related.length} onMove={(to) => set("related", move(doc.related, i, to))} onRemove={() => set("related", removeAt(doc.related, i))} />
              </div>
            ))}
            <SearchPicker label="Add a related guide" queryKey={["guides", "search"]} exclude={[doc.slug, ...doc.related]}
              search={(q) => data(api.GET("/api/v1/admin/guides", { params: { query: { q, limit: "10" } } }))}
              toOption={(g) => ({ value: g.slug, label: g.title })}
              onPick={(slug, g) => { relatedTitles.current.set(slug, g.title); set("related", [...doc.related, slug]); }} />
          </fieldset>

          <fieldset>
            <legend>Call to action and SEO</legend>
            <label className="check">
              {/* An own CTA starts as a copy of the site's, to edit; unticked, the site's shows. */}
              <input type="checkbox" checked={doc.cta !== null} disabled={!wording && doc.cta === null}
                onChange={(e) => set("cta", e.target.checked && wording ? { ...wording.cta } : null)} /> Own call to action (else the site default)
            </label>
            {!doc.cta && wording && (
              <p className="muted" data-testid="default-cta">Site default: <strong>{wording.cta.title}</strong>{wording.cta.heading && <> ({wording.cta.heading})</>}</p>
            )}
            {doc.cta && (
              <>
                <TextField label="CTA heading" value={doc.cta.heading} onChange={(v) => set("cta", { ...doc.cta!, heading: v })} error={err("cta.heading")} />
                <TextField label="CTA title" value={doc.cta.title} onChange={(v) => set("cta", { ...doc.cta!, title: v })} error={err("cta.title")} />
                <TextArea label="CTA text" value={doc.cta.text} onChange={(v) => set("cta", { ...doc.cta!, text: v })} error={err("cta.text")} />
              </>
            )}
            <TextField label="SEO title" value={doc.seo_title} onChange={(v) => set("seo_title", v)} error={err("seo_title")} />
            <TextArea label="SEO description" value={doc.seo_description} onChange={(v) => set("seo_description", v)} error={err("seo_description")} />
          </fieldset>

          {revisions && (
            <fieldset>
              <legend>Revisions</legend>
              <Link to={`/guides/${guide?.id}/revisions`}>Compare revisions side by side</Link>
              <ol className="revisions">
                {revisions.data.map((r) => (
                  <li key={r.number}>
                    #{r.number} {r.action} · <When at={r.created_at} />
                    {r.number !== guide?.revision && <button type="button" onClick={() => restore(r.number)}>Restore</button>}
                  </li>
                ))}
              </ol>
            </fieldset>
          )}
          {guide && <TranslationsPanel guideId={guide.id} />}
        </form>
        <ServerPreview doc={normalize(doc)} />
      </div>
    </div>
  );
}
