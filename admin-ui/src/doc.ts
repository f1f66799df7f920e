// Pure edits of a guide document, kept apart from React so they are easy to test.
// The document's types are the SDK's (generated from the server's OpenAPI).
import type { Schemas } from "./api";

export type GuideDocument = Schemas["GuideDocument"];
export type Question = Schemas["QuestionDoc"];
export type Choice = Schemas["ChoiceDoc"];
export type QuestionKind = "" | "single" | "multiple" | "yes_no" | "scale";
export type AdminGuide = Schemas["GuideAdmin"];
export type GuideListItem = Schemas["GuideListItem"];
export type Revision = Schemas["Revision"];

// An empty checklist_intro or cta means the server's default (usePresentation),
// so a new guide follows the site's wording rather than a copy of it.
export const emptyDocument = (): GuideDocument => ({
  title: "", slug: "", category: "", summary: "", seo_title: "", seo_description: "",
  options: [{ technology: "", choose_if: [] }, { technology: "", choose_if: [] }],
  comparison: [], checklist_intro: "", checklist: [],
  tradeoffs: [], recommendations: [], faq: [], related: [], cta: null,
});

export function move<T>(items: T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length) return items;
  const out = items.slice();
  const [it] = out.splice(from, 1);
  out.splice(to, 0, it);
  return out;
}

export function removeAt<T>(items: T[], i: number): T[] {
  return items.filter((_, j) => j !== i);
}

export function replaceAt<T>(items: T[], i: number, value: T): T[] {
  return items.map((x, j) => (j === i ? value : x));
}

/** Adds an option and a matching empty cell to every comparison row. */
export function addOption(d: GuideDocument): GuideDocument {
  return {
    ...d,
    options: [...d.options, { technology: "", choose_if: [] }],
    comparison: d.comparison.map((r) => ({ ...r, values: [...r.values, ""] })),
  };
}

/** Removes option i with its column of the table. */
export function removeOption(d: GuideDocument, i: number): GuideDocument {
  return { ...d, options: removeAt(d.options, i), comparison: d.comparison.map((r) => ({ ...r, values: removeAt(r.values, i) })) };
}

/** Moves option i, and its table column with it. */
export function moveOption(d: GuideDocument, from: number, to: number): GuideDocument {
  if (to < 0 || to >= d.options.length) return d;
  return { ...d, options: move(d.options, from, to), comparison: d.comparison.map((r) => ({ ...r, values: move(r.values, from, to) })) };
}

export function addRow(d: GuideDocument): GuideDocument {
  return { ...d, comparison: [...d.comparison, { feature: "", values: d.options.map(() => "") }] };
}

/** A kebab-case slug from a title: "Node.js vs Django" → "nodejs-vs-django". */
export function slugify(title: string): string {
  return title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9\s-]/g, "")
    .trim()
    .replace(/[\s-]+/g, "-")
    .slice(0, 100);
}

/** A recommendation as the public pages read it: verb is the server's (usePresentation). */
export function recommendationText(verb: string, option: string, scenario: string): string {
  return [verb, option, scenario].filter((w) => w !== "").join(" ");
}

/** Lines of a textarea as list items, blank lines dropped. */
export function lines(text: string): string[] {
  return text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
}

const draftKey = (id: string) => `verdict.draft.${id}`;

/** Keeps unsaved edits across a lost session; cleared on save. */
export const drafts = {
  save(id: string, d: GuideDocument, version: number) {
    localStorage.setItem(draftKey(id), JSON.stringify({ d, version, at: Date.now() }));
  },
  load(id: string): { d: GuideDocument; version: number; at: number } | null {
    const raw = localStorage.getItem(draftKey(id));
    return raw ? JSON.parse(raw) : null;
  },
  clear(id: string) {
    localStorage.removeItem(draftKey(id));
  },
};

/** What is sent to the API: list items typed one per line lose blank lines. */
export function normalize(d: GuideDocument): GuideDocument {
  return { ...d, options: d.options.map((o) => ({ ...o, choose_if: lines(o.choose_if.join("\n")) })) };
}
