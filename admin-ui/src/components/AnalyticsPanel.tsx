// The dashboard's analytics for a date range: leads per week, how prospects
// answer, which option the checklist recommends, and the sales funnel, for
// one guide.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ok, useSdk } from "../pages/kit";
import { Bars } from "./Bars";

export function AnalyticsPanel({ from, to }: { from?: string; to?: string }) {
  const sdk = useSdk();
  const q = useQuery({
    queryKey: ["analytics", from, to],
    queryFn: () => ok(sdk.GET("/api/v1/admin/analytics", { params: { query: { from, to } } })),
    placeholderData: (prev) => prev,
  });
  const data = q.data;
  const slugs = [...new Set((data?.funnel ?? []).map((f) => f.guide).filter(Boolean))];
  const [picked, setPicked] = useState("");
  const guide = slugs.includes(picked) ? picked : slugs[0] ?? "";
  if (!data) return null;
  const of = <T extends { guide: string }>(rows: T[]) => rows.filter((r) => r.guide === guide);
  const questions = [...new Set(of(data.answers).map((a) => a.question_id))];
  return (
    <section className="analytics" aria-label="Analytics">
      <h2>Analytics</h2>
      {slugs.length === 0 ? <p>No leads with a guide in this range.</p> : (
        <>
          <label>Guide{" "}
            <select value={guide} onChange={(e) => setPicked(e.target.value)}>
              {slugs.map((s) => <option key={s} value={s}>{s}</option>)}
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
