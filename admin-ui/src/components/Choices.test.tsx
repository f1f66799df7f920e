import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { Bars } from "./Bars";
import { ChoicesEditor, withKind } from "./Choices";
import { emptyDocument } from "../doc";

test("switching a question's kind seeds its choices", () => {
  expect(withKind({ text: "Q", help: "" }, "yes_no").choices).toEqual([{ id: "yes", label: "Yes" }, { id: "no", label: "No" }]);
  expect(withKind({ text: "Q", help: "" }, "single").choices).toHaveLength(2);
  const kept = withKind({ text: "Q", help: "", kind: "single", choices: [{ label: "A" }, { label: "B" }, { label: "C" }] }, "multiple");
  expect(kept.choices?.map((c) => c.label)).toEqual(["A", "B", "C"]);
  expect(withKind(kept, "").choices).toBeUndefined();
});

test("bars carry their numbers as text and scale to the largest", () => {
  const html = renderToStaticMarkup(<Bars title="Funnel" rows={[{ label: "new", value: 4 }, { label: "won", value: 1, text: "1 lead" }]} />);
  expect(html).toContain("Funnel");
  expect(html).toContain("width:100%");
  expect(html).toContain("width:25%");
  expect(html).toContain("1 lead");
});

test("a choice argues for a recommendation worded with the server's verb", () => {
  const doc = { ...emptyDocument(), options: [{ technology: "node", choose_if: [] }],
    recommendations: [{ id: "rt", technology: "node", scenario: "for real-time apps" }, { technology: "node", scenario: "unsaved" }] };
  const q = { text: "Q", help: "", kind: "single" as const, choices: [{ label: "A" }] };
  const html = renderToStaticMarkup(<ChoicesEditor q={q} qi={0} doc={doc} name={(s) => s.toUpperCase()} verb="Choose" errors={{}} onChange={() => {}} />);
  expect(html).toContain(`<option value="rt">Choose NODE for real-time apps</option>`);
  expect(html).not.toContain("unsaved"); // only saved recommendations (with an ID) can be cited
  expect(html).not.toContain("Pick");
});
