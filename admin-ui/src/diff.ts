// Side-by-side diffs of two JSON documents (guide revisions). Each
// top-level field becomes a section of text lines, and the lines of a
// section are aligned by their longest common subsequence, so an inserted
// list item shows as one added row instead of every later row "changed".

export type DiffKind = "same" | "changed" | "added" | "removed";

/** One row of the side-by-side view; a missing side is null. */
export type DiffRow = { kind: DiffKind; left: string | null; right: string | null };

export type DiffSection = { field: string; rows: DiffRow[]; changed: boolean };

/** Lines renders any JSON value as indented, human-readable lines. */
export function lines(value: unknown, indent = ""): string[] {
  if (value === null || value === undefined || value === "") return [];
  if (Array.isArray(value)) {
    const out: string[] = [];
    for (const item of value) {
      const inner = lines(item, indent + "  ");
      if (inner.length === 0) out.push(indent + "•");
      else out.push(indent + "• " + inner[0].slice(indent.length + 2), ...inner.slice(1));
    }
    return out;
  }
  if (typeof value === "object") {
    const out: string[] = [];
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0)) continue;
      if (typeof v === "object") out.push(`${indent}${k}:`, ...lines(v, indent + "  "));
      else {
        const [first, ...rest] = String(v).split("\n");
        out.push(`${indent}${k}: ${first}`, ...rest.map((r) => indent + "  " + r));
      }
    }
    return out;
  }
  return String(value).split("\n").map((l) => indent + l);
}

/** alignLines pairs two line lists by LCS; a removal next to an addition is a change. */
export function alignLines(a: string[], b: string[]): DiffRow[] {
  const n = a.length, m = b.length;
  // lcs[i][j] = length of the LCS of a[i:] and b[j:].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  const rows: DiffRow[] = [];
  let i = 0, j = 0;
  const dels: string[] = [], adds: string[] = [];
  const flush = () => {
    const k = Math.max(dels.length, adds.length);
    for (let x = 0; x < k; x++) {
      const l = dels[x] ?? null, r = adds[x] ?? null;
      rows.push({ kind: l !== null && r !== null ? "changed" : l !== null ? "removed" : "added", left: l, right: r });
    }
    dels.length = 0;
    adds.length = 0;
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      flush();
      rows.push({ kind: "same", left: a[i], right: b[j] });
      i++, j++;
    } else if (j < m && (i === n || lcs[i][j + 1] >= lcs[i + 1][j])) adds.push(b[j++]);
    else dels.push(a[i++]);
  }
  flush();
  return rows;
}

/** diffDocuments compares two documents field by field, in the order the fields first appear. */
export function diffDocuments(left: Record<string, unknown> | null | undefined, right: Record<string, unknown> | null | undefined): DiffSection[] {
  const l = left ?? {}, r = right ?? {};
  const fields = [...new Set([...Object.keys(l), ...Object.keys(r)])];
  return fields.map((field) => {
    const rows = alignLines(lines(l[field]), lines(r[field]));
    return { field, rows, changed: rows.some((x) => x.kind !== "same") };
  });
}
