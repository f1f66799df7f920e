import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { api, data } from "../api";
import { useCursorList } from "../api/lists";
import { ListFooter } from "../components/ListFooter";
import { Notice, useNotice } from "../components/Notice";
import { When } from "../components/When";

export function Outbox() {
  const [status, setStatus] = useState("failed");
  const list = useCursorList(["outbox", status], (cursor) =>
    data(api.GET("/api/v1/admin/outbox", { params: { query: { limit: "50", cursor, include_total: "true", status: status || undefined } } })));
  const notice = useNotice();
  const retry = useMutation({
    mutationFn: (id: string) => api.POST("/api/v1/admin/outbox/{id}/retry", { params: { path: { id } } }),
    onSuccess: () => { notice.ok("Queued again."); list.refetch(); },
    onError: notice.fail,
  });
  return (
    <section>
      <h1>Outbox</h1>
      <label>Show{" "}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="failed">failed</option><option value="pending">pending</option><option value="sent">sent</option><option value="">all</option>
        </select>
      </label>
      <Notice note={notice.note} />
      <div className="table-wrap">
        <table>
          <thead><tr><th>Subject</th><th>Kind</th><th>Status</th><th>Attempts</th><th>Next attempt</th><th>Last error</th><th><span className="sr-only">Actions</span></th></tr></thead>
          <tbody>
            {list.items.map((m) => (
              <tr key={m.id}>
                <td>{m.subject ?? ""}</td><td>{m.kind}</td><td>{m.status}</td><td>{m.attempts}/{m.max_attempts}</td>
                <td>{m.status === "pending" ? <When at={m.next_attempt_at} /> : ""}</td><td>{m.last_error}</td>
                <td>{m.status === "failed" && <button type="button" onClick={() => retry.mutate(m.id)}>Retry</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ListFooter list={list} noun="messages" />
    </section>
  );
}
