// Export and import: download the content as one file; upload a file,
// see a dry-run report that names every bad item by its path, then apply.
import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { ApiError } from "../api";
import { useAuth } from "../auth";
import type { Schemas } from "../sdk";
import { Done, ErrorNote, ok, useSdk } from "./kit";

type ContentFile = Schemas["ContentFile"];
type Report = Schemas["ImportReport"];

/** itemLabel names the item a field path points into, e.g. guides[1] → its slug. */
export function itemLabel(file: unknown, field: string): string | null {
  const m = /^(categories|technologies|guides)\[(\d+)\]/.exec(field);
  if (!m || !file || typeof file !== "object") return null;
  const item = (file as Record<string, unknown[]>)[m[1]]?.[Number(m[2])] as Record<string, unknown> | undefined;
  const slug = (item?.document as Record<string, unknown> | undefined)?.slug ?? item?.slug;
  const kind = { categories: "category", technologies: "technology", guides: "guide" }[m[1]];
  return `${kind} ${Number(m[2]) + 1}${typeof slug === "string" && slug ? ` “${slug}”` : ""}`;
}

export function Transfer() {
  const { user } = useAuth();
  return (
    <section>
      <h1>Export &amp; import</h1>
      <Export />
      {user?.role === "admin" && <Import />}
    </section>
  );
}

function Export() {
  const sdk = useSdk();
  const [status, setStatus] = useState("all");
  const id = useId();
  const download = useMutation({
    mutationFn: async () => {
      const blob = await ok(sdk.GET("/api/v1/admin/export", { params: { query: { status } }, parseAs: "blob" }));
      const url = URL.createObjectURL(blob as Blob);
      const a = document.createElement("a");
      a.href = url;
      a.download = `verdict-content-${new Date().toISOString().slice(0, 10)}.json`;
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    },
  });
  return (
    <div className="panel">
      <h2>Export</h2>
      <p>Categories, technologies and guides (their drafts and whether they are published) in one JSON file, for another Verdict or a backup.</p>
      <div className="form-row">
        <div className="field">
          <label htmlFor={id}>Guides to include</label>
          <select id={id} value={status} onChange={(e) => setStatus(e.target.value)}>
            {["all", "published", "draft", "scheduled", "archived"].map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </div>
        <button type="button" className="primary" onClick={() => download.mutate()} disabled={download.isPending}>Download export</button>
      </div>
      <ErrorNote error={download.error} />
      <Done>{download.isSuccess && "Export downloaded."}</Done>
    </div>
  );
}

function Import() {
  const sdk = useSdk();
  const id = useId();
  const [file, setFile] = useState<{ name: string; content: ContentFile } | null>(null);
  const [readError, setReadError] = useState("");
  const run = useMutation({
    mutationFn: (dry: boolean) => ok(sdk.POST("/api/v1/admin/import", { params: { query: { dry_run: String(dry) } }, body: file!.content })),
  });
  const pick = async (f: File | undefined) => {
    run.reset();
    setFile(null);
    setReadError("");
    if (!f) return;
    try {
      setFile({ name: f.name, content: JSON.parse(await f.text()) });
    } catch (e) {
      setReadError(`${f.name} is not a JSON file: ${(e as Error).message}`);
    }
  };
  const report = run.data;
  const checked = report?.dry_run === true;
  const problem = run.error instanceof ApiError ? run.error.problem : null;
  return (
    <div className="panel">
      <h2>Import</h2>
      <p>Everything is matched by slug: missing items are created, changed ones updated. All or nothing: a bad item changes nothing.</p>
      <div className="field">
        <label htmlFor={id}>Content file (.json)</label>
        <input id={id} type="file" accept="application/json,.json" onChange={(e) => pick(e.target.files?.[0])} />
      </div>
      {readError && <div className="error" role="alert">{readError}</div>}
      <p className="actions">
        <button type="button" disabled={!file || run.isPending} onClick={() => run.mutate(true)}>Check (dry run)</button>
        <button type="button" className="primary" disabled={!checked || run.isPending} onClick={() => run.mutate(false)}>Apply import</button>
      </p>
      {problem && (
        <div className="error" role="alert" aria-label="Import problems">
          <strong>{file?.name} can't be imported: {problem.detail || problem.title}</strong>
          {(problem.errors?.length ?? 0) > 0 && (
            <ul className="report">
              {problem.errors!.map((e, i) => (
                <li key={i} data-testid="import-error">
                  {itemLabel(file?.content, e.field) && <strong>{itemLabel(file?.content, e.field)}: </strong>}
                  <code>{e.field}</code> {e.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {run.error && !problem && <ErrorNote error={run.error} />}
      {report && <ImportReport report={report} />}
    </div>
  );
}

function ImportReport({ report }: { report: Report }) {
  return (
    <div role="status" aria-label="Import report" className={report.dry_run ? "once" : "message"}>
      <p><strong>{report.dry_run ? "Dry run: nothing was changed. This import would:" : "Imported."}</strong></p>
      <ul className="report">
        <li>create {report.created.length}{report.created.length > 0 && `: ${report.created.join(", ")}`}</li>
        <li>update {report.updated.length}{report.updated.length > 0 && `: ${report.updated.join(", ")}`}</li>
        <li>leave {report.unchanged} unchanged</li>
      </ul>
    </div>
  );
}
