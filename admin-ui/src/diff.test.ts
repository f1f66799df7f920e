import { expect, test } from "vitest";
import { alignLines, diffDocuments, lines } from "./diff";

test("lines render nested values readably and skip empty ones", () => {
  expect(lines({ technology: "nodejs", choose_if: ["JS", "Sockets"], note: "" })).toEqual([
    "technology: nodejs", "choose_if:", "  • JS", "  • Sockets",
  ]);
  expect(lines("a\nb")).toEqual(["a", "b"]);
  expect(lines([{ q: "Team?", w: 3 }])).toEqual(["• q: Team?", "  w: 3"]);
  expect(lines(null)).toEqual([]);
});

test.each([
  { name: "equal", a: ["x", "y"], b: ["x", "y"], kinds: ["same", "same"] },
  { name: "insert in the middle is one added row", a: ["a", "c"], b: ["a", "b", "c"], kinds: ["same", "added", "same"] },
  { name: "delete", a: ["a", "b", "c"], b: ["a", "c"], kinds: ["same", "removed", "same"] },
  { name: "replace pairs as changed", a: ["a", "b", "c"], b: ["a", "B", "c"], kinds: ["same", "changed", "same"] },
  { name: "from nothing", a: [], b: ["a"], kinds: ["added"] },
  { name: "to nothing", a: ["a", "b"], b: [], kinds: ["removed", "removed"] },
  { name: "longer replacement", a: ["x"], b: ["y", "z"], kinds: ["changed", "added"] },
])("alignLines: $name", ({ a, b, kinds }) => {
  const rows = alignLines(a, b);
  expect(rows.map((r) => r.kind)).toEqual(kinds);
  // Every line of each side appears once, in order.
  expect(rows.map((r) => r.left).filter((x) => x !== null)).toEqual(a);
  expect(rows.map((r) => r.right).filter((x) => x !== null)).toEqual(b);
});

test("diffDocuments marks only the fields that changed", () => {
  const s = diffDocuments(
    { title: "Node vs Django", summary: "Old", faq: [{ question: "Q1", answer: "A1" }] },
    { title: "Node vs Django", summary: "New", faq: [{ question: "Q1", answer: "A1" }, { question: "Q2", answer: "A2" }], related: ["x"] },
  );
  expect(s.map((x) => [x.field, x.changed])).toEqual([["title", false], ["summary", true], ["faq", true], ["related", true]]);
  expect(s[1].rows).toEqual([{ kind: "changed", left: "Old", right: "New" }]);
  expect(s[2].rows.filter((r) => r.kind === "added").map((r) => r.right)).toEqual(["• question: Q2", "  answer: A2"]);
});

test("RevisionDiff shows changed fields side by side, with the change named for screen readers", async () => {
  const { renderToStaticMarkup } = await import("react-dom/server");
  const { createElement } = await import("react");
  const { RevisionDiff } = await import("./components/RevisionDiff");
  const html = renderToStaticMarkup(createElement(RevisionDiff, {
    left: { title: "A", summary: "old" }, right: { title: "A", summary: "new" }, leftLabel: "Revision 1", rightLabel: "Revision 2",
  }));
  expect(html).toContain("1 field differs.");
  expect(html).toContain('data-field="summary"');
  expect(html).not.toContain('data-field="title"');
  expect(html).toMatch(/changed from: <\/span>old/);
  expect(html).toMatch(/changed to: <\/span>new/);
});
