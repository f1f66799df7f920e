import { Link } from "react-router";
import type { List } from "../api";
import { AnalyticsPanel } from "../components/AnalyticsPanel";
import { useAuth, useLoad } from "../auth";
import type { AdminGuide, Lead, OutboxMessage } from "../types";

export function Dashboard() {
  const { user } = useAuth();
  const role = user!.role;
  const weekAgo = new Date(Date.now() - 7 * 86400_000).toISOString().slice(0, 10);
  const [guides] = useLoad((a) => (role === "consultant" ? Promise.resolve(undefined) : a.get<List<AdminGuide>>("/admin/guides?limit=100")), [role]);
  const [leads] = useLoad((a) => (role === "editor" ? Promise.resolve(undefined) : a.get<List<Lead>>(`/admin/leads?limit=100&from=${weekAgo}`)), [role]);
  const [failed] = useLoad((a) => (role === "admin" ? a.get<List<OutboxMessage>>("/admin/outbox?status=failed&limit=100") : Promise.resolve(undefined)), [role]);

  const byStatus: Record<string, number> = {};
  for (const g of guides?.data ?? []) byStatus[g.status] = (byStatus[g.status] ?? 0) + 1;

  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards">
        {guides && (
          <div className="card">
            <h2>Guides</h2>
            <ul>
              {["published", "draft", "scheduled", "archived"].map((s) => <li key={s}>{s}: <strong>{byStatus[s] ?? 0}</strong></li>)}
            </ul>
            <Link to="/guides">All guides</Link>
          </div>
        )}
        {leads && (
          <div className="card">
            <h2>New leads this week</h2>
            <p className="big">{leads.data.length}{leads.next_cursor ? "+" : ""}</p>
            <Link to="/leads">Open the inbox</Link>
          </div>
        )}
        {failed && (
          <div className="card">
            <h2>Failed emails</h2>
            <p className="big">{failed.data.length}</p>
            <Link to="/outbox">Outbox</Link>
          </div>
        )}
      </div>
      {role !== "editor" && <AnalyticsPanel />}
    </section>
  );
}
