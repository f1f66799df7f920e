// The editor's preview: the server renders the unsaved document exactly as
// the hosted page shows it (POST /api/v1/admin/guides/preview), and a
// sandboxed frame displays it: no scripts, no same-origin access.
import { useQuery, keepPreviousData } from "@tanstack/react-query";
import { send } from "../api";
import { useDebounced } from "../api/lists";
import type { GuideDocument } from "../doc";

export function ServerPreview({ doc }: { doc: GuideDocument }) {
  const body = useDebounced(JSON.stringify(doc), 400);
  const page = useQuery({
    queryKey: ["preview", body],
    queryFn: async () => (await send("/api/v1/admin/guides/preview", { method: "POST", body, headers: { "Content-Type": "application/json" } })).text(),
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  return (
    <section className="preview" aria-label="Preview">
      {page.error ? <p className="notice error" role="alert">The preview could not be drawn: {(page.error as Error).message}</p> : null}
      <iframe title="Preview of the guide as published" sandbox="" srcDoc={page.data ?? ""} data-testid="preview-frame" />
    </section>
  );
}
