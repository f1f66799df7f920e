// A small SVG trend line. The picture is decoration for sighted readers;
// the label carries the numbers, so a screen reader hears the same trend.
export type Point = { date: string; value: number };

export function Sparkline({ points, label, width = 160, height = 36 }: { points: Point[]; label: string; width?: number; height?: number }) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const step = points.length > 1 ? (width - 4) / (points.length - 1) : 0;
  const xy = points.map((p, i) => `${(2 + i * step).toFixed(1)},${(height - 2 - ((height - 4) * p.value) / max).toFixed(1)}`);
  const total = points.reduce((n, p) => n + p.value, 0);
  const spoken = points.length === 0 ? `${label}: no data` : `${label}: ${total} in total; ` + points.map((p) => `${p.date} ${p.value}`).join(", ");
  return (
    <svg className="sparkline" role="img" aria-label={spoken} width={width} height={height} viewBox={`0 0 ${width} ${height}`}>
      <title>{spoken}</title>
      {points.length > 1 && <polyline points={xy.join(" ")} fill="none" stroke="currentColor" strokeWidth="2" strokeLinejoin="round" />}
      {points.length === 1 && <circle cx={width / 2} cy={xy[0].split(",")[1]} r="3" fill="currentColor" />}
    </svg>
  );
}
