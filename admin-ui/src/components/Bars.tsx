// A horizontal bar chart in plain HTML: every bar carries its number as
// text, so it reads without the picture and needs no chart library.
export type Bar = { label: string; value: number; text?: string };

export function Bars({ rows, max, title }: { rows: Bar[]; max?: number; title?: string }) {
  const top = max ?? Math.max(1, ...rows.map((r) => r.value));
  return (
    <figure className="bars">
      {title && <figcaption>{title}</figcaption>}
      {rows.length === 0 && <p className="muted">No data yet.</p>}
      <dl>
        {rows.map((r) => (
          <div key={r.label} className="bar-row">
            <dt>{r.label}</dt>
            <dd>
              <span className="track" aria-hidden="true">
                <span className="bar" style={{ width: `${(100 * Math.max(r.value, 0)) / top}%` }} />
              </span>
              <span className="bar-value">{r.text ?? r.value}</span>
            </dd>
          </div>
        ))}
      </dl>
    </figure>
  );
}
