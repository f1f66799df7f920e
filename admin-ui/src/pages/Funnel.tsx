// Funnel analytics: which guides bring clients. Per guide, views to leads
// with each step's conversion, a table sortable by any column, a date range
// kept in the URL, sparkline trends and top sources. Editors see content
// metrics only; consultants see their own leads.
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { api, data, type Schemas } from "../api";
import { FunnelChart, type Step } from "../components/FunnelChart";
import { Sparkline } from "../components/Sparkline";
import { ErrorNote } from "./kit";

type Report = Schemas["Funnel"];
type GuideRow = Schemas["FunnelGuideReport"];

const day = 86_400_000;
const utcDay = (t: number) => new Date(t).toISOString().slice(0, 10);

type Col = { key: string; label: string; value: (g: GuideRow) => number | null; leads?: boolean; rate?: boolean };
const columns: Col[] = [
  { key: "views", label: "Views", value: (g) => g.views },
  { key: "unique_visitors", label: "Unique visitors", value: (g) => g.unique_visitors },
  { key: "checklist_starts", label: "Checklist starts", value: (g) => g.checklist_starts },
  { key: "recommendations", label: "Recommendations", value: (g) => g.recommendations },
  { key: "cta_clicks", label: "CTA clicks", value: (g) => g.cta_clicks },
  { key: "leads", label: "Leads", value: (g) => g.leads ?? null, leads: true },
  { key: "leads_won", label: "Won", value: (g) => g.leads_won ?? null, leads: true },
  { key: "start_rate", label: "Start rate", value: (g) => g.conversion.checklist_start_per_view ?? null, rate: true },
  { key: "lead_rate", label: "Lead rate", value: (g) => g.conversion.lead_per_view ?? null, leads: true, rate: true },
];

const rate = (v: number | null) => (v === null ? "–" : `${Math.round(v * 1000) / 10}%`);

function steps(g: Pick<GuideRow, "views" | "checklist_starts" | "recommendations" | "cta_clicks" | "leads" | "leads_won">, leads: boolean): Step[] {
  const s: Step[] = [
    { label: "Views", value: g.views },
    { label: "Checklist starts", value: g.checklist_starts },
    { label: "Recommendations", value: g.recommendations },
    { label: "CTA clicks", value: g.cta_clicks },
  ];
  if (leads) s.push({ label: "Leads", value: g.leads }, { label: "Won", value: g.leads_won });
  return s;
}

