// Locales in Chromium, against a real verdict binary configured with
// English and German (the shared harness, e2e/lib.mjs). An editor
// translates the seed guide into German in the admin UI, beside its source,
// publishes the translation, and the public API serves it to German
// readers while English readers keep the source.
//
//   VERDICT_BIN=../bin/verdict node --test e2e/locales.e2e.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, audit } from "./lib.mjs";

let h;
before(async () => {
  h = await start({ VERDICT_LOCALES: "en,de" });
});
after(async () => h?.stop());

async function publicGuide(slug, headers = {}) {
  const res = await fetch(`${h.base}/api/v1/guides/${slug}`, { headers });
  return { status: res.status, language: res.headers.get("content-language"), body: await res.json() };
}

test("an editor translates the seed guide into German and the public API serves it", async () => {
  const page = await h.signIn();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "Node.js vs Django" }).click();

  // The guide editor lists German, not translated yet.
  const panel = page.getByRole("region", { name: "Translations" });
  await panel.locator("tr[data-locale=de]").getByText("not translated").waitFor();
  await panel.getByRole("link", { name: "Translate into de" }).click();

  // The translation screen shows the source beside each field.
  await page.getByRole("heading", { name: "Translation into de" }).waitFor();
  assert.match(await page.locator("table.beside").innerText(), /Node\.js vs Django/);
  await page.getByLabel("Title (de)", { exact: true }).fill("Node.js oder Django");
  await page.getByLabel("Slug (de)", { exact: true }).fill("node-oder-django");
  await page.getByLabel("Summary (de)", { exact: true }).fill("Zwei beliebte Backends im Vergleich.");
  await page.getByLabel("FAQ 1: question (de)", { exact: true }).fill("Welches ist schneller?");
  await page.getByRole("button", { name: "Save translation" }).click();
  await page.getByText("Translation saved.").waitFor();
  await page.getByRole("button", { name: "Publish de" }).click();
  await page.getByText("Translation published.").waitFor();
  await audit(page, "locales-translation");

  // Back in the guide editor, German shows as published.
  await page.getByRole("link", { name: "← Back to the guide" }).click();
  await panel.locator("tr[data-locale=de]").getByText("published").waitFor();
  assert.deepEqual(problems, []);
  await page.context().close();

  // The public API: German readers get the translation, others the source.
  const de = await publicGuide("node-vs-django", { "Accept-Language": "de-DE,de;q=0.9" });
  assert.equal(de.status, 200);
  assert.equal(de.language, "de");
  assert.equal(de.body.locale, "de");
  assert.equal(de.body.title, "Node.js oder Django");
  assert.equal(de.body.slug, "node-oder-django");
  assert.equal(de.body.faq[0].question, "Welches ist schneller?");
  assert.deepEqual(de.body.alternates.map((a) => a.locale), ["en", "de"]);
  const bySlug = await publicGuide("node-oder-django?locale=de");
  assert.equal(bySlug.body.title, "Node.js oder Django");
  const en = await publicGuide("node-vs-django");
  assert.equal(en.language, "en");
  assert.equal(en.body.title, "Node.js vs Django");
});
