import { useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, ifMatch } from "../api";
import { keys, useCategories, useTechnologies, type Category, type Technology } from "../api/queries";
import { TextField } from "../components/Field";
import { MediaPicker } from "../components/MediaPicker";
import { Notice, useNotice } from "../components/Notice";
import { slugify } from "../doc";

type Kind = "categories" | "technologies";
type Item = (Category | Technology) & Record<string, unknown>;

const fields: Record<Kind, { key: string; label: string; required?: boolean }[]> = {
  categories: [{ key: "name", label: "Name", required: true }, { key: "slug", label: "Slug", required: true }, { key: "description", label: "Description" }],
  technologies: [
    { key: "name", label: "Name", required: true }, { key: "slug", label: "Slug", required: true }, { key: "description", label: "Description" },
    { key: "language", label: "Language" }, { key: "website_url", label: "Website URL" }, { key: "logo_url", label: "Logo URL" },
  ],
};

export function Taxonomy() {
  return (
    <section>
      <h1>Categories &amp; technologies</h1>
      <div className="split even">
        <Editor kind="categories" />
        <Editor kind="technologies" />
      </div>
    </section>
  );
}

/** Writes a category or technology; shared with the guide editor's "new category" form. */
export async function saveTaxon(kind: Kind, body: Record<string, unknown>, editing?: Item | null) {
  if (kind === "categories") {
    const b = body as never;
    return editing
      ? (await api.PUT("/api/v1/admin/categories/{id}", { params: { path: { id: editing.id as string } }, body: b, headers: ifMatch(editing.version as number) })).data
      : (await api.POST("/api/v1/admin/categories", { body: b })).data;
  }
  const b = body as never;
  return editing
    ? (await api.PUT("/api/v1/admin/technologies/{id}", { params: { path: { id: editing.id as string } }, body: b, headers: ifMatch(editing.version as number) })).data
    : (await api.POST("/api/v1/admin/technologies", { body: b })).data;
}

function Editor({ kind }: { kind: Kind }) {
  const queries = useQueryClient();
  const cats = useCategories();
  const techs = useTechnologies();
  const list = (kind === "categories" ? cats.data : techs.data) as Item[] | undefined;
  const [editing, setEditing] = useState<Item | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const notice = useNotice();
  const formRef = useRef<HTMLFormElement>(null);
  const reload = () => queries.invalidateQueries({ queryKey: kind === "categories" ? keys.categories : keys.technologies });

  const open = (it: Item | null) => {
    setEditing(it);
    notice.clear();
    setForm(Object.fromEntries(fields[kind].map((f) => [f.key, String(it?.[f.key] ?? "")])));
  };

  async function save() {
    const body: Record<string, unknown> = { ...fields[kind].reduce((o, f) => ({ ...o, [f.key]: form[f.key] ?? "" }), {}) };
    if (kind === "categories") body.position = Number((editing as Category | null)?.position ?? list?.length ?? 0);
    try {
      await saveTaxon(kind, body, editing);
      notice.ok("Saved.");
      setEditing(null);
      setForm({});
      reload();
    } catch (e) {
      notice.fail(e);
    }
  }

  /** Swaps a category's position with its neighbour's (the order guides are listed in). */
  async function reorder(i: number, to: number) {
    if (!list || to < 0 || to >= list.length) return;
    const moved = [...list];
    const [it] = moved.splice(i, 1);
    moved.splice(to, 0, it);
    try {
      for (const [pos, c] of moved.entries()) {
        if ((c as Category).position === pos) continue;
        await saveTaxon("categories", { name: c.name, slug: c.slug, description: (c as Category).description, position: pos }, c);
      }
      notice.ok(`Moved ${it.name} to position ${to + 1}.`);
    } catch (e) {
      notice.fail(e);
    }
    await reload();
  }

  async function remove(it: Item) {
    if (!confirm(`Delete ${it.name}? This cannot be undone.`)) return;
    try {
      if (kind === "categories") await api.DELETE("/api/v1/admin/categories/{id}", { params: { path: { id: it.id as string } } });
      else await api.DELETE("/api/v1/admin/technologies/{id}", { params: { path: { id: it.id as string } } });
      notice.ok(`Deleted ${it.name}.`);
      reload();
    } catch (e) {
      notice.fail(e);
    }
  }

  const singular = kind === "categories" ? "category" : "technology";
  return (
    <div>
      <h2>{kind === "categories" ? "Categories" : "Technologies"}</h2>
      <ul className="plain" aria-label={kind === "categories" ? "Categories" : "Technologies"}>
        {list?.map((it, i) => (
          <li key={it.id as string}>
            <span className="grow">{it.name} <code>{it.slug}</code></span>
            {kind === "categories" && (
              <>
                <button type="button" aria-label={`Move ${it.name} up`} disabled={i === 0} onClick={() => reorder(i, i - 1)}>↑</button>
                <button type="button" aria-label={`Move ${it.name} down`} disabled={i === list.length - 1} onClick={() => reorder(i, i + 1)}>↓</button>
              </>
            )}
            <button type="button" onClick={() => open(it)} aria-label={`Edit ${it.name}`}>Edit</button>
            <button type="button" className="danger" onClick={() => remove(it)} aria-label={`Delete ${it.name}`}>Delete</button>
          </li>
        ))}
      </ul>
      <form ref={formRef} onSubmit={(e) => { e.preventDefault(); save(); }} aria-label={`${kind} form`}>
        <h3>{editing ? `Edit ${editing.name}` : `New ${singular}`}</h3>
        {fields[kind].map((f) => (
          <TextField key={f.key} label={f.label} name={f.key} value={form[f.key] ?? ""} error={notice.fields[f.key]} required={f.required}
            onChange={(v) => setForm(f.key === "name" && !editing && (form.slug ?? "") === slugify(form.name ?? "") ? { ...form, name: v, slug: slugify(v) } : { ...form, [f.key]: v })} />
        ))}
        {kind === "technologies" && <MediaPicker onPick={(url) => setForm({ ...form, logo_url: url })} />}
        <Notice note={notice.note} scope={formRef} />
        <button type="submit" className="primary">Save</button>
        {editing && <button type="button" onClick={() => open(null)}>Cancel</button>}
      </form>
    </div>
  );
}