export function Funnel() {
  const [params, setParams] = useSearchParams();
  const from = params.get("from") ?? utcDay(Date.now() - 29 * day);
  const to = params.get("to") ?? utcDay(Date.now());
  const guide = params.get("guide") ?? "";
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: "lead_rate", desc: true });
  const ids = { from: useId(), to: useId(), guide: useId() };
  const set = (k: string, v: string) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };
  const bad = from > to;
  const q = useQuery({
    queryKey: ["funnel", from, to],
    enabled: !bad && !!from && !!to,
    queryFn: () => data(api.GET("/api/v1/admin/analytics/funnel", { params: { query: { from, to } } })) as Promise<Report>,
  });
  const report = q.data;
  const leads = report?.leads_visible ?? false;
  const cols = columns.filter((c) => leads || !c.leads);
  const sortKey = cols.some((c) => c.key === sort.key) ? sort.key : "start_rate";
  const rows = useMemo(() => {
    const col = columns.find((c) => c.key === sortKey)!;
    const list = [...(report?.guides ?? [])];
    list.sort((a, b) => {
      const d = (col.value(a) ?? -1) - (col.value(b) ?? -1);
      return (sort.desc ? -d : d) || a.guide.localeCompare(b.guide);
    });
    return list;
  }, [report, sortKey, sort.desc]);
  const selected = rows.find((g) => g.guide === guide);
  const total = useMemo(() => {
    const sum = (f: (g: GuideRow) => number | null | undefined) => rows.reduce((n, g) => n + (f(g) ?? 0), 0);
    return { views: sum((g) => g.views), checklist_starts: sum((g) => g.checklist_starts), recommendations: sum((g) => g.recommendations),
      cta_clicks: sum((g) => g.cta_clicks), leads: sum((g) => g.leads), leads_won: sum((g) => g.leads_won) };
  }, [rows]);
  const shown = selected ?? total;

  return (
    <section className="funnel">
      <div className="page-head">
        <h1>Funnel</h1>
        <p className="muted">{leads ? "Which guides bring clients: readers at each step, and the leads they became." : "How readers move through each guide (lead figures are for admins and consultants)."}</p>
      </div>
      <div className="filters" role="group" aria-label="Date range and guide">
        <label htmlFor={ids.from}>From<input id={ids.from} type="date" value={from} max={to} onChange={(e) => set("from", e.target.value)} /></label>
        <label htmlFor={ids.to}>To<input id={ids.to} type="date" value={to} min={from} onChange={(e) => set("to", e.target.value)} /></label>
        <label htmlFor={ids.guide}>Guide
          <select id={ids.guide} value={guide} onChange={(e) => set("guide", e.target.value)}>
            <option value="">All guides</option>
            {(report?.guides ?? []).map((g) => <option key={g.guide} value={g.guide}>{g.title}</option>)}
          </select>
        </label>
      </div>
      {bad && <p className="alert" role="alert">The start of the range is after its end.</p>}
      {q.isError && <ErrorNote error={q.error} />}
      {q.isLoading && <p role="status">Loading…</p>}
      {report && (
        <>
          <FunnelChart title={selected ? `Funnel: ${selected.title}` : "Funnel: all guides"} steps={steps(shown, leads)} />
          {rows.length === 0 ? (
            <p className="muted" role="status">No events in this range yet. Views are counted when readers open a hosted page or a widget.</p>
          ) : (
            <div className="table-wrap">
              <table className="funnel-table">
                <caption className="sr-only">Guides by conversion, {from} to {to}; column headers sort the table</caption>
                <thead>
                  <tr>
                    <th scope="col">Guide</th>
                    {cols.map((c) => (
                      <th key={c.key} scope="col" aria-sort={sortKey === c.key ? (sort.desc ? "descending" : "ascending") : "none"}>
                        <button type="button" className="link" onClick={() => setSort({ key: c.key, desc: sortKey === c.key ? !sort.desc : true })}>
                          {c.label}{sortKey === c.key ? (sort.desc ? " ▼" : " ▲") : ""}
                        </button>
                      </th>
                    ))}
                    <th scope="col">Views per day</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((g) => (
                    <tr key={g.guide} data-testid={`funnel-${g.guide}`} aria-selected={g.guide === guide || undefined}>
                      <th scope="row"><button type="button" className="link" onClick={() => set("guide", g.guide === guide ? "" : g.guide)}>{g.title}</button></th>
                      {cols.map((c) => <td key={c.key} data-testid={c.key}>{c.rate ? rate(c.value(g)) : c.value(g)}</td>)}
                      <td><Sparkline label={`Views per day of ${g.title}`} points={g.daily.map((d) => ({ date: d.date, value: d.views }))} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {selected && (
            <div className="cards">
              <Sources title="Top referrers" list={selected.top_referrers} />
              <Sources title="Top campaigns" list={selected.top_campaigns} />
              <Sources title="Top sources" list={selected.top_sources} />
              {leads && (
                <div className="card">
                  <h2>Leads per day</h2>
                  <Sparkline width={240} height={48} label={`Leads per day of ${selected.title}`} points={selected.daily.map((d) => ({ date: d.date, value: d.leads ?? 0 }))} />
                </div>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}

function Sources({ title, list }: { title: string; list: { value: string; views: number }[] }) {
  return (
    <div className="card">
      <h2>{title}</h2>
      {list.length === 0 ? <p className="muted">None yet.</p> : (
        <ol>{list.map((s) => <li key={s.value}>{s.value}: {s.views} {s.views === 1 ? "view" : "views"}</li>)}</ol>
      )}
    </div>
  );
}
