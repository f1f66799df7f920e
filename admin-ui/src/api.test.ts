import { describe, expect, test } from "vitest";
import { ApiError } from "./api";
import { label } from "./leadLabels";

describe("ApiError", () => {
  const e = new ApiError({
    type: "https://verdict.dev/problems/validation", title: "Invalid request", status: 400, detail: "2 fields are invalid",
    errors: [{ field: "title", code: "required", message: "is required" }, { field: "publish_at", code: "invalid", message: "must be in the future" }],
  });
  test("keeps the detail as its message and every field error", () => {
    expect(e.message).toBe("2 fields are invalid");
    expect(e.fields()).toEqual({ title: "is required", publish_at: "must be in the future" });
    expect(e.lines()).toEqual(["title: is required", "publish_at: must be in the future"]);
  });
  test("falls back to the title without a detail", () => {
    expect(new ApiError({ type: "about:blank", title: "Conflict", status: 409 }).message).toBe("Conflict");
  });
});

describe("lead labels", () => {
  test.each([
    ["request_volume", "100k-1m-per-day", "100k–1M requests a day"],
    ["team_language", "csharp", "C#"],
    ["timeline", "6-plus-months", "In 6 months or more"],
    ["budget", "not-sure", "Not sure"],
    ["budget", "made-up", "made-up"],
    ["timeline", "", "—"],
  ])("%s %s → %s", (field, code, want) => {
    expect(label(field, code)).toBe(want);
  });
});
