// The media library: every uploaded image, searchable by name, with where
// each is shown; an image nothing shows can be deleted.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useDeferredValue, useId, useState } from "react";
import { Link } from "react-router";
import { ApiError } from "../api";
import type { Schemas } from "../sdk";
import { useCursorList } from "../api/lists";
import { ListFooter } from "../components/ListFooter";
import { When } from "../components/When";
import { Done, ErrorNote, ok, useSdk } from "./kit";

type Media = Schemas["Media"];
type Use = Schemas["MediaUse"];

function size(n: number) {
  return n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KB` : `${(n / (1 << 20)).toFixed(1)} MB`;
}

export function MediaLibrary() {
  const sdk = useSdk();
  const qc = useQueryClient();
  const searchId = useId();
  const uploadId = useId();
  const [q, setQ] = useState("");
  const query = useDeferredValue(q.trim());
  const [message, setMessage] = useState("");
  const list = useCursorList<Media>(["media", query], (cursor) =>
    ok(sdk.GET("/api/v1/admin/media", { params: { query: { q: query || undefined, cursor, limit: "24" } } })));
  const upload = useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("file", file);
      return ok(sdk.POST("/api/v1/admin/media", { body: form as never, bodySerializer: (b: unknown) => b as FormData }));
    },
    onSuccess: (m) => {
      setMessage(`Uploaded ${m.original_name}.`);
      qc.invalidateQueries({ queryKey: ["media"] });
    },
  });
  return (
    <section>
      <h1>Media library</h1>
      <div className="form-row">
        <div className="field">
          <label htmlFor={searchId}>Search by file name</label>
          <input id={searchId} type="search" value={q} onChange={(e) => setQ(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={uploadId}>Upload an image</label>
          <input id={uploadId} type="file" accept="image/png,image/jpeg,image/gif,image/webp"
            onChange={(e) => { const f = e.target.files?.[0]; if (f) upload.mutate(f); e.target.value = ""; }} />
        </div>
      </div>
      <Done>{message}</Done>
      <ErrorNote error={list.error || upload.error} />
      {list.items.length === 0 ? <p>{list.loading ? "Loading…" : query ? `No file name contains “${query}”.` : "No images uploaded yet."}</p> : (
        <ul className="media-grid" aria-label="Images">
          {list.items.map((m) => <MediaItem key={m.id} item={m} onDeleted={() => setMessage(`Deleted ${m.original_name}.`)} />)}
        </ul>
      )}
      <ListFooter list={list} noun="images" />
    </section>
  );
}

function MediaItem({ item, onDeleted }: { item: Media; onDeleted: () => void }) {
  const sdk = useSdk();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const uses = useQuery({
    queryKey: ["media", "uses", item.id],
    enabled: open,
    queryFn: () => ok(sdk.GET("/api/v1/admin/media/{id}/uses", { params: { path: { id: item.id } } })),
  });
  const remove = useMutation({
    mutationFn: () => ok(sdk.DELETE("/api/v1/admin/media/{id}", { params: { path: { id: item.id } } })),
    onSuccess: () => {
      onDeleted();
      qc.invalidateQueries({ queryKey: ["media"] });
    },
    onError: () => setOpen(true),
  });
  const name = item.original_name || item.id.slice(0, 12);
  const usedBy = remove.error instanceof ApiError ? (remove.error.problem as { used_by?: Use[] }).used_by : undefined;
  const shown = usedBy ?? uses.data?.data;
  return (
    <li data-testid="media-item">
      <img src={item.url} alt={name} loading="lazy" />
      <strong>{name}</strong>
      <small className="muted">{size(item.size)} · <When at={item.created_at} /></small>
      <p className="actions">
        <button type="button" aria-expanded={open} aria-label={`Where used: ${name}`} onClick={() => setOpen(!open)}>Where used</button>
        <button type="button" className="danger" aria-label={`Delete ${name}`}
          onClick={() => window.confirm(`Delete ${name}? Its URL stops working.`) && remove.mutate()}>Delete</button>
      </p>
      <ErrorNote error={remove.error} />
      {open && (
        <div aria-label={`Uses of ${name}`} role="region">
          {!shown ? <p>Loading…</p> : shown.length === 0 ? <p>Not used anywhere.</p> : (
            <ul>
              {shown.map((u) => (
                <li key={u.kind + u.id + u.where}>
                  {u.kind === "guide" ? <Link to={`/guides/${u.id}`}>{u.title}</Link> : <Link to="/taxonomy">{u.title}</Link>}{" "}
                  <small>({u.kind === "guide" ? `guide, ${u.where}` : "technology logo"})</small>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <input type="text" readOnly value={item.url} aria-label={`URL of ${name}`} onFocus={(e) => e.target.select()} />
    </li>
  );
}
