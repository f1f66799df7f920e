// The dashboard's analytics: leads per week, how prospects answer, which
// option the checklist recommends, and the sales funnel, for one guide.
import { useState } from "react";
import type { List } from "../api";
import { useLoad } from "../auth";
import type { AdminGuide, Analytics } from "../types";
import { Bars } from "./Bars";

export function AnalyticsPanel() {
  const [data] = useLoad(async (a): Promise<Analytics | undefined> => (await a.sdk.GET("/api/v1/admin/analytics")).data, []);
  const [guides] = useLoad((a) => a.get<List<AdminGuide>>("/admin/guides?limit=100").catch(() => undefined), []);
  const slugs = [...new Set((data?.funnel ?? []).map((f) => f.guide).filter(Boolean))];
  const [picked, setPicked] = useState("");
  const guide = picked || slugs[0] || "";
  if (!data) return null;
  const of = <T extends { guide: string }>(rows: T[]) => rows.filter((r) => r.guide === guide);
  const title = (slug: string) => guides?.data.find((g) => g.slug === slug)?.title ?? slug;
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
