// A timezone with summer time, so day arithmetic is tested where it can go wrong.
process.env.TZ = "Europe/Paris";

import { expect, test } from "vitest";
import { range } from "./Dashboard";
import { itemLabel } from "./Transfer";

test.each([
  { field: "guides[1].document.category", want: "guide 2 “imported-bad”" },
  { field: "categories[0].slug", want: "category 1 “data”" },
  { field: "technologies[0].name", want: "technology 1" }, // no slug in the file
  { field: "guides[9].document.title", want: "guide 10" }, // beyond the file
  { field: "version", want: null },
])("itemLabel($field) names the item the import error points into", ({ field, want }) => {
  const file = {
    categories: [{ slug: "data" }], technologies: [{ name: "X" }],
    guides: [{ document: { slug: "ok" } }, { document: { slug: "imported-bad" } }],
  };
  expect(itemLabel(file, field)).toBe(want);
});

test("range makes inclusive local dates the API's [from, to) instants", () => {
  const r = range("2026-11-01", "2026-11-30");
  expect(new Date(r.from!).getTime()).toBe(new Date("2026-11-01T00:00:00").getTime());
  expect(new Date(r.to!).getTime()).toBe(new Date("2026-12-01T00:00:00").getTime()); // the whole last day
  // Across the end of summer time (Europe, late October) the day is still a calendar day.
  expect(new Date(range("", "2026-10-25").to!).getTime()).toBe(new Date("2026-10-26T00:00:00").getTime());
  expect(range("", "")).toEqual({ from: undefined, to: undefined });
});
