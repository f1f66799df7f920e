import { useState } from "react";
import { Link, useParams } from "react-router";
import { ApiError, type List } from "../api";
import { useAuth, useLoad } from "../auth";
import { Bars } from "../components/Bars";
import { TextArea } from "../components/Field";
import type { Lead, LeadStatus, User } from "../types";

const next: Record<LeadStatus, LeadStatus[]> = {
  new: ["contacted", "qualified", "lost", "spam"],
  contacted: ["qualified", "won", "lost", "spam"],
  qualified: ["won", "lost", "spam"],
  spam: ["new"],
  won: [],
  lost: [],
};

export function Leads() {
  const { id } = useParams();
  const { api, user } = useAuth();
  const [status, setStatus] = useState("");
  const [q, setQ] = useState("");
  const params = new URLSearchParams({ limit: "100" });
  if (status) params.set("status", status);
  if (q) params.set("q", q);
  const [leads, , reload] = useLoad((a) => a.get<List<Lead>>(`/admin/leads?${params}`), [params.toString()]);
  return (
    <section>
      <header className="page-head">
        <h1>Leads</h1>
        <button type="button" onClick={() => api.download(`/admin/leads/export.csv?${params}`, "leads.csv")}>Export CSV</button>
      </header>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search <input type="search" value={q} onChange={(e) => setQ(e.target.value)} /></label>
        <label>Status
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">All</option>
            {Object.keys(next).map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
      </form>
      <div className="split">
        <table>
          <thead><tr><th>Reference</th><th>Name</th><th>Guide</th><th>Status</th><th>Received</th></tr></thead>
          <tbody>
            {leads?.data.map((l) => (
              <tr key={l.id} className={l.id === id ? "selected" : ""}>
                <td><Link to={`/leads/${l.id}`}>{l.reference}</Link></td>
                <td>{l.name}</td>
                <td>{l.guide?.title ?? ""}</td>
                <td>{l.status}</td>
                <td>{new Date(l.created_at).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {id && <LeadDetail id={id} admin={user!.role === "admin"} onChange={reload} />}
      </div>
    </section>
  );
}

function LeadDetail({ id, admin, onChange }: { id: string; admin: boolean; onChange: () => void }) {
  const { api } = useAuth();
  const [lead, , reload] = useLoad((a) => a.get<Lead>(`/admin/leads/${id}`), [id]);
  const [consultants] = useLoad((a) => (admin ? a.get<List<User>>("/admin/users?role=consultant&limit=100") : Promise.resolve(undefined)), [admin]);
  const [note, setNote] = useState("");
  const [message, setMessage] = useState("");
  if (!lead) return <p>Loading…</p>;

  async function run(f: () => Promise<unknown>, done: string) {
    try {
      await f();
      setMessage(done);
      reload();
      onChange();
    } catch (e) {
      setMessage(e instanceof ApiError ? e.message : "Failed.");
    }
  }

  return (
    <aside className="detail" aria-label="Lead">
      <h2>{lead.reference}: {lead.name}</h2>
      <p>Status: <strong data-testid="lead-status">{lead.status}</strong></p>
      <div className="actions">
        {next[lead.status].map((s) => (
          <button key={s} type="button" onClick={() => run(() => api.post(`/admin/leads/${id}/status`, { status: s }), `Marked ${s}.`)}>Mark {s}</button>
        ))}
      </div>
      {message && <p role="status">{message}</p>}
      <dl className="facts">
        <dt>Email</dt><dd><a href={`mailto:${lead.email}`}>{lead.email}</a></dd>
        <dt>Company</dt><dd>{lead.company} {lead.role && `(${lead.role})`}</dd>
        <dt>Guide</dt><dd>{lead.guide?.title ?? "—"}</dd>
        <dt>Request volume</dt><dd>{lead.request_volume || "—"}</dd>
        <dt>Team language</dt><dd>{lead.team_language || "—"}</dd>
        <dt>Timeline</dt><dd>{lead.timeline || "—"}</dd>
        <dt>Budget</dt><dd>{lead.budget || "—"}</dd>
        <dt>Preferred</dt><dd>{lead.preferred_technologies.join(", ") || "—"}</dd>
      </dl>
      {lead.recommendation && (
        <section aria-label="Checklist verdict">
          <h3>Checklist verdict</h3>
          <p data-testid="leaning">{lead.recommendation.leaning}</p>
          <Bars rows={lead.recommendation.options.map((o) => ({ label: o.name, value: Math.round(o.share * 100), text: `${Math.round(o.share * 100)}% (score ${o.score})` }))} max={100} />
        </section>
      )}
      <h3>Project</h3>
      <p className="pre">{lead.project_description}</p>
      {lead.answers.length > 0 && (
        <>
          <h3>Checklist answers</h3>
          <dl>{lead.answers.map((a) => <div key={a.question_id}><dt>{a.question}</dt><dd>{a.answer}</dd></div>)}</dl>
        </>
      )}
      {admin && consultants && (
        <label>Owner{" "}
          <select value={lead.owner_id ?? ""} onChange={(e) => run(() => api.post(`/admin/leads/${id}/assign`, { owner_id: e.target.value }), "Reassigned.")}>
            <option value="">—</option>
            {consultants.data.map((c) => <option key={c.id} value={c.id}>{c.name || c.email}</option>)}
          </select>
        </label>
      )}
      <h3>Notes</h3>
      <ul>{lead.notes?.map((n) => <li key={n.id}>{n.body} <small>{new Date(n.created_at).toLocaleString()}</small></li>)}</ul>
      <form onSubmit={(e) => { e.preventDefault(); run(() => api.post(`/admin/leads/${id}/notes`, { body: note }), "Note added.").then(() => setNote("")); }}>
        <TextArea label="New note" value={note} onChange={setNote} />
        <button type="submit">Add note</button>
      </form>
      {admin && <button type="button" className="danger" onClick={() => confirm("Erase this lead's personal data?") && run(() => api.del(`/admin/leads/${id}`), "Erased.")}>Erase personal data</button>}
    </aside>
  );
}
