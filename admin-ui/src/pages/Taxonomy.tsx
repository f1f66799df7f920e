import { useState } from "react";
import { ApiError, type List } from "../api";
import { useAuth, useLoad } from "../auth";
import { TextField } from "../components/Field";
import { MediaPicker } from "../components/MediaPicker";
import type { Category, Technology } from "../types";

type Kind = "categories" | "technologies";
type Item = (Category | Technology) & Record<string, unknown>;

const fields: Record<Kind, { key: string; label: string }[]> = {
  categories: [{ key: "name", label: "Name" }, { key: "slug", label: "Slug" }, { key: "description", label: "Description" }],
  technologies: [
    { key: "name", label: "Name" }, { key: "slug", label: "Slug" }, { key: "description", label: "Description" },
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

function Editor({ kind }: { kind: Kind }) {
  const { api } = useAuth();
  const [list, , reload] = useLoad((a) => a.get<List<Item>>(`/admin/${kind}?limit=100`), [kind]);
  const [editing, setEditing] = useState<Item | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState("");

  const open = (it: Item | null) => {
    setEditing(it);
    setErrors({});
    setMessage("");
    setForm(Object.fromEntries(fields[kind].map((f) => [f.key, String(it?.[f.key] ?? "")])));
  };

  async function save() {
    const body: Record<string, unknown> = { ...form };
    if (kind === "categories") body.position = Number((editing as Category | null)?.position ?? 0);
    try {
      if (editing) await api.put(`/admin/${kind}/${editing.id}`, body, editing.version);
      else await api.post(`/admin/${kind}`, body);
      setMessage("Saved.");
      setEditing(null);
      setForm({});
      reload();
    } catch (e) {
      if (e instanceof ApiError) {
        setErrors(e.fields());
        setMessage(e.status === 409 ? `${e.message} (reload to see the current version)` : e.message);
      }
    }
  }

  async function remove(it: Item) {
    try {
      await api.del(`/admin/${kind}/${it.id}`);
      reload();
    } catch (e) {
      if (e instanceof ApiError) setMessage(e.message);
    }
  }

  return (
    <div>
      <h2>{kind === "categories" ? "Categories" : "Technologies"}</h2>
      <ul className="plain">
        {list?.data.map((it) => (
          <li key={it.id}>
            {it.name} <code>{it.slug}</code>
            <button type="button" onClick={() => open(it)}>Edit</button>
            <button type="button" onClick={() => remove(it)} aria-label={`Delete ${it.name}`}>Delete</button>
          </li>
        ))}
      </ul>
      <form onSubmit={(e) => { e.preventDefault(); save(); }} aria-label={`${kind} form`}>
        <h3>{editing ? `Edit ${editing.name}` : `New ${kind === "categories" ? "category" : "technology"}`}</h3>
        {fields[kind].map((f) => (
          <TextField key={f.key} label={f.label} value={form[f.key] ?? ""} error={errors[f.key]} onChange={(v) => setForm({ ...form, [f.key]: v })} />
        ))}
        {kind === "technologies" && <MediaPicker onPick={(url) => setForm({ ...form, logo_url: url })} />}
        {message && <p role="status">{message}</p>}
        <button type="submit">Save</button>
        {editing && <button type="button" onClick={() => open(null)}>Cancel</button>}
      </form>
    </div>
  );
}
