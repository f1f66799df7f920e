import { useEffect, useRef, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import { useQuery } from "@tanstack/react-query";
import { api, data, download, type Schemas } from "../api";
import { useUser } from "../auth";
import { everyPage, useCursorList, useDebounced } from "../api/lists";
import { Bars } from "../components/Bars";
import { TextArea } from "../components/Field";
import { ListFooter } from "../components/ListFooter";
import { Notice, useNotice } from "../components/Notice";
import { When } from "../components/When";
import { label } from "../leadLabels";

type Lead = Schemas["Lead"];
type LeadStatus = "new" | "contacted" | "qualified" | "won" | "lost" | "spam";

const next: Record<LeadStatus, LeadStatus[]> = {
  new: ["contacted", "qualified", "lost", "spam"],
  contacted: ["qualified", "won", "lost", "spam"],
  qualified: ["won", "lost", "spam"],
  spam: ["new"],
  won: [],
  lost: [],
};
/** A move is final when the new status can't lead back to the old one. */
const final = (from: LeadStatus, to: LeadStatus) => !next[to].includes(from);

const filterNames = ["q", "status", "owner", "guide", "from", "to"] as const;

/** Consultants by id, for owners and note authors (admins only may list users). */
function useConsultants(enabled: boolean) {
  return useQuery({
    queryKey: ["users", "consultants"],
    enabled,
    queryFn: () => everyPage((cursor) => data(api.GET("/api/v1/admin/users", { params: { query: { role: "consultant", limit: "100", cursor } } }))),
  });
}

export function Leads() {
  const { id } = useParams();
  const user = useUser();
  const admin = user.role === "admin";
  const [params, setParams] = useSearchParams();
  const [q, setQ] = useState(params.get("q") ?? "");
  const search = useDebounced(q.trim());
  const f = Object.fromEntries(filterNames.map((k) => [k, params.get(k) ?? ""])) as Record<(typeof filterNames)[number], string>;
  f.q = search;
  const setFilter = (k: string, v: string) => {
    const p = new URLSearchParams(params);
    if (v) p.set(k, v);
    else p.delete(k);
    setParams(p, { replace: true });
  };
  useEffect(() => {
    if (search !== (params.get("q") ?? "")) setFilter("q", search);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [search]);
  const query = Object.fromEntries(Object.entries(f).filter(([, v]) => v));
  const list = useCursorList(["leads", "list", query], (cursor) =>
    data(api.GET("/api/v1/admin/leads", { params: { query: { ...query, limit: "50", cursor, include_total: "true" } } })));
  const consultants = useConsultants(admin);
  const guides = useQuery({
    queryKey: ["guides", "published-titles"],
    queryFn: () => everyPage((cursor) => data(api.GET("/api/v1/guides", { params: { query: { limit: "100", cursor } as never } }))),
  });
  const suffix = params.toString() ? `?${params}` : "";
  const exportQuery = new URLSearchParams(query).toString();

  return (
    <section className="leads">
      <header className="page-head">
        <h1>Leads</h1>
        <button type="button" onClick={() => download(`/api/v1/admin/leads/export.csv?${exportQuery}`, "leads.csv")}>Export CSV</button>
      </header>
      <form className="filters" role="search" aria-label="Filter leads" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" value={q} onChange={(e) => setQ(e.target.value)} /></label>
        <label>Status
          <select value={f.status} onChange={(e) => setFilter("status", e.target.value)}>
            <option value="">All</option>
            {Object.keys(next).map((s) => <option key={s} value={s}>{label("status", s)}</option>)}
          </select>
        </label>
        {admin && (
          <label>Owner
            <select value={f.owner} onChange={(e) => setFilter("owner", e.target.value)}>
              <option value="">Anyone</option>
              {consultants.data?.map((c) => <option key={c.id} value={c.id}>{c.name || c.email}</option>)}
            </select>
          </label>
        )}
        <label>Guide
          <select value={f.guide} onChange={(e) => setFilter("guide", e.target.value)}>
            <option value="">Any</option>
            {guides.data?.map((g) => <option key={g.slug} value={g.slug}>{g.title}</option>)}
          </select>
        </label>
        <label>From <input type="date" value={f.from} onChange={(e) => setFilter("from", e.target.value)} /></label>
        <label>To <input type="date" value={f.to} onChange={(e) => setFilter("to", e.target.value)} /></label>
      </form>
      {!admin && list.items.length === 0 && !list.loading && !params.toString() && (
        <p className="notice warn" role="status">
          No leads yet. Leads reach you when a prospect's guide matches your expertise: ask an admin to set your
          technologies and categories and to mark you as taking leads (Users → Expertise).
        </p>
      )}
      <div className="split leads-split">
        <div>
          <ul className="lead-list" aria-label="Leads">
            {list.items.map((l) => (
              <li key={l.id} className={l.id === id ? "selected" : ""}>
                <Link to={`/leads/${l.id}${suffix}`} aria-current={l.id === id ? "page" : undefined}>
                  <strong>{l.reference}</strong> <span>{l.name}</span>
                </Link>
                <span className="muted">{l.guide?.title ?? "No guide"} · {label("status", l.status)} · <When at={l.created_at} /></span>
              </li>
            ))}
          </ul>
          <ListFooter list={list} noun="leads" />
        </div>
        {id && <LeadDetail key={id} id={id} admin={admin} me={user.id} names={new Map((consultants.data ?? []).map((c) => [c.id, c.name || c.email]))} onChange={() => list.refetch()} />}
      </div>
    </section>
  );
}

function LeadDetail({ id, admin, me, names, onChange }: { id: string; admin: boolean; me: string; names: Map<string, string>; onChange: () => void }) {
  const lead = useQuery({ queryKey: ["leads", id], queryFn: () => data(api.GET("/api/v1/admin/leads/{id}", { params: { path: { id } } })) });
  const slug = lead.data?.guide?.slug;
  // The published guide gives the checklist's order; answers follow it.
  const guide = useQuery({
    queryKey: ["public-guide", slug], enabled: !!slug, retry: false,
    queryFn: () => data(api.GET("/api/v1/guides/{slug}", { params: { path: { slug: slug! } } })),
  });
  const [note, setNote] = useState("");
  const [asking, setAsking] = useState<LeadStatus | null>(null);
  const notice = useNotice();
  const ref = useRef<HTMLElement>(null);
  // On a phone the detail sits below the list: bring the opened lead into view.
  useEffect(() => {
    if (lead.data) ref.current?.scrollIntoView({ block: "start" });
  }, [lead.data?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  if (!lead.data) return <p role="status">Loading…</p>;
  const l: Lead = lead.data;
  const status = l.status as LeadStatus;

  async function run(f: () => Promise<unknown>, done: string) {
    try {
      await f();
      notice.ok(done);
      await lead.refetch();
      onChange();
    } catch (e) {
      notice.fail(e);
    }
  }
  const move = (s: LeadStatus) => run(() => api.POST("/api/v1/admin/leads/{id}/status", { params: { path: { id } }, body: { status: s } }), `Marked ${s}.`).then(() => setAsking(null));
  const order = new Map((guide.data?.checklist.questions ?? []).map((q, i) => [q.id, i]));
  const answers = [...l.answers].sort((a, b) => (order.get(a.question_id) ?? 1e9) - (order.get(b.question_id) ?? 1e9));
  const author = (n: { author_id: string | null; author_name: string }) =>
    !n.author_id ? "Verdict" : n.author_id === me ? "You" : n.author_name || names.get(n.author_id) || "A former colleague";

  return (
    <aside className="detail" aria-label="Lead" ref={ref} tabIndex={-1}>
      <h2>{l.reference}: {l.name}</h2>
      <p>Status: <strong data-testid="lead-status">{status}</strong> ({label("status", status)})</p>
      <div className="actions">
        {next[status].map((s) => (
          <button key={s} type="button" onClick={() => (final(status, s) ? setAsking(s) : move(s))}>Mark {s}</button>
        ))}
      </div>
      {asking && (
        <div className="notice warn confirm" role="alertdialog" aria-label={`Confirm ${asking}`}>
          <p>Mark this lead {asking}? It can't be moved back to {status} afterwards.</p>
          <button type="button" className="primary" onClick={() => move(asking)}>Yes, mark {asking}</button>{" "}
          <button type="button" onClick={() => setAsking(null)}>Cancel</button>
        </div>
      )}
      <Notice note={notice.note} />
      <dl className="facts">
        <dt>Email</dt><dd><a href={`mailto:${l.email}`}>{l.email}</a></dd>
        <dt>Company</dt><dd>{l.company || "—"} {l.role && `(${l.role})`}</dd>
        <dt>Guide</dt><dd>{l.guide?.title ?? "—"}</dd>
        <dt>Received</dt><dd><When at={l.created_at} /></dd>
        <dt>Request volume</dt><dd>{label("request_volume", l.request_volume)}</dd>
        <dt>Team language</dt><dd>{label("team_language", l.team_language)}</dd>
        <dt>Timeline</dt><dd>{label("timeline", l.timeline)}</dd>
        <dt>Budget</dt><dd>{label("budget", l.budget)}</dd>
        <dt>Preferred</dt><dd>{l.preferred_technologies.join(", ") || "—"}</dd>
        {admin && <><dt>Owner</dt><dd>{l.owner_id ? names.get(l.owner_id) ?? l.owner_id : "Unassigned"}</dd></>}
      </dl>
      {l.recommendation && (
        <section aria-label="Checklist verdict">
          <h3>Checklist verdict</h3>
          <p data-testid="leaning">{l.recommendation.leaning}</p>
          <Bars rows={l.recommendation.options.map((o) => ({ label: o.name, value: Math.round(o.share * 100), text: `${Math.round(o.share * 100)}% (score ${o.score})` }))} max={100} />
        </section>
      )}
      <h3>Project</h3>
      <p className="pre">{l.project_description}</p>
      {answers.length > 0 && !(slug && guide.isPending) && (
        <>
          <h3>Checklist answers</h3>
          <dl className="answers" data-testid="answers">{answers.map((a) => <div key={a.question_id}><dt>{a.question}</dt><dd>{a.answer}</dd></div>)}</dl>
        </>
      )}
      {admin && (
        <label className="owner">Owner{" "}
          <select value={l.owner_id ?? ""} onChange={(e) => run(() => api.POST("/api/v1/admin/leads/{id}/assign", { params: { path: { id } }, body: { owner_id: e.target.value } }), "Reassigned.")}>
            <option value="">—</option>
            {[...names].map(([cid, n]) => <option key={cid} value={cid}>{n}</option>)}
          </select>
        </label>
      )}
      <h3>Notes</h3>
      <ul className="notes">
        {l.notes?.map((n) => <li key={n.id}><p className="pre">{n.body}</p><small>{author(n)} · <When at={n.created_at} /></small></li>)}
      </ul>
      <form onSubmit={(e) => { e.preventDefault(); run(() => api.POST("/api/v1/admin/leads/{id}/notes", { params: { path: { id } }, body: { body: note } }), "Note added.").then(() => setNote("")); }}>
        <TextArea label="New note" value={note} onChange={setNote} />
        <button type="submit">Add note</button>
      </form>
      {admin && <button type="button" className="danger" onClick={() => confirm("Erase this lead's personal data? This cannot be undone.") && run(() => api.DELETE("/api/v1/admin/leads/{id}", { params: { path: { id } } }), "Erased.")}>Erase personal data</button>}
    </aside>
  );
}
