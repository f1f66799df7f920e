// Locales in Chromium, against a real verdict binary configured with
// English and German. Self-contained: it starts its own server. An editor
// translates the seed guide into German in the admin UI, beside its source,
// publishes the translation, and the public API serves it to German
// readers while English readers keep the source.
//
//   VERDICT_BIN=../bin/verdict node --test e2e/locales.e2e.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import net from "node:net";
import { chromium } from "playwright-core";

const bin = resolve(process.env.VERDICT_BIN ?? "../bin/verdict");
const artifacts = resolve(process.env.ARTIFACTS ?? "../test-artifacts");
mkdirSync(artifacts, { recursive: true });

let server, browser, base, password;

function freePort() {
  return new Promise((ok) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "verdict-locales-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env, VERDICT_DATA_DIR: dir, VERDICT_DATABASE_URL: "", VERDICT_BCRYPT_COST: "4",
    VERDICT_ADDR: `127.0.0.1:${port}`, VERDICT_LOG_LEVEL: "warn", VERDICT_SITE_URL: base, VERDICT_LOCALES: "en,de",
  };
  const out = execFileSync(bin, ["bootstrap"], { env, encoding: "utf8" });
  password = /Password \(shown once\): (\S+)/.exec(out)[1];
  server = spawn(bin, ["serve"], { env, stdio: ["ignore", "inherit", "inherit"] });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base + "/readyz")).ok) break;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  server?.kill("SIGTERM");
});

async function publicGuide(slug, headers = {}) {
  const res = await fetch(`${base}/api/v1/guides/${slug}`, { headers });
  return { status: res.status, language: res.headers.get("content-language"), body: await res.json() };
}

test("an editor translates the seed guide into German and the public API serves it", async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));

  await page.goto(base + "/admin/");
  await page.getByLabel("Email", { exact: true }).fill("admin@example.com");
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Guides", exact: true }).click();
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
  await page.screenshot({ path: join(artifacts, "locales-translation.png"), fullPage: true });

  // Back in the guide editor, German shows as published.
  await page.getByRole("link", { name: "← Back to the guide" }).click();
  await panel.locator("tr[data-locale=de]").getByText("published").waitFor();
  assert.deepEqual(problems, []);
  await context.close();

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
