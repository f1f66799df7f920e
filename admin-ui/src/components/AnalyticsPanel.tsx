// The dashboard's analytics: leads per week, how prospects answer, which
// option the checklist recommends, and the sales funnel, for one guide.
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { api, data as ok } from "../api";
import { Bars } from "./Bars";

export function AnalyticsPanel() {
  const { data: stats } = useQuery({ queryKey: ["analytics"], queryFn: () => ok(api.GET("/api/v1/admin/analytics")) });
  const slugs = [...new Set((stats?.funnel ?? []).map((f) => f.guide).filter(Boolean))];
  const [picked, setPicked] = useState("");
  const guide = picked || slugs[0] || "";
  if (!stats) return null;
  const data = stats;
  const of = <T extends { guide: string }>(rows: T[]) => rows.filter((r) => r.guide === guide);
  const title = (slug: string) => slug;
  const questions = [...new Set(of(data.answers).map((a) => a.question_id))];
  return (
    <section className="analytics" aria-label="Analytics">
      <h2>Analytics</h2>
      {slugs.length === 0 ? <p>No leads with a guide yet.</p> : (
        <>
          <label>Guide{" "}
            <select value={guide} onChange={(e) => setPicked(e.target.value)}>
              {slugs.map((s) => <option key={s} value={s}>{title(s)}</option>)}
            </select>
          </label>
          <div className="cards">
            <div className="card"><Bars title="Leads per week" rows={of(data.leads_per_week).map((w) => ({ label: w.week, value: w.count }))} /></div>
            <div className="card"><Bars title="Recommended by the checklist" rows={of(data.recommended).map((r) => ({ label: r.option, value: r.count }))} /></div>
            <div className="card"><Bars title="Funnel" rows={of(data.funnel).map((f) => ({ label: f.status, value: f.count }))} /></div>
          </div>
          <div className="cards">
            {questions.map((q) => (
              <div className="card" key={q}>
                <Bars title={`Answers: ${q}`} rows={of(data.answers).filter((a) => a.question_id === q).map((a) => ({ label: a.choice_id, value: a.count }))} />
              </div>
            ))}
          </div>
        </>
      )}
    </section>
  );
}
