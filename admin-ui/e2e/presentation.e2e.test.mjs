// Presentation defaults in Chromium: the admin UI keeps no copy of the
// wording every rendering of a guide shares (checklist intro, recommendation
// verb, call to action); it shows what GET /api/v1/admin/presentation says.
// The server runs with its own call to action (VERDICT_CTA_*), so a copy in
// the UI could not pass, and with German, for the translation screen.
//
//   VERDICT_BIN=../bin/verdict node --test e2e/presentation.e2e.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, audit } from "./lib.mjs";

const cta = { VERDICT_CTA_HEADING: "Still unsure?", VERDICT_CTA_TITLE: "Ask our architects", VERDICT_CTA_TEXT: "One call, a clear answer." };
let h, editor, wording;
before(async () => {
  h = await start({ VERDICT_LOCALES: "en,de", ...cta });
  editor = await h.user("editor", "Pat Presets");
  const r = await h.api("/admin/presentation", { token: editor.token });
  assert.equal(r.status, 200);
  wording = r.body;
  assert.deepEqual(wording.cta, { heading: cta.VERDICT_CTA_HEADING, title: cta.VERDICT_CTA_TITLE, text: cta.VERDICT_CTA_TEXT });
});
after(async () => h?.stop());

/** Waits until the field labelled label shows placeholder, and returns its value. */
async function placeholderOf(page, label, placeholder) {
  const field = page.getByLabel(label, { exact: true });
  await field.and(page.locator(`[placeholder="${placeholder.replace(/["\\]/g, "\\$&")}"]`)).waitFor();
  return field.inputValue();
}

test("the guide editor shows the server's defaults", async () => {
  const page = await h.signIn(editor);
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));

  // A new guide: the intro is left to the server, whose text is the placeholder.
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "New guide" }).click();
  assert.equal(await placeholderOf(page, "Introduction", wording.checklist_intro), "");
  // Without a CTA of its own the guide shows the site's; an own one starts from it.
  assert.match(await page.getByTestId("default-cta").innerText(), new RegExp(`Site default: ${wording.cta.title}`));
  await page.getByLabel("Own call to action (else the site default)").check();
  assert.equal(await page.getByLabel("CTA heading", { exact: true }).inputValue(), wording.cta.heading);
  assert.equal(await page.getByLabel("CTA title", { exact: true }).inputValue(), wording.cta.title);
  assert.equal(await page.getByLabel("CTA text", { exact: true }).inputValue(), wording.cta.text);
  await audit(page, "presentation-new-guide");

  // The seed guide: recommendations and the choices citing them read with
  // the server's verb, exactly as its public JSON words them.
  await h.nav(page, "Guides");
  await page.getByRole("button", { name: "Leave without saving" }).click(); // ticking the CTA was an edit
  await page.getByRole("link", { name: "Node.js vs Django" }).click();
  await page.getByLabel(`${wording.recommendation_verb} (recommendation 1)`, { exact: true }).waitFor();
  assert.equal(await placeholderOf(page, "Introduction", wording.checklist_intro), ""); // the seed leaves it to the server
  const cited = await page.getByLabel("Question 1 choice 1: argues for", { exact: true }).locator("option").allInnerTexts();
  const pub = await h.api("/guides/node-vs-django", { token: null });
  const texts = pub.body.recommendations.map((r) => r.text);
  assert.equal(pub.body.checklist.intro, wording.checklist_intro);
  assert.ok(texts.length > 0 && texts.every((t) => t.startsWith(wording.recommendation_verb + " ")));
  assert.deepEqual(texts.filter((t) => !cited.includes(t)), [], `"argues for" offers ${JSON.stringify(cited)}`);
  assert.deepEqual(problems, []);
  await page.context().close();
});

test("the translation screen shows the default intro where the source has none", async () => {
  const page = await h.signIn(editor);
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "Node.js vs Django" }).click();
  await page.getByRole("region", { name: "Translations" }).getByRole("link", { name: "Translate into de" }).click();
  await page.getByRole("heading", { name: "Translation into de" }).waitFor();
  const row = page.locator("table.beside tr").filter({ has: page.getByLabel("Checklist intro (de)", { exact: true }) });
  assert.equal(await row.locator(".source-text").innerText(), `${wording.checklist_intro} (site default)`);
  assert.equal(await placeholderOf(page, "Checklist intro (de)", wording.checklist_intro), "");
  // Other fields fall back to the source's text, which is their placeholder.
  assert.equal(await placeholderOf(page, "Title (de)", "Node.js vs Django"), "");
  await audit(page, "presentation-translation");
  await page.context().close();
});
