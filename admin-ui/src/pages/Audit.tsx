// The audit log: who did what, newest first, filtered by action, person
// and subject (kept in the URL), paged through next_cursor.
import { useSearchParams } from "react-router";
import type { Schemas } from "../sdk";
import { useCursorList } from "../api/lists";
import { ListFooter } from "../components/ListFooter";
import { When } from "../components/When";
import { ErrorNote, ok, useSdk, useUserNames, useUsers } from "./kit";

const ACTIONS = ["guide.published", "guide.unpublished", "guide.scheduled", "guide.archived", "guide.deleted", "guide.restored",
  "category.deleted", "technology.deleted", "media.uploaded", "media.deleted", "content.imported", "lead.status_changed", "lead.reassigned",
  "auth.login", "auth.logout", "auth.password_changed", "user.created", "user.updated", "user.password_reset", "api_token.created", "api_token.revoked", "webhook.created", "webhook.deleted"];

export function Audit() {
  const sdk = useSdk();
  const [params, setParams] = useSearchParams();
  const filter = { action: params.get("action") ?? "", actor: params.get("actor") ?? "", subject: params.get("subject") ?? "" };
  const set = (k: keyof typeof filter, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const name = useUserNames();
  const users = useUsers();
  const list = useCursorList<Schemas["Audit"]>(["audit", filter], (cursor) => ok(sdk.GET("/api/v1/admin/audit", {
    params: { query: { action: filter.action || undefined, actor: filter.actor || undefined, subject: filter.subject || undefined, limit: "50", cursor } },
  })));
  return (
    <section>
      <h1>Audit log</h1>
      <form className="filters" role="search" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
        <label>Action
          <select value={filter.action} onChange={(e) => set("action", e.target.value)}>
            <option value="">Any</option>
            {ACTIONS.map((a) => <option key={a} value={a}>{a}</option>)}
          </select>
        </label>
        <label>Person
          <select value={filter.actor} onChange={(e) => set("actor", e.target.value)}>
            <option value="">Anyone</option>
            {users.data?.map((u) => <option key={u.id} value={u.id}>{u.email}</option>)}
          </select>
        </label>
        <label>Subject ID
          <input value={filter.subject} onChange={(e) => set("subject", e.target.value.trim())} placeholder="guide, user or token ID" />
        </label>
      </form>
      <ErrorNote error={list.error} />
      {list.items.length === 0 ? <p>{list.loading ? "Loading…" : "Nothing matches."}</p> : (
        <table>
          <caption className="sr-only">Audit entries</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Detail</th></tr></thead>
          <tbody>
            {list.items.map((e) => (
              <tr key={e.id} data-testid="audit-entry">
                <td><When at={e.created_at} /></td>
                <td>{e.actor_id ? name(e.actor_id) : "system"}</td>
                <td>{e.action}</td>
                <td>{e.subject_type}{e.subject_id && <> <button type="button" className="link" aria-label={`Only ${e.subject_type} ${e.subject_id}`} onClick={() => set("subject", e.subject_id)}><code>{e.subject_id.slice(0, 8)}</code></button></>}</td>
                <td>{e.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ListFooter list={list} noun="entries" />
    </section>
  );
}
