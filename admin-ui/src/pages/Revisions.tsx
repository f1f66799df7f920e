// A guide's revisions: the list, any revision in full, and a side-by-side
// diff of any two (chosen in the URL: ?from=3&to=5, so a diff can be linked).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams, useSearchParams } from "react-router";
import { lines } from "../diff";
import { RevisionDiff } from "../components/RevisionDiff";
import { When } from "../components/When";
import { Done, ErrorNote, ok, useSdk, useUserNames } from "./kit";

function useGuide(id: string) {
  const sdk = useSdk();
  return useQuery({ queryKey: ["guides", id], queryFn: () => ok(sdk.GET("/api/v1/admin/guides/{id}", { params: { path: { id } } })) });
}

function useRevision(id: string, n: number | null) {
  const sdk = useSdk();
  return useQuery({
    queryKey: ["guides", id, "revisions", n],
    enabled: n !== null && n > 0,
    staleTime: Infinity, // a revision never changes
    queryFn: () => ok(sdk.GET("/api/v1/admin/guides/{id}/revisions/{number}", { params: { path: { id, number: String(n) } } })),
  });
}

export function Revisions() {
  const { id = "" } = useParams();
  const sdk = useSdk();
  const name = useUserNames();
  const [params, setParams] = useSearchParams();
  const guide = useGuide(id);
  const revs = useQuery({ queryKey: ["guides", id, "revisions"], queryFn: () => ok(sdk.GET("/api/v1/admin/guides/{id}/revisions", { params: { path: { id } } })) });
  const numbers = (revs.data?.data ?? []).map((r) => r.number).sort((a, b) => a - b);
  const latest = numbers[numbers.length - 1] ?? null;
  const from = Number(params.get("from")) || (numbers.length > 1 ? numbers[numbers.length - 2] : latest);
  const to = Number(params.get("to")) || latest;
  const left = useRevision(id, from);
  const right = useRevision(id, to);
  const pick = (k: "from" | "to", n: number) => {
    const next = new URLSearchParams(params);
    next.set("from", String(k === "from" ? n : from));
    next.set("to", String(k === "to" ? n : to));
    setParams(next, { replace: true });
  };
  const title = guide.data?.document?.title ?? "Guide";
  return (
    <section>
      <p><Link to={`/guides/${id}`}>← Back to the editor</Link></p>
      <h1>Revisions of {title}</h1>
      <ErrorNote error={guide.error || revs.error || left.error || right.error} />
      {revs.data && (
        <table>
          <caption>Pick two revisions to compare</caption>
          <thead><tr><th scope="col">Revision</th><th scope="col">What happened</th><th scope="col">By</th><th scope="col">When</th><th scope="col">Compare from</th><th scope="col">Compare to</th></tr></thead>
          <tbody>
            {[...revs.data.data].sort((a, b) => b.number - a.number).map((r) => (
              <tr key={r.number}>
                <td><Link to={`/guides/${id}/revisions/${r.number}`}>Revision {r.number}</Link>{r.number === guide.data?.revision && " (current draft)"}</td>
                <td>{r.action}</td>
                <td>{name(r.author_id)}</td>
                <td><When at={r.created_at} /></td>
                <td><input type="radio" name="from" checked={from === r.number} onChange={() => pick("from", r.number)} aria-label={`Compare from revision ${r.number}`} /></td>
                <td><input type="radio" name="to" checked={to === r.number} onChange={() => pick("to", r.number)} aria-label={`Compare to revision ${r.number}`} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {from && to && left.data && right.data && (
        <section aria-label="Comparison" className="panel">
          <h2>Revision {from} → revision {to}</h2>
          <RevisionDiff left={left.data.document} right={right.data.document} leftLabel={`Revision ${from}`} rightLabel={`Revision ${to}`}
            caption={`Changes from revision ${from} to revision ${to}`} />
        </section>
      )}
    </section>
  );
}

/** RevisionView shows one revision in full, and can restore it as a new draft. */
export function RevisionView() {
  const { id = "", number = "" } = useParams();
  const n = Number(number);
  const sdk = useSdk();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const guide = useGuide(id);
  const rev = useRevision(id, n);
  const restore = useMutation({
    mutationFn: () => ok(sdk.POST("/api/v1/admin/guides/{id}/revisions/{number}/restore", {
      params: { path: { id, number: String(n) } }, headers: { "If-Match": `"${guide.data!.version}"` },
    })),
    onSuccess: (g) => {
      qc.invalidateQueries({ queryKey: ["guides", id] });
      navigate(`/guides/${id}/revisions?from=${n}&to=${g.revision}`);
    },
  });
  const doc = (rev.data?.document ?? {}) as Record<string, unknown>;
  return (
    <section>
      <p><Link to={`/guides/${id}/revisions`}>← All revisions</Link></p>
      <h1>Revision {n}{rev.data?.document?.title ? ` of ${rev.data.document.title}` : ""}</h1>
      <ErrorNote error={guide.error || rev.error || restore.error} />
      {rev.data && (
        <>
          <p>{rev.data.action}, <When at={rev.data.created_at} />.</p>
          <p className="actions">
            {guide.data && n !== guide.data.revision && (
              <>
                <Link className="button" to={`/guides/${id}/revisions?from=${n}&to=${guide.data.revision}`}>Compare with the current draft</Link>
                <button type="button" onClick={() => window.confirm(`Make revision ${n} the draft again? The current draft stays in the history.`) && restore.mutate()}
                  disabled={restore.isPending}>Restore as draft</button>
              </>
            )}
          </p>
          <Done>{restore.isSuccess && "Restored."}</Done>
          <dl className="revision-doc">
            {Object.entries(doc).filter(([, v]) => lines(v).length > 0).map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd className="pre">{lines(v).join("\n")}</dd>
              </div>
            ))}
          </dl>
        </>
      )}
    </section>
  );
}
