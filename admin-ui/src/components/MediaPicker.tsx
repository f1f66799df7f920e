// Upload an image or pick one uploaded before; onPick gets its URL.
import { useState } from "react";
import type { List } from "../api";
import { useAuth, useLoad } from "../auth";

type Media = { id: string; url: string; original_name: string };

export function MediaPicker({ onPick }: { onPick: (url: string) => void }) {
  const { api } = useAuth();
  const [items, , reload] = useLoad((a) => a.get<List<Media>>("/admin/media?limit=24"), []);
  const [message, setMessage] = useState("");

  async function upload(file: File) {
    const form = new FormData();
    form.append("file", file);
    const r = await fetch("/api/v1/admin/media", { method: "POST", body: form, headers: { Authorization: `Bearer ${api.session.accessToken}` } });
    const body = await r.json();
    if (!r.ok) {
      setMessage(body.errors?.[0]?.message ?? body.detail ?? "Upload failed.");
      return;
    }
    setMessage("Uploaded.");
    onPick(body.url);
    reload();
  }

  return (
    <fieldset className="media-picker">
      <legend>Image</legend>
      <label>Upload <input type="file" accept="image/png,image/jpeg,image/gif,image/webp"
        onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} /></label>
      {message && <p role="status">{message}</p>}
      <div className="thumbs">
        {items?.data.map((m) => (
          <button type="button" key={m.id} onClick={() => onPick(m.url)} aria-label={`Use ${m.original_name || m.id}`}>
            <img src={m.url} alt="" width={48} height={48} />
          </button>
        ))}
      </div>
    </fieldset>
  );
}
