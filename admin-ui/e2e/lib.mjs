// Shared harness of the browser tests: a real `verdict` binary on a temporary
// SQLite database, Debian's Chromium through playwright-core, users of each
// role made through the API, axe-core on every screen, and screenshots kept in
// test-artifacts/.
//
//   VERDICT_BIN=../bin/verdict CHROMIUM=/usr/bin/chromium node --test e2e/
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { appendFileSync, mkdtempSync, mkdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import net from "node:net";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
export const bin = resolve(process.env.VERDICT_BIN ?? join(here, "../../bin/verdict"));
export const artifacts = resolve(process.env.ARTIFACTS ?? join(here, "../../test-artifacts"));
mkdirSync(artifacts, { recursive: true });
const axeSource = readFileSync(join(here, "../node_modules/axe-core/axe.min.js"), "utf8");

function freePort() {
  return new Promise((ok) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

/**
 * Starts verdict (bootstrap: an admin and the demo guides) and Chromium.
 * Returns the harness; call stop() in after().
 */
export async function start(extraEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), "verdict-e2e-"));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env, VERDICT_DATA_DIR: dir, VERDICT_DATABASE_URL: "", VERDICT_BCRYPT_COST: "4",
    VERDICT_ADDR: `127.0.0.1:${port}`, VERDICT_OUTBOX_POLL: "100ms", VERDICT_OUTBOX_BACKOFF: "200ms", VERDICT_LOG_LEVEL: "warn",
    VERDICT_LOGIN_MAX_FAILURES_ACCOUNT: "1000", VERDICT_LOGIN_MAX_FAILURES_IP: "1000",
    VERDICT_INTAKE_RATE_LIMIT: "1000", VERDICT_MEDIA_DIR: join(dir, "media"), ...extraEnv,
  };
  const out = execFileSync(bin, ["bootstrap"], { env, encoding: "utf8" });
  const password = /Password \(shown once\): (\S+)/.exec(out)[1];
  const server = spawn(bin, ["serve"], { env, stdio: ["ignore", "inherit", "inherit"] });
  let ready = false;
  for (let i = 0; i < 100 && !ready; i++) {
    try {
      ready = (await fetch(base + "/readyz")).ok;
    } catch {}
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(ready, "verdict did not become ready");
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const h = new Harness(base, password, server, browser, dir);
  h.adminToken = await h.token("admin@example.com", password);
  return h;
}

let seq = 0;

/** The time zone of every signed-in browser page: dates the UI shows and reads are its dates. */
export const browserTimeZone = "Europe/Paris";

/** isoDay is the date (2026-11-24) of the instant at in the browser's time zone. */
export const isoDay = (at) => new Intl.DateTimeFormat("en-CA", { timeZone: browserTimeZone }).format(at);

export class Harness {
  constructor(base, password, server, browser, dir) {
    Object.assign(this, { base, password, server, browser, dir });
    this.users = { admin: { email: "admin@example.com", password } };
  }

  async stop() {
    await this.browser?.close();
    this.server?.kill("SIGTERM");
  }

  /** Calls the API; token defaults to the admin's. Returns {status, body, headers}. */
  async api(path, { method = "GET", body, token = this.adminToken, headers = {} } = {}) {
    const h = { ...headers };
    if (body !== undefined) h["Content-Type"] = "application/json";
    if (token) h.Authorization = `Bearer ${token}`;
    const r = await fetch(this.base + "/api/v1" + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
  }

  async token(email, password) {
    const r = await this.api("/auth/login", { method: "POST", body: { email, password }, token: null });
    assert.equal(r.status, 200, `login ${email}: ${JSON.stringify(r.body)}`);
    return r.body.access_token;
  }

  /** Creates a user of the role through the API: {id, email, password, token}. */
  async user(role, name = `${role} ${++seq}`) {
    const email = `${role}${seq}-${Date.now() % 100000}@example.com`;
    const password = "correct horse battery staple";
    const r = await this.api("/admin/users", { method: "POST", body: { email, name, role, password } });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return { id: r.body.id, email, password, name, role, token: await this.token(email, password) };
  }

  /** A new browser page, signed in through the form as who (default: the admin). */
  async signIn(who = this.users.admin, viewport = { width: 1400, height: 1000 }, path = "/admin/") {
    const context = await this.browser.newContext({ viewport, timezoneId: browserTimeZone });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    await page.goto(this.base + path);
    await page.getByLabel("Email", { exact: true }).fill(who.email);
    await page.getByLabel("Password", { exact: true }).fill(who.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor();
    return page;
  }

  /** Opens a main-navigation entry. */
  async nav(page, name) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name, exact: true }).click();
  }
}

const axeLog = join(artifacts, "axe.jsonl");

/**
 * Runs axe-core on the page as it is now, asserts no serious or critical
 * violations, saves a screenshot as <name>.png, and logs the counts to
 * test-artifacts/axe.jsonl.
 */
export async function audit(page, name, { fullPage = true } = {}) {
  await page.screenshot({ path: join(artifacts, name + ".png"), fullPage });
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.evaluate(axeSource); // CDP evaluation, not a script tag: the CSP stays in force
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  appendFileSync(axeLog, JSON.stringify({ screen: name, violations: result.length, serious: bad.length, ids: result.map((v) => `${v.id}:${v.impact}`) }) + "\n");
  assert.deepEqual(bad, [], `${name}: axe found serious or critical violations`);
  return result;
}
