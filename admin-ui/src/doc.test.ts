import { describe, expect, test } from "vitest";
import { addOption, addRow, lines, move, moveOption, normalize, removeOption, slugify } from "./doc";
import { emptyDocument, recommendationText } from "./doc";

describe("list edits", () => {
  test("move reorders and ignores moves past the ends", () => {
    expect(move(["a", "b", "c"], 0, 2)).toEqual(["b", "c", "a"]);
    expect(move(["a", "b", "c"], 2, 1)).toEqual(["a", "c", "b"]);
    expect(move(["a", "b"], 0, -1)).toEqual(["a", "b"]);
  });

  test("table columns follow the options", () => {
    let d = addRow({ ...emptyDocument(), options: [{ technology: "nodejs", choose_if: [] }, { technology: "django", choose_if: [] }] });
    d = { ...d, comparison: [{ feature: "Language", values: ["JS", "Python"] }] };
    d = addOption(d);
    expect(d.comparison[0].values).toEqual(["JS", "Python", ""]);
    d = moveOption(d, 0, 1);
    expect(d.options.map((o) => o.technology)).toEqual(["django", "nodejs", ""]);
    expect(d.comparison[0].values).toEqual(["Python", "JS", ""]);
    d = removeOption(d, 2);
    expect(d.comparison[0].values).toEqual(["Python", "JS"]);
  });
});

test("slugify", () => {
  expect(slugify("Node.js vs Django")).toBe("nodejs-vs-django");
  expect(slugify("  Crème Brûlée -- vs   Flan! ")).toBe("creme-brulee-vs-flan");
});

test("normalize drops blank list lines", () => {
  const d = normalize({ ...emptyDocument(), options: [{ technology: "x", choose_if: ["a", "", " b ", ""] }] });
  expect(d.options[0].choose_if).toEqual(["a", "b"]);
  expect(lines("one\n\n two\n")).toEqual(["one", "two"]);
});

test("a new guide leaves the intro and CTA to the server's defaults", () => {
  expect(emptyDocument().checklist_intro).toBe("");
  expect(emptyDocument().cta).toBeNull();
});

test("recommendations read with the server's verb", () => {
  expect(recommendationText("Pick", "Node.js", "for real-time apps")).toBe("Pick Node.js for real-time apps");
  expect(recommendationText("Wähle", "Django", "")).toBe("Wähle Django");
});
