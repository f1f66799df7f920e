// The embeddable widget and the hosted guide page in Chromium, against a
// real verdict binary. Self-contained: it starts its own server, and serves
// the embedding pages from two more loopback origins, one allowed by
// VERDICT_CORS_ORIGINS and one not.
//
//   VERDICT_BIN=../bin/verdict node --test e2e/widget.e2e.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createRequire } from "node:module";
import net from "node:net";
import { chromium } from "playwright-core";

const bin = resolve(process.env.VERDICT_BIN ?? "../bin/verdict");
const artifacts = resolve(process.env.ARTIFACTS ?? "../test-artifacts");
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
mkdirSync(artifacts, { recursive: true });

let server, browser, base, password;
const sites = []; // [allowed, refused] embedding origins

function freePort() {
  return new Promise((ok) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// embedPage is what a customer's site would serve: one script tag, two
// widgets (a full funnel and a bare form) to check they coexist.
const embedPage = (api) => `<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Acme engineering blog</title>
<script type="module" src="${api}/embed/v1/verdict.js"></script>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto} verdict-decision{--verdict-accent:#087f5b}</style></head>
<body><main><h1>Choosing a backend</h1>
<verdict-decision guide="node-vs-django"></verdict-decision>
<h2>Or just ask us</h2>
<verdict-consult></verdict-consult></main></body></html>`;

async function serveSite(api) {
  const port = await freePort();
  const srv = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(embedPage(api));
  });
  await new Promise((ok) => srv.listen(port, "127.0.0.1", ok));
  return { srv, origin: `http://127.0.0.1:${port}` };
}

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), "verdict-widget-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const allowedPort = await freePort();
  const env = {
    ...process.env, VERDICT_DATA_DIR: dir, VERDICT_DATABASE_URL: "", VERDICT_BCRYPT_COST: "4",
    VERDICT_ADDR: `127.0.0.1:${port}`, VERDICT_OUTBOX_POLL: "100ms", VERDICT_LOG_LEVEL: "warn",
    VERDICT_SITE_URL: base, VERDICT_CORS_ORIGINS: `http://127.0.0.1:${allowedPort}`,
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
  // The allowed site must listen on the port named in VERDICT_CORS_ORIGINS.
  const allowed = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
    res.end(embedPage(base));
  });
  await new Promise((ok) => allowed.listen(allowedPort, "127.0.0.1", ok));
  sites.push({ srv: allowed, origin: `http://127.0.0.1:${allowedPort}` }, await serveSite(base));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
});

after(async () => {
  await browser?.close();
  for (const s of sites) s.srv.close();
  server?.kill("SIGTERM");
});

async function newPage(opts = {}) {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, ...opts });
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => m.type() === "error" && problems.push(m.text()));
  page.on("pageerror", (e) => problems.push(String(e)));
  return { page, problems };
}

