import { useState } from "react";
import { ApiError, type List } from "../api";
import { useAuth, useLoad } from "../auth";
import type { OutboxMessage } from "../types";

export function Outbox() {
  const { api } = useAuth();
  const [status, setStatus] = useState("failed");
  const [rows, , reload] = useLoad((a) => a.get<List<OutboxMessage>>(`/admin/outbox?limit=100${status ? "&status=" + status : ""}`), [status]);
  const [message, setMessage] = useState("");
  async function retry(id: string) {
    try {
      await api.post(`/admin/outbox/${id}/retry`);
      setMessage("Queued again.");
      reload();
    } catch (e) {
      setMessage(e instanceof ApiError ? e.message : "Failed.");
    }
  }
  return (
    <section>
      <h1>Outbox</h1>
      <label>Show{" "}
        <select value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="failed">failed</option><option value="pending">pending</option><option value="sent">sent</option><option value="">all</option>
        </select>
      </label>
      {message && <p role="status">{message}</p>}
      <table>
        <thead><tr><th>Subject</th><th>Kind</th><th>Status</th><th>Attempts</th><th>Last error</th><th /></tr></thead>
        <tbody>
          {rows?.data.map((m) => (
            <tr key={m.id}>
              <td>{m.subject ?? ""}</td><td>{m.kind}</td><td>{m.status}</td><td>{m.attempts}/{m.max_attempts}</td><td>{m.last_error}</td>
              <td>{m.status === "failed" && <button type="button" onClick={() => retry(m.id)}>Retry</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
