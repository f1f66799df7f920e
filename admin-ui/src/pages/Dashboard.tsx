// The dashboard: counts (from list totals, right past 100), lead analytics
// for a date range kept in the URL, and the way to the API reference.
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useSearchParams } from "react-router";
import { useAuth } from "../auth";
import { AnalyticsPanel } from "../components/AnalyticsPanel";
import { api } from "../api";
import { countAll, type PageFn } from "../api/lists";
import { ErrorNote, ok } from "./kit";

const day = 86_400_000;
const isoDay = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

// By calendar, not by 24 hours: a day with a DST change is 23 or 25 hours long.
function nextMidnight(day: string): Date {
  const d = new Date(day + "T00:00:00");
  d.setDate(d.getDate() + 1);
  return d;
}

/** range turns inclusive local dates into the API's [from, to) instants. */
export function range(from: string, to: string): { from?: string; to?: string } {
  return {
    from: from ? new Date(from + "T00:00:00").toISOString() : undefined,
    to: to ? nextMidnight(to).toISOString() : undefined,
  };
}

/** useTotal counts a list: the server's total where it counts, else the pages followed to the end. */
function useTotal(key: unknown[], page: PageFn<unknown>, enabled: boolean) {
  return useQuery({ queryKey: ["total", ...key], enabled, queryFn: () => countAll(page) });
}

const guideTotal = (status: string): PageFn<unknown> => (cursor) =>
  ok(api.GET("/api/v1/admin/guides", { params: { query: { status, include_total: "true", limit: "1", cursor } } }));
const leadTotal = (query: { status?: string; from?: string; to?: string }): PageFn<unknown> => (cursor) =>
  ok(api.GET("/api/v1/admin/leads", { params: { query: { ...query, include_total: "true", limit: "1", cursor } } }));
const failedMail: PageFn<unknown> = (cursor) =>
  ok(api.GET("/api/v1/admin/outbox", { params: { query: { status: "failed", include_total: "true", limit: "1", cursor } } }));

function Count({ label, q, to }: { label: string; q: ReturnType<typeof useTotal>; to?: string }) {
  if (!q.isEnabled) return null;
  const value = q.isLoading ? "…" : q.isError ? "?" : String(q.data);
  return (
    <li>
      {to ? <Link to={to}>{label}</Link> : label}: <strong data-testid={`count-${label}`}>{value}</strong>
    </li>
  );
}

export function Dashboard() {
  const { user } = useAuth();
  const role = user!.role;
  const [params, setParams] = useSearchParams();
  const from = params.get("from") ?? isoDay(new Date(Date.now() - 29 * day));
  const to = params.get("to") ?? isoDay(new Date());
  const r = range(from, to);
  const fromId = useId();
  const toId = useId();
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    next.set(k, v);
    setParams(next, { replace: true });
  };
  const editor = role !== "consultant", leads = role !== "editor", admin = role === "admin";
  const guides = {
    published: useTotal(["guides", "published"], guideTotal("published"), editor),
    draft: useTotal(["guides", "draft"], guideTotal("draft"), editor),
    scheduled: useTotal(["guides", "scheduled"], guideTotal("scheduled"), editor),
    archived: useTotal(["guides", "archived"], guideTotal("archived"), editor),
  };
  const inRange = useTotal(["leads", r], leadTotal(r), leads);
  const fresh = useTotal(["leads", "new"], leadTotal({ status: "new" }), leads);
  const failed = useTotal(["outbox", "failed"], failedMail, admin);
  const badRange = from && to && from > to;
  return (
    <section>
      <div className="page-head">
        <h1>Dashboard</h1>
        <a href="/api/docs">API reference</a>
      </div>
      <div className="cards">
        {editor && (
          <div className="card">
            <h2>Guides</h2>
            <ul>
              {(Object.keys(guides) as (keyof typeof guides)[]).map((s) => <Count key={s} label={s} q={guides[s]} to={`/guides?status=${s}`} />)}
            </ul>
          </div>
        )}
        {leads && (
          <div className="card">
            <h2>Leads</h2>
            <ul>
              <Count label="new, not yet contacted" q={fresh} to="/leads?status=new" />
              <Count label="in the date range" q={inRange} />
            </ul>
          </div>
        )}
        {admin && (
          <div className="card">
            <h2>Email</h2>
            <ul><Count label="failed" q={failed} to="/outbox" /></ul>
          </div>
        )}
        <div className="card">
          <h2>For developers</h2>
          <p><a href="/api/docs">Interactive API reference</a> and the <a href="/api/openapi.json">OpenAPI description</a>.</p>
        </div>
      </div>
      {leads && (
        <>
          <form className="filters" aria-label="Date range" onSubmit={(e) => e.preventDefault()}>
            <label htmlFor={fromId}>From<input id={fromId} type="date" value={from} max={to} onChange={(e) => set("from", e.target.value)} /></label>
            <label htmlFor={toId}>To<input id={toId} type="date" value={to} min={from} onChange={(e) => set("to", e.target.value)} /></label>
          </form>
          {badRange ? <div className="error" role="alert">The range ends before it starts.</div> : <AnalyticsPanel from={r.from} to={r.to} />}
        </>
      )}
      <ErrorNote error={inRange.error} />
    </section>
  );
}
