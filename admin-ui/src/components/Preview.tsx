// Renders a guide the way the published page reads, section by section, so
// editors see what the public will.
import type { GuideDocument } from "../doc";

export type Lookups = {
  technologyName: (slug: string) => string;
  categoryName: (slug: string) => string;
  related: (slug: string) => { title: string; summary: string; category: string } | undefined;
  defaultCTA: { heading: string; title: string; text: string };
};

export function Preview({ doc, lookups }: { doc: GuideDocument; lookups: Lookups }) {
  const name = lookups.technologyName;
  const cta = doc.cta ?? lookups.defaultCTA;
  return (
    <article className="preview" aria-label="Preview" tabIndex={0}>
      <p className="eyebrow">
        <span>{lookups.categoryName(doc.category)}</span>Decision Guide
      </p>
      <h1>{doc.title || "Untitled guide"}</h1>
      <p className="lead">{doc.summary}</p>

      <h2>Quick Verdict</h2>
      <div className="columns">
        {doc.options.map((o, i) => (
          <section key={i}>
            <h3>Choose {name(o.technology)} if...</h3>
            <ul>{o.choose_if.map((c, j) => <li key={j}>{c}</li>)}</ul>
          </section>
        ))}
      </div>

      <h2>Side-by-Side Comparison</h2>
      <table>
        <thead>
          <tr>
            <th>Feature</th>
            {doc.options.map((o, i) => <th key={i}>{name(o.technology)}</th>)}
          </tr>
        </thead>
        <tbody>
          {doc.comparison.map((r, i) => (
            <tr key={i}>
              <td>{r.feature}</td>
              {r.values.map((v, j) => <td key={j}>{v}</td>)}
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Decision Checklist</h2>
      <p>{doc.checklist_intro || "Ask yourself these questions to guide your decision:"}</p>
      <ol>{doc.checklist.map((q, i) => <li key={i}>{q.text}</li>)}</ol>

      <h2>Tradeoffs &amp; Gotchas</h2>
      <ul>{doc.tradeoffs.map((t, i) => <li key={i}>{t.text}</li>)}</ul>

      <h2>Our Recommendation</h2>
      <ul>{doc.recommendations.map((r, i) => <li key={i}>Pick {name(r.technology)} {r.scenario}</li>)}</ul>

      <h2>Frequently Asked Questions</h2>
      <dl>
        {doc.faq.map((f, i) => (
          <div key={i}>
            <dt>{f.question}</dt>
            <dd>{f.answer}</dd>
          </div>
        ))}
      </dl>

      <h2>Related Comparisons</h2>
      <div className="columns">
        {doc.related.map((slug) => {
          const r = lookups.related(slug);
          return r ? (
            <section key={slug} className="card">
              <p className="eyebrow">{r.category}</p>
              <h3>{r.title}</h3>
              <p>{r.summary}</p>
              <span>Read more</span>
            </section>
          ) : null;
        })}
      </div>

      <aside className="cta">
        <p className="eyebrow">{cta.heading}</p>
        <h2>{cta.title}</h2>
        <p>{cta.text}</p>
      </aside>
    </article>
  );
}
