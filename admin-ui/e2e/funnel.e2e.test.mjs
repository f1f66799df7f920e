// Funnel analytics end to end, against a real verdict binary it starts
// itself: a reader opens a hosted guide page and starts its checklist (the
// page and its widget send beacons), and the admin sees that view and that
// checklist start on the Funnel dashboard; an editor sees no lead figures.
//
//   VERDICT_BIN=../bin/verdict node --test e2e/funnel.e2e.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, audit } from "./lib.mjs";

// Headless Chromium says "HeadlessChrome" and is dropped as a bot, as it
// should be; the reader presents the user agent of an ordinary browser.
const READER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let h;
before(async () => {
  h = await start({ VERDICT_ANALYTICS_FLUSH: "200ms" });
});
after(async () => h?.stop());

/** Reloads the funnel screen until the guide's row shows want, or fails. */
async function waitForRow(page, slug, want) {
  const row = page.getByTestId(`funnel-${slug}`);
  let got = {};
  for (let i = 0; i < 40; i++) {
    if (await row.count()) {
      got = {};
      for (const k of Object.keys(want)) got[k] = (await row.getByTestId(k).textContent()).trim();
      if (Object.entries(want).every(([k, v]) => got[k] === v)) return row;
    }
    await page.waitForTimeout(250);
    await page.reload();
    await page.getByRole("heading", { name: "Funnel", level: 1 }).waitFor();
  }
  assert.fail(`row ${slug}: ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
}

test("a hosted page's view and checklist start reach the funnel dashboard", async () => {
  const reader = await h.browser.newContext({ userAgent: READER_UA, viewport: { width: 1200, height: 900 } });
  const page = await reader.newPage();
  const beacons = [];
  page.on("request", (r) => r.url().endsWith("/api/v1/events") && beacons.push(JSON.parse(r.postData()).events[0].type));
  await page.goto(h.base + "/g/node-vs-django?utm_campaign=launch");
  const quiz = page.locator("verdict-decision");
  await quiz.getByRole("radio").first().check(); // the widget upgraded the checklist: this starts it
  await quiz.getByRole("radio").nth(1).check(); // a second answer is not a second start
  await page.getByRole("heading", { name: /Leaning|tie/ }).waitFor();
  await page.waitForTimeout(300);
  assert.deepEqual(beacons.sort(), ["checklist_start", "recommendation", "view"]);
  await reader.close();

  const admin = await h.signIn();
  await h.nav(admin, "Funnel");
  await admin.getByRole("heading", { name: "Funnel", level: 1 }).waitFor();
  const row = await waitForRow(admin, "node-vs-django", { views: "1", unique_visitors: "1", checklist_starts: "1", recommendations: "1", leads: "0" });
  // Sortable by any column; the chosen guide's funnel, sources and trend.
  await admin.getByRole("button", { name: "Views", exact: true }).click();
  assert.equal(await admin.getByRole("columnheader", { name: /Views ▼/ }).getAttribute("aria-sort"), "descending");
  await row.getByRole("button", { name: "Node.js vs Django" }).click();
  await admin.getByRole("figure").filter({ hasText: "Funnel: Node.js vs Django" }).waitFor();
  assert.match(await admin.locator(".funnel-chart .sr-only").textContent(), /Checklist starts: 1, 100% of the step before/);
  await admin.getByText("launch: 1 view", { exact: true }).waitFor();
  await audit(admin, "funnel-dashboard");

  const editor = await h.user("editor");
  const ed = await h.signIn(editor);
  await h.nav(ed, "Funnel");
  await waitForRow(ed, "node-vs-django", { views: "1", checklist_starts: "1" });
  assert.equal(await ed.getByRole("columnheader", { name: "Leads" }).count(), 0, "editors see no lead figures");
  await audit(ed, "funnel-dashboard-editor");
});