// seriousViolations runs axe-core (it walks open shadow roots) and keeps
// what it rates serious or critical.
async function seriousViolations(page) {
  await page.addScriptTag({ path: axePath });
  const res = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  return res.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`);
}

// answerQuiz answers every question of the widget, by keyboard for the
// first one: Tab to its first choice and Space.
async function answerQuiz(page, widget) {
  const sets = widget.locator("fieldset");
  const n = await sets.count();
  assert.ok(n >= 4, `only ${n} questions`);
  const kinds = new Set();
  for (let i = 0; i < n; i++) {
    const fs = sets.nth(i);
    const kind = await fs.getAttribute("data-kind");
    kinds.add(kind);
    if (kind === "open") {
      await fs.locator("textarea").fill("PostgreSQL and Redis");
    } else if (i === 0) {
      await fs.locator("input").first().focus();
      await page.keyboard.press("Space");
      assert.ok(await fs.locator("input").first().isChecked(), "Space did not choose the focused choice");
    } else {
      await fs.locator("input").last().check();
    }
  }
  return kinds;
}

test("a site on an allowed origin embeds the widget: quiz, recommendation, consultation, lead", async () => {
  const { page, problems } = await newPage();
  await page.goto(sites[0].origin);
  const widget = page.locator("verdict-decision");
  await widget.locator("fieldset").first().waitFor();
  const kinds = await answerQuiz(page, widget);
  for (const k of ["single", "multiple", "yes_no", "scale"]) assert.ok(kinds.has(k), `no ${k} question in the quiz (${[...kinds]})`);

  const leaning = widget.locator("[part=leaning]");
  await leaning.waitFor();
  assert.match(await leaning.textContent(), /^(Leaning: (Node\.js|Django)|It's a tie)/);
  assert.ok(await widget.locator("meter").count() === 2, "one score per option");

  // Submit empty first: per-field errors appear at their fields.
  const form = widget.locator("form[part=form]");
  await form.getByRole("button", { name: "Request a consultation" }).click();
  await form.locator("#" + (await form.locator("input[name=email]").getAttribute("id")) + "-err").waitFor();
  assert.equal(await form.locator("input[name=email]").getAttribute("aria-invalid"), "true");
  assert.equal(await form.locator("input[name=consent]").getAttribute("aria-invalid"), "true");

  const email = `ada-${Date.now()}@example.com`;
  await form.getByLabel("Name").fill("Ada Lovelace");
  await form.getByLabel("Work email").fill(email);
  await form.getByLabel("Tell us about your project").fill("A data-heavy admin for our analysts.");
  await form.getByLabel("I agree to be contacted about this request.").check();
  await form.getByRole("button", { name: "Request a consultation" }).click();
  const success = widget.locator("[part=success]");
  await success.waitFor();
  const ref = /reference is (\S+)\./.exec(await success.textContent())[1];
  await page.screenshot({ path: join(artifacts, "widget-embedded.png"), fullPage: true });

  // The second widget on the page is independent and also usable.
  await page.locator("verdict-consult").getByLabel("Name").fill("Second form");

  const violations = await seriousViolations(page);
  assert.deepEqual(violations, [], "axe-core found serious violations:\n" + violations.join("\n"));
  // The one expected failure: the empty submission's 400.
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);

  // The lead arrived with the answers and the recommendation.
  const login = await (await fetch(base + "/api/v1/auth/login", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: "admin@example.com", password }),
  })).json();
  const auth = { Authorization: "Bearer " + login.access_token };
  const list = await (await fetch(`${base}/api/v1/admin/leads?q=${encodeURIComponent(email)}`, { headers: auth })).json();
  const found = list.data.find((l) => l.reference === ref);
  assert.ok(found, `no lead with reference ${ref}`);
  const lead = await (await fetch(`${base}/api/v1/admin/leads/${found.id}`, { headers: auth })).json();
  assert.equal(lead.guide.slug, "node-vs-django");
  assert.equal(lead.answers.length, await widget.locator("fieldset").count(), JSON.stringify(lead.answers));
  assert.ok(lead.recommendation, "the lead has no recommendation");
  assert.match(lead.referrer, new RegExp("^" + sites[0].origin));
});

test("a site on an origin not in VERDICT_CORS_ORIGINS is refused, visibly", async () => {
  const { page } = await newPage();
  await page.goto(sites[1].origin);
  const alert = page.locator("verdict-decision").getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.textContent(), /add http:\/\/127\.0\.0\.1:\d+ to VERDICT_CORS_ORIGINS/);
  // The bare form is refused at submission, also visibly.
  const consult = page.locator("verdict-consult");
  await consult.getByLabel("Name").fill("Eve");
  await consult.getByLabel("Work email").fill("eve@example.com");
  await consult.getByLabel("Tell us about your project").fill("Anything");
  await consult.getByLabel("I agree to be contacted about this request.").check();
  await consult.getByRole("button", { name: "Request a consultation" }).click();
  await consult.getByRole("alert").waitFor();
  assert.match(await consult.getByRole("alert").textContent(), /VERDICT_CORS_ORIGINS/);
  await page.screenshot({ path: join(artifacts, "widget-refused.png"), fullPage: true });
});

test("the hosted page renders the guide and upgrades its checklist with the widget", async () => {
  const { page, problems } = await newPage();
  const res = await page.goto(base + "/g/node-vs-django");
  assert.equal(res.status(), 200);
  await page.getByRole("heading", { level: 1, name: "Node.js vs Django" }).waitFor();
  for (const h of ["Quick Verdict", "Side-by-Side Comparison", "Decision Checklist", "Tradeoffs & Gotchas",
    "Our Recommendation", "Frequently Asked Questions", "Related Comparisons"]) {
    await page.getByRole("heading", { level: 2, name: h }).waitFor();
  }
  const widget = page.locator("verdict-decision");
  await widget.locator("fieldset").first().waitFor();
  await widget.locator("fieldset").nth(1).locator("input").first().check();
  await widget.locator("[part=leaning]").waitFor();
  await page.screenshot({ path: join(artifacts, "hosted-guide.png"), fullPage: true });
  assert.deepEqual(problems, [], "console errors (CSP?)");

  // axe-core is injected inline, which the page's CSP rightly forbids.
  const audit = (await newPage({ bypassCSP: true })).page;
  await audit.goto(base + "/g/node-vs-django");
  await audit.locator("verdict-decision fieldset").first().waitFor();
  const violations = await seriousViolations(audit);
  assert.deepEqual(violations, [], "axe-core found serious violations:\n" + violations.join("\n"));

  await page.goto(base + "/g/");
  await page.getByRole("link", { name: "Node.js vs Django" }).click();
  await page.waitForURL(base + "/g/node-vs-django");
});
