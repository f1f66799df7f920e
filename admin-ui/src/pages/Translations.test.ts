import { expect, test } from "vitest";
import { fallback, fields, get, shaped } from "./Translations";

const source = {
  title: "Node.js vs Django", slug: "node-vs-django", summary: "Two backends.", seo_title: "", seo_description: "", checklist_intro: "",
  options: [{ choose_if: ["You know JavaScript"] }], comparison: [{ feature: "Language", values: ["JavaScript", "Python"] }],
  checklist: [{ id: "team", text: "What does your team know?", choices: [{ id: "js", label: "JavaScript" }, { id: "py", label: "Python" }] }],
  tradeoffs: ["Churn"], recommendations: ["for admin panels"], faq: [{ question: "Faster?", answer: "It depends." }],
};

test("fields name every text with the server's out-of-date key", () => {
  const keys = fields(source).map((f) => f.key);
  expect(keys).toContain("checklist[team].choices[py].label");
  expect(keys).toContain("comparison[0].values");
  expect(keys).toContain("faq[0].answer");
  expect(keys).not.toContain("cta"); // the source has none
});

test("shaped follows the source, matching questions and choices by ID", () => {
  const t = shaped(source, {
    ...source, title: "Node.js oder Django", options: [], faq: [],
    checklist: [{ id: "team", text: "Was kann Ihr Team?", choices: [{ id: "py", label: "Python (de)" }] }],
  });
  expect(t.title).toBe("Node.js oder Django");
  expect(t.checklist[0].text).toBe("Was kann Ihr Team?");
  expect(t.checklist[0].choices!.map((c) => c.label)).toEqual(["", "Python (de)"]);
  expect(get(t, ["options", 0, "choose_if", 0])).toBe(""); // untranslated: falls back on the server
  expect(get(t, ["faq", 0, "answer"])).toBe("");
  const empty = shaped(source, null);
  expect(fields(source).every((f) => get(empty, f.path) === "")).toBe(true);
});

test("an empty source intro shows the server's default, other texts the source's", () => {
  const wording = { checklist_intro: "Fragen Sie sich:", recommendation_verb: "Pick", cta: { heading: "", title: "Talk to us", text: "" } };
  const byKey = (k: string) => fields(source).find((f) => f.key === k)!;
  expect(fallback(source, byKey("checklist_intro"), wording)).toEqual({ text: "Fragen Sie sich:", isDefault: true });
  expect(fallback(source, byKey("checklist_intro"))).toEqual({ text: "", isDefault: false }); // not loaded yet
  expect(fallback({ ...source, checklist_intro: "Ask:" }, byKey("checklist_intro"), wording)).toEqual({ text: "Ask:", isDefault: false });
  expect(fallback(source, byKey("seo_title"), wording)).toEqual({ text: "", isDefault: false }); // no server default
  expect(fallback(source, byKey("title"), wording)).toEqual({ text: "Node.js vs Django", isDefault: false });
});
