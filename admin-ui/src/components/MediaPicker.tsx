// Upload an image or pick one uploaded before; onPick gets its URL.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { api, data, send, type Schemas } from "../api";
import { Notice, useNotice } from "./Notice";

type Media = Schemas["Media"];

export function MediaPicker({ onPick }: { onPick: (url: string, media: Media) => void }) {
  const queries = useQueryClient();
  const { data: items } = useQuery({ queryKey: ["media", "recent"], queryFn: () => data(api.GET("/api/v1/admin/media", { params: { query: { limit: "24" } } })) });
  const notice = useNotice();

  async function upload(file: File) {
    const form = new FormData();
    form.append("file", file);
    try {
      const media: Media = await (await send("/api/v1/admin/media", { method: "POST", body: form })).json();
      notice.ok("Uploaded.");
      onPick(media.url, media);
      queries.invalidateQueries({ queryKey: ["media"] });
    } catch (e) {
      notice.fail(e);
    }
  }

  return (
    <fieldset className="media-picker">
      <legend>Image</legend>
      <label>Upload <input type="file" accept="image/png,image/jpeg,image/gif,image/webp"
        onChange={(e) => e.target.files?.[0] && upload(e.target.files[0])} /></label>
      <Notice note={notice.note} />
      <div className="thumbs">
        {items?.data.map((m) => (
          <button type="button" key={m.id} onClick={() => onPick(m.url, m)} aria-label={`Use ${m.original_name || m.id}`}>
            <img src={m.url} alt="" width={48} height={48} />
          </button>
        ))}
      </div>
    </fieldset>
  );
}
