import { readFileSync } from "node:fs";
import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import demo from "../../../internal/seed/demo.json";
import type { GuideDocument } from "../doc";
import { Preview, type Lookups } from "./Preview";

// The preview of the seed guide reads like the real published page: its
// text, laid out a line per block, is the page's text line for line.
test("the preview of the seed guide reads like the published page", () => {
  const doc = demo.guides.find((g) => g.slug === "node-vs-django") as unknown as GuideDocument;
  const techs = new Map(demo.technologies.map((t) => [t.slug, t.name]));
  const cats = new Map(demo.categories.map((c) => [c.slug, c.name]));
  const lookups: Lookups = {
    technologyName: (s) => techs.get(s) ?? s,
    categoryName: (s) => cats.get(s) ?? "",
    related: (s) => {
      const g = demo.guides.find((x) => x.slug === s)!;
      return { title: g.title, summary: g.summary, category: cats.get(g.category)! };
    },
    defaultCTA: { heading: "", title: "", text: "" },
  };
  const html = renderToStaticMarkup(<Preview doc={doc} lookups={lookups} />);
  const text = html
    .replace(/<li>/g, "\n- ") // list items as the page shows them
    .replace(/<(?:\/p|\/h[123]|\/th|\/td|\/dt|\/dd|\/span|\/li)>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .replace(/&amp;/g, "&").replace(/&#x27;/g, "'").replace(/&quot;/g, '"')
    .split("\n").map((l) => l.trim()).filter(Boolean);
  const page = readFileSync(new URL("../../../internal/seed/testdata/node-vs-django.txt", import.meta.url), "utf8")
    .split("\n").map((l) => l.trim()).filter(Boolean);
  // The page numbers checklist items ("1What…") and lists choose-if items
  // with "- "; our markup numbers with <ol> and bullets every list.
  const normalise = (l: string) => l.replace(/^\d(?=[A-Z])/, "").replace(/^- /, "");
  expect(text.map(normalise).join("\n")).toBe(page.map(normalise).join("\n").replace("BackendDecision Guide", "Backend\nDecision Guide"));
});
