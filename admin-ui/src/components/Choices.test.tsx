import { renderToStaticMarkup } from "react-dom/server";
import { expect, test } from "vitest";
import { Bars } from "./Bars";
import { withKind } from "./Choices";

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
