// A guide's funnel drawn in SVG: one bar per step, as wide as its count
// relative to views, with the count and the step's conversion written next
// to it. The same figures are in a visually hidden list for screen readers.
export type Step = { label: string; value: number | null | undefined };

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((1000 * part) / whole) / 10}%` : "–");

export function FunnelChart({ steps, title }: { steps: Step[]; title: string }) {
  const shown = steps.filter((s): s is { label: string; value: number } => typeof s.value === "number");
  const top = Math.max(1, ...shown.map((s) => s.value));
  const row = 30, labelW = 130, barW = 260, width = labelW + barW + 120;
  return (
    <figure className="funnel-chart">
      <figcaption>{title}</figcaption>
      <svg aria-hidden="true" width="100%" viewBox={`0 0 ${width} ${shown.length * row}`} style={{ maxWidth: width }}>
        {shown.map((s, i) => {
          const w = Math.max(2, (barW * s.value) / top);
          const prev = i > 0 ? shown[i - 1].value : null;
          return (
            <g key={s.label} transform={`translate(0 ${i * row})`}>
              <text x={labelW - 8} y={row / 2 + 5} textAnchor="end" fontSize="13">{s.label}</text>
              <rect x={labelW + (barW - w) / 2} y={4} width={w} height={row - 8} rx="3" fill="#3b5bdb" opacity={1 - i * 0.12} />
              <text x={labelW + barW + 8} y={row / 2 + 5} fontSize="13">
                {s.value}{prev !== null ? ` (${pct(s.value, prev)})` : ""}
              </text>
            </g>
          );
        })}
      </svg>
      <ol className="sr-only">
        {shown.map((s, i) => (
          <li key={s.label}>
            {s.label}: {s.value}{i > 0 ? `, ${pct(s.value, shown[i - 1].value)} of the step before` : ""}
          </li>
        ))}
      </ol>
    </figure>
  );
}
