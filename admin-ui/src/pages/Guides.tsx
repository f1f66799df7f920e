import { useState } from "react";
import { Link } from "react-router";
import type { List } from "../api";
import { useLoad } from "../auth";
import type { AdminGuide, Category, Technology } from "../types";

export function Guides() {
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("");
  const [category, setCategory] = useState("");
  const [technology, setTechnology] = useState("");
  const params = new URLSearchParams({ limit: "100" });
  if (q) params.set("q", q);
  if (status) params.set("status", status);
  if (category) params.set("category", category);
  if (technology) params.set("technology", technology);
  const [guides, error] = useLoad((a) => a.get<List<AdminGuide>>(`/admin/guides?${params}`), [params.toString()]);
  const [cats] = useLoad((a) => a.get<List<Category>>("/admin/categories?limit=100"), []);
  const [techs] = useLoad((a) => a.get<List<Technology>>("/admin/technologies?limit=100"), []);
  const catName = new Map((cats?.data ?? []).map((c) => [c.id, c.name]));

  return (
    <section>
      <header className="page-head">
        <h1>Guides</h1>
        <Link className="button primary" to="/guides/new">New guide</Link>
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" value={q} onChange={(e) => setQ(e.target.value)} /></label>
        <label>Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {["draft", "scheduled", "published", "archived"].map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>Category
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            {cats?.data.map((c) => <option key={c.id} value={c.slug}>{c.name}</option>)}
          </select>
        </label>
        <label>Technology
          <select value={technology} onChange={(e) => setTechnology(e.target.value)}>
            <option value="">All</option>
            {techs?.data.map((t) => <option key={t.id} value={t.slug}>{t.name}</option>)}
          </select>
        </label>
      </form>
      {error ? <p className="error" role="alert">Could not load guides.</p> : null}
      <table>
        <thead><tr><th>Title</th><th>Category</th><th>Status</th><th>Updated</th></tr></thead>
        <tbody>
          {guides?.data.map((g) => (
            <tr key={g.id}>
              <td><Link to={`/guides/${g.id}`}>{g.title}</Link></td>
              <td>{catName.get(g.category_id!) ?? ""}</td>
              <td>{g.status}{g.has_unpublished_changes && g.status === "published" ? " (changes)" : ""}</td>
              <td>{new Date(g.updated_at).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
