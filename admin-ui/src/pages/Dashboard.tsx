import { Link } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { api, data } from "../api";
import { countAll } from "../api/lists";
import { AnalyticsPanel } from "../components/AnalyticsPanel";
import { useUser } from "../auth";

const guideStatuses = ["published", "draft", "scheduled", "archived"] as const;

export function Dashboard() {
  const role = useUser().role;
  const weekAgo = new Date(Date.now() - 7 * 86400_000).toISOString().slice(0, 10);
  const guides = useQuery({
    queryKey: ["guides", "counts"],
    enabled: role !== "consultant",
    queryFn: async () => Object.fromEntries(await Promise.all(guideStatuses.map(async (status) => [status,
      await countAll((cursor) => data(api.GET("/api/v1/admin/guides", { params: { query: { status, limit: "100", cursor, include_total: "true" } } })))]))),
  });
  const leads = useQuery({
    queryKey: ["leads", "count", weekAgo],
    enabled: role !== "editor",
    queryFn: () => countAll((cursor) => data(api.GET("/api/v1/admin/leads", { params: { query: { from: weekAgo, limit: "100", cursor, include_total: "true" } } }))),
  });
  const failed = useQuery({
    queryKey: ["outbox", "failed", "count"],
    enabled: role === "admin",
    queryFn: () => countAll((cursor) => data(api.GET("/api/v1/admin/outbox", { params: { query: { status: "failed", limit: "100", cursor } } }))),
  });

  return (
    <section>
      <h1>Dashboard</h1>
      <div className="cards">
        {guides.data && (
          <div className="card">
            <h2>Guides</h2>
            <ul data-testid="guide-counts">
              {guideStatuses.map((s) => <li key={s}>{s}: <strong>{guides.data[s]}</strong></li>)}
            </ul>
            <Link to="/guides">All guides</Link>
          </div>
        )}
        {leads.data != null && (
          <div className="card">
            <h2>New leads this week</h2>
            <p className="big">{leads.data}</p>
            <Link to="/leads">Open the inbox</Link>
          </div>
        )}
        {failed.data != null && (
          <div className="card">
            <h2>Failed emails</h2>
            <p className="big">{failed.data}</p>
            <Link to="/outbox">Outbox</Link>
          </div>
        )}
      </div>
      {role !== "editor" && <AnalyticsPanel />}
    </section>
  );
}
