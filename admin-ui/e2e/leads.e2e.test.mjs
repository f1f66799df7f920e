// Browser tests of the leads inbox: consultants (also on a phone) and admins.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, audit } from "./lib.mjs";

let h, nora, guideQuestions;
const refs = [];

/** Submits a consultation for node-vs-django through the public API. */
async function submit(name, extra = {}) {
  const r = await h.api("/consultations", {
    method: "POST", token: null,
    body: { name, email: `${name.split(" ")[0].toLowerCase()}@example.com`, project_description: `Project of ${name}.`, guide: "node-vs-django", consent: true, answers: {}, ...extra },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body.reference;
}

/** Waits until routing (just after intake) has given the lead an owner. */
async function owned(reference) {
  // SQLite takes one writer: a routing attempt that meets a lock is retried (short backoff in lib.mjs).
  for (let i = 0; i < 150; i++) {
    const l = (await h.api(`/admin/leads?q=${reference}`)).body.data[0];
    if (l?.owner_id) return l;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${reference} was never routed`);
}

before(async () => {
  h = await start();
  nora = await h.user("consultant", "Nora Consultant");
  const set = await h.api(`/admin/consultants/${nora.id}`, { method: "PUT", body: { active: true, technologies: ["django", "nodejs"], categories: [] } });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  guideQuestions = (await h.api("/guides/node-vs-django", { token: null })).body.checklist.questions;
  const qs = guideQuestions.filter((q) => q.choices?.length);
  // Answers given in the reverse of the checklist's order.
  const answers = Object.fromEntries(qs.slice(0, 3).reverse().map((q) => [q.id, q.choices[0].id]));
  refs.push(await submit("Ada Lovelace", { answers, request_volume: "100k-1m-per-day", team_language: "python", timeline: "1-3-months", budget: "10k-50k" }));
  for (const n of ["Grace Hopper", "Alan Turing", "Edsger Dijkstra", "Barbara Liskov", "Donald Knuth", "Frances Allen", "Ken Thompson"]) refs.push(await submit(n));
  for (const r of refs) await owned(r);
});
after(async () => {
  await h?.stop();
});

test("a consultant reads a lead: labels not codes, answers in checklist order, final moves confirmed, notes with their author", async () => {
  const page = await h.signIn(nora);
  await h.nav(page, "Leads");
  await page.getByRole("link", { name: new RegExp(refs[0]) }).click();
  const lead = page.getByRole("complementary", { name: "Lead" });
  await lead.getByText("100k–1M requests a day").waitFor();
  const text = await lead.innerText();
  for (const want of ["Python", "In 1–3 months", "10k–50k"]) assert.ok(text.includes(want), want);
  assert.ok(!text.includes("100k-1m-per-day"));

  // Answers follow the checklist, though they were given in another order.
  const asked = await lead.getByTestId("answers").locator("dt").allInnerTexts();
  const order = guideQuestions.map((q) => q.text).filter((t) => asked.includes(t));
  assert.deepEqual(asked, order);
  assert.ok(asked.length >= 2);

  // Marking lost can't be undone: asked first, and Cancel changes nothing.
  await lead.getByRole("button", { name: "Mark lost" }).click();
  const ask = lead.getByRole("alertdialog", { name: "Confirm lost" });
  await ask.getByText("can't be moved back to new").waitFor();
  await audit(page, "lead-confirm");
  await ask.getByRole("button", { name: "Cancel" }).click();
  assert.equal(await lead.getByTestId("lead-status").innerText(), "new");
  // Spam can be undone: no question.
  await lead.getByRole("button", { name: "Mark spam" }).click();
  await lead.getByTestId("lead-status").filter({ hasText: "spam" }).waitFor();
  await lead.getByRole("button", { name: "Mark new" }).click();
  await lead.getByTestId("lead-status").filter({ hasText: "new" }).waitFor();

  await lead.getByLabel("New note").fill("Called; wants a demo.");
  await lead.getByRole("button", { name: "Add note" }).click();
  await lead.locator(".notes li").filter({ hasText: "Called; wants a demo." }).getByText(/^You · /).waitFor();
  await page.context().close();

  // The admin sees who wrote it.
  const admin = await h.signIn();
  await admin.goto(`${h.base}/admin/leads/${(await owned(refs[0])).id}`);
  await admin.getByRole("complementary", { name: "Lead" }).locator(".notes li").filter({ hasText: "Called; wants a demo." }).getByText(/^Nora Consultant · /).waitFor();
  await audit(admin, "lead-admin");
  await admin.context().close();
});

test("on a 390 px phone the inbox and a lead fit the screen, tap targets are 44 px, the opened lead is in view", async () => {
  const page = await h.signIn(nora, { width: 390, height: 844 });
  await h.nav(page, "Leads");
  await page.getByRole("link", { name: new RegExp(refs[refs.length - 1]) }).waitFor();
  const fits = () => page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok((await fits()) <= 390, `inbox is ${await fits()} px wide`);
  await audit(page, "inbox-phone");

  await page.getByRole("link", { name: new RegExp(refs[refs.length - 1]) }).click();
  const lead = page.getByRole("complementary", { name: "Lead" });
  await lead.getByText(`Project of Ken Thompson.`).waitFor();
  await page.waitForFunction(() => {
    const r = document.querySelector("aside.detail")?.getBoundingClientRect();
    return r && r.top >= -1 && r.top < innerHeight / 2;
  });
  assert.ok((await fits()) <= 390, `lead is ${await fits()} px wide`);
  const small = await page.evaluate(() => [...document.querySelectorAll("main a, main button, main select, main input, main textarea, nav a, nav button")]
    .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== "hidden" && !e.closest(".skip") && !e.classList.contains("skip"))
    .map((e) => ({ what: e.outerHTML.slice(0, 80), w: e.getBoundingClientRect().width, h: e.getBoundingClientRect().height }))
    .filter((r) => r.w < 44 || r.h < 44));
  assert.deepEqual(small, []);
  await audit(page, "lead-phone");
  await page.context().close();
});

test("an admin filters leads by owner, guide and dates; the filters live in the address", async () => {
  const page = await h.signIn();
  await h.nav(page, "Leads");
  const count = page.getByTestId("list-count");
  await count.filter({ hasText: `of ${refs.length} leads` }).waitFor();
  const filters = page.getByRole("search", { name: "Filter leads" });
  await filters.getByLabel("Owner").selectOption({ label: "Nora Consultant" });
  await filters.getByLabel("Guide").selectOption("node-vs-django");
  const today = new Date().toISOString().slice(0, 10);
  await filters.getByLabel("From").fill(today);
  await count.filter({ hasText: `Showing ${refs.length} of ${refs.length} leads` }).waitFor();
  const url = new URL(page.url());
  assert.equal(url.searchParams.get("owner"), nora.id);
  assert.equal(url.searchParams.get("guide"), "node-vs-django");
  assert.equal(url.searchParams.get("from"), today);

  // The address is the state: reloading (or sharing it) keeps the filters.
  await page.reload();
  await count.filter({ hasText: `Showing ${refs.length} of ${refs.length} leads` }).waitFor();
  await filters.getByLabel("Owner").locator(`option[value="${nora.id}"]`).waitFor({ state: "attached" }); // consultants load after the list
  assert.equal(await filters.getByLabel("Owner").inputValue(), nora.id);
  assert.equal(await filters.getByLabel("From").inputValue(), today);
  const tomorrow = new Date(Date.now() + 2 * 86400_000).toISOString().slice(0, 10);
  await filters.getByLabel("From").fill(tomorrow);
  await count.filter({ hasText: "Showing 0 of 0 leads" }).waitFor();
  await audit(page, "leads-filtered");
  await page.context().close();
});
