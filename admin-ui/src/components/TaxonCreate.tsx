// Create a category or technology without leaving the guide editor; the slug
// follows the name. Not a <form>: it lives inside the editor's form.
import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, data } from "../api";
import { keys } from "../api/queries";
import { slugify } from "../doc";
import { Notice, useNotice } from "./Notice";

export function TaxonCreate({ kind, onCreated, context }: { kind: "category" | "technology"; onCreated: (slug: string) => void; context?: string }) {
  const queries = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugTouched, setSlugTouched] = useState(false);
  const notice = useNotice();
  const effective = slugTouched ? slug : slugify(name);

  async function create() {
    try {
      const made = kind === "category"
        ? await data(api.POST("/api/v1/admin/categories", { body: { name, slug: effective, description: "", position: 1000 } }))
        : await data(api.POST("/api/v1/admin/technologies", { body: { name, slug: effective, description: "", language: "", website_url: "", logo_url: "" } }));
      await queries.invalidateQueries({ queryKey: kind === "category" ? keys.categories : keys.technologies });
      onCreated(made.slug);
      setOpen(false);
      setName("");
      setSlug("");
      setSlugTouched(false);
      notice.clear();
    } catch (e) {
      notice.fail(e);
    }
  }

  const what = `New ${kind}${context ? ` for ${context}` : ""}`;
  if (!open) return <button type="button" className="link" onClick={() => setOpen(true)} aria-label={what}>New {kind}…</button>;
  return (
    <div className="taxon-create" role="group" aria-label={what}>
      <label>Name <input value={name} autoFocus aria-invalid={notice.fields.name ? true : undefined} onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => { if (e.key === "Enter") { e.preventDefault(); create(); } }} /></label>
      <label>Slug <input value={effective} aria-invalid={notice.fields.slug ? true : undefined} onChange={(e) => { setSlug(e.target.value); setSlugTouched(true); }} /></label>
      <button type="button" className="primary" onClick={create}>Create {kind}</button>
      <button type="button" onClick={() => setOpen(false)}>Cancel</button>
      <Notice note={notice.note} />
    </div>
  );
}
