import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { api, ApiError, data } from "../api";
import { useCursorList, useDebounced } from "../api/lists";
import { useCategories, useTechnologies } from "../api/queries";
import { ListFooter } from "../components/ListFooter";
import { asApiError, Notice, useNotice } from "../components/Notice";
import { When } from "../components/When";
import type { GuideListItem } from "../doc";

/** A copy of a guide as a new draft: "X (copy)", slug "x-copy" (numbered when taken). */
export async function duplicateGuide(id: string) {
  const g = await data(api.GET("/api/v1/admin/guides/{id}", { params: { path: { id } } }));
  const doc = g.document!;
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? "copy" : `copy-${n}`;
    try {
      return await data(api.POST("/api/v1/admin/guides", { body: { ...doc, title: `${doc.title} (${suffix.replace("-", " ")})`, slug: `${doc.slug}-${suffix}`.slice(0, 100) } }));
    } catch (e) {
      const taken = (e as { problem?: { errors?: { field: string; code: string }[] } }).problem?.errors?.some((f) => f.field === "slug");
      if (!taken || n > 20) throw e;
    }
  }
}

export function Guides() {
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const status = params.get("status") ?? "";
  const category = params.get("category") ?? "";
  const technology = params.get("technology") ?? "";
  const search = useDebounced(q.trim());
  const filter = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  const list = useCursorList(["guides", "list", search, status, category, technology], (cursor) =>
    data(api.GET("/api/v1/admin/guides", {
      params: { query: { limit: "50", cursor, include_total: "true", q: search || undefined, status: status || undefined, category: category || undefined, technology: technology || undefined } },
    })));
  const cats = useCategories();
  const techs = useTechnologies();
  const catName = new Map((cats.data ?? []).map((c) => [c.id, c.name]));
  const notice = useNotice();
  const navigate = useNavigate();
  const queries = useQueryClient();

  async function duplicate(g: GuideListItem) {
    try {
      const copy = await duplicateGuide(g.id);
      await queries.invalidateQueries({ queryKey: ["guides"] });
      navigate(`/guides/${copy.id}`);
    } catch (e) {
      notice.fail(e);
    }
  }

  async function remove(g: GuideListItem) {
    if (!confirm(`Delete “${g.title}” and all its revisions? This cannot be undone.`)) return;
    try {
      await api.DELETE("/api/v1/admin/guides/{id}", { params: { path: { id: g.id } } });
      notice.ok(`Deleted “${g.title}”.`);
      list.refetch();
    } catch (e) {
      const err = asApiError(e);
      const linked = err.problem.linked_from;
      notice.fail(linked?.length ? new ApiError({ ...err.problem, detail: `${err.message} Linked from: ${linked.map((l) => l.title).join(", ")}.` }) : err);
    }
  }

  return (
    <section>
      <header className="page-head">
        <h1>Guides</h1>
        <Link className="button primary" to="/guides/new">New guide</Link>
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" value={q} onChange={(e) => { setQ(e.target.value); filter("q", e.target.value.trim()); }} /></label>
        <label>Status
          <select value={status} onChange={(e) => filter("status", e.target.value)}>
            <option value="">All</option>
            {["draft", "scheduled", "published", "archived"].map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>Category
          <select value={category} onChange={(e) => filter("category", e.target.value)}>
            <option value="">All</option>
            {cats.data?.map((c) => <option key={c.id} value={c.slug}>{c.name}</option>)}
          </select>
        </label>
        <label>Technology
          <select value={technology} onChange={(e) => filter("technology", e.target.value)}>
            <option value="">All</option>
            {techs.data?.map((t) => <option key={t.id} value={t.slug}>{t.name}</option>)}
          </select>
        </label>
      </form>
      <Notice note={notice.note} />
      <div className="table-wrap">
        <table>
          <thead><tr><th>Title</th><th>Category</th><th>Status</th><th>Updated</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.items.map((g) => (
              <tr key={g.id}>
                <td><Link to={`/guides/${g.id}`}>{g.title}</Link></td>
                <td>{catName.get(g.category_id) ?? ""}</td>
                <td>{g.status}{g.has_unpublished_changes && g.status === "published" ? " (changes)" : ""}{g.scheduled_at && <> · <When at={g.scheduled_at} /></>}</td>
                <td><When at={g.updated_at} /></td>
                <td className="row-actions">
                  <button type="button" onClick={() => duplicate(g)} aria-label={`Duplicate ${g.title}`}>Duplicate</button>
                  <button type="button" className="danger" onClick={() => remove(g)} aria-label={`Delete ${g.title}`}>Delete</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListFooter list={list} noun="guides" />
    </section>
  );
}
