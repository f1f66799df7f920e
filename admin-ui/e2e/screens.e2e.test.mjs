// Browser flows through the webhooks, API tokens, audit, export/import,
// media, account, revisions and dashboard screens, by role, on a real
// verdict binary (SQLite in a temp dir) in Debian's Chromium. Every flow
// runs axe-core (no serious or critical violations) and saves a screenshot.
//
//   VERDICT_BIN=../bin/verdict node --test e2e/screens.e2e.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { audit, isoDay, start } from "./lib.mjs";

let h;
const who = {};
const axeFigures = [];

before(async () => {
  // Webhooks may reach the loopback receiver; failed deliveries retry quickly.
  h = await start({ VERDICT_WEBHOOK_ALLOW_PRIVATE: "true", VERDICT_OUTBOX_BACKOFF: "200ms" });
  who.admin = { ...h.users.admin, token: h.adminToken };
  who.editor = await h.user("editor", "Eddie Editor");
  who.consultant = await h.user("consultant", "Connie Consultant");
});

after(async () => {
  await h?.stop();
  if (axeFigures.length) console.log("axe-core:", axeFigures.map((f) => `${f.name}: ${f.violations} violations (${f.serious} serious/critical)`).join("; "));
});

/** signIn opens a fresh browser context signed in through the login form; confirm() dialogs are accepted. */
async function signIn(role) {
  const page = await h.signIn(who[role]);
  page.on("dialog", (d) => d.accept());
  return page;
}

const nav = (page, name) => h.nav(page, name);

/** check runs axe-core (0 serious or critical) and saves test-artifacts/screens-<name>.png. */
async function check(page, name) {
  const v = await audit(page, "screens-" + name);
  axeFigures.push({ name, violations: v.length, serious: v.filter((x) => x.impact === "serious" || x.impact === "critical").length });
}

/** api calls the API unauthenticated unless a token is given. */
const api = (path, { token = null, ...rest } = {}) => h.api(path, { token, ...rest });

async function tokenOf(role) {
  return h.token(who[role].email, who[role].password);
}

function guideDoc(slug, title, summary = "A short summary.") {
  return {
    title, slug, category: "backend", summary,
    options: [{ technology: "nodejs", choose_if: ["You know JavaScript"] }, { technology: "django", choose_if: ["You know Python"] }],
    comparison: [{ feature: "Language", values: ["JavaScript", "Python"] }],
    checklist: [{ text: "What does your team know?" }],
    tradeoffs: [{ text: "Churn", technology: "nodejs" }],
    recommendations: [{ technology: "django", scenario: "for admin panels" }],
    faq: [{ question: "Which is faster?", answer: "It depends." }],
    related: [],
  };
}

/** receiver is a webhook endpoint on loopback that records what it gets. */
async function receiver() {
  const got = [];
  const srv = createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      got.push({ headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200).end("ok");
    });
  });
  await new Promise((ok) => srv.listen(0, "127.0.0.1", ok));
  return { url: `http://127.0.0.1:${srv.address().port}/hook`, got, close: () => new Promise((ok) => srv.close(ok)) };
}

async function until(what, f, ms = 10_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error("timed out waiting for " + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const png = (n) => Buffer.concat([Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64"), Buffer.from([n])]);

test("admin: a webhook is created (secret once), a signed delivery is seen in its log, redelivered, edited and deleted", async () => {
  const hook = await receiver();
  const page = await signIn("admin");
  await nav(page, "Webhooks");
  await page.getByRole("button", { name: "New webhook" }).click();
  const form = page.getByRole("form", { name: "New webhook" });
  await form.getByLabel("URL", { exact: true }).fill(hook.url);
  await form.getByLabel("Description").fill("CRM");
  await form.getByLabel(/A lead comes in/).check();
  await form.getByRole("button", { name: "Create webhook" }).click();
  await page.getByText(`Created the webhook to ${hook.url}.`).waitFor();
  const secret = await page.getByTestId("secret").innerText();
  assert.match(secret, /\S{16,}/);
  await check(page, "webhooks-created");
  await page.getByRole("button", { name: "I have copied it" }).click();
  assert.equal(await page.getByTestId("secret").count(), 0, "the secret is shown once");

  // An event: a lead comes in.
  const lead = await api("/consultations", { method: "POST", body: {
    name: "Grace Hopper", email: "grace@example.com", project_description: "A compiler.", guide: "node-vs-django",
    answers: { "team-language": "python" }, consent: true, timeline: "asap" } });
  assert.equal(lead.status, 201);
  const first = await until("a lead.created delivery", () => hook.got.find((g) => g.headers["verdict-event"] === "lead.created"));
  const [, t, v1] = /^t=(\d+),v1=([0-9a-f]+)$/.exec(first.headers["verdict-signature"]);
  assert.equal(createHmac("sha256", secret).update(`${t}.${first.body}`).digest("hex"), v1, "signed with the secret shown once");

  await page.getByRole("button", { name: `Deliveries of ${hook.url}` }).click();
  const log = page.getByRole("region", { name: "Delivery log" });
  await log.getByTestId("delivery").filter({ hasText: "HTTP 200" }).first().waitFor();
  assert.match(await log.getByTestId("delivery").first().innerText(), /lead\.created[\s\S]*HTTP 200/);
  await log.getByRole("button", { name: /^Redeliver lead.created/ }).first().click();
  await log.getByText("Redelivery queued.").waitFor();
  await until("the redelivery", () => hook.got.filter((g) => g.headers["verdict-event"] === "lead.created").length >= 2);
  await until("two rows in the log", async () => (await log.getByTestId("delivery").count()) >= 2);
  await check(page, "webhooks-deliveries");

  await page.getByRole("button", { name: `Edit ${hook.url}` }).click();
  const edit = page.getByRole("form", { name: "Edit webhook" });
  await edit.getByLabel("Description").fill("CRM (paused)");
  await edit.getByLabel("Active").uncheck();
  await edit.getByRole("button", { name: "Save webhook" }).click();
  await page.getByText(`Saved the webhook to ${hook.url}.`).waitFor();
  await page.getByRole("cell", { name: /CRM \(paused\)/ }).waitFor();

  // A bad URL is an error at the field, not a success.
  await page.getByRole("button", { name: "New webhook" }).click();
  await page.getByRole("form", { name: "New webhook" }).getByLabel("URL", { exact: true }).fill("ftp://nope");
  await page.getByRole("form", { name: "New webhook" }).getByRole("button", { name: "Create webhook" }).click();
  await page.getByRole("form", { name: "New webhook" }).locator(".field.invalid").getByRole("alert").waitFor();
  await page.getByRole("button", { name: "Cancel" }).click();

  await page.getByRole("button", { name: `Delete ${hook.url}` }).click();
  await page.getByText(`Deleted the webhook to ${hook.url}.`).waitFor();
  assert.equal((await api("/admin/webhooks", { token: await tokenOf("admin") })).body.data.length, 0);
  await page.context().close();
  await hook.close();
});

test("admin: an API token is created with scope and expiry, shown once, used against the public API, then revoked", async () => {
  const admin = await tokenOf("admin");
  const draft = await api("/admin/guides", { token: admin, method: "POST", body: guideDoc("bun-vs-deno-draft", "Bun vs Deno (draft)") });
  assert.equal(draft.status, 201);
  const page = await signIn("admin");
  await nav(page, "API tokens");
  const form = page.getByRole("form", { name: "New API token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await form.locator(".field.invalid").filter({ has: page.getByLabel("Name", { exact: true }) }).getByRole("alert").waitFor(); // the name is required
  await form.getByLabel("Name").fill("marketing site");
  await form.getByLabel("Scope").selectOption("content:preview");
  const nextYear = `${new Date().getFullYear() + 1}-06-30`;
  await form.getByLabel("Expires on").fill(nextYear);
  await form.getByRole("button", { name: "Create token" }).click();
  await page.getByText("Created the token “marketing site”.").waitFor();
  const token = await page.getByTestId("secret").innerText();
  assert.match(token, /^vdt_/);
  const row = page.getByTestId("token").filter({ hasText: "marketing site" });
  assert.match(await row.innerText(), /content:preview[\s\S]*admin@example\.com[\s\S]*\d{4}[\s\S]*never[\s\S]*active/);
  await check(page, "api-tokens");

  // Used against the public API: it may preview the draft; without it, no.
  const preview = await api("/guides/bun-vs-deno-draft?preview=true", { token });
  assert.equal(preview.status, 200, JSON.stringify(preview.body));
  assert.equal(preview.body.title, "Bun vs Deno (draft)");
  assert.equal((await api("/guides/bun-vs-deno-draft?preview=true")).status, 401);
  await page.reload();
  await page.getByTestId("token").filter({ hasText: "marketing site" }).getByTestId("last-used").filter({ hasNotText: "never" }).waitFor();

  await page.getByRole("button", { name: "Revoke marketing site" }).click();
  await page.getByText("Revoked the token “marketing site”.").waitFor();
  await row.filter({ hasText: "revoked" }).waitFor();
  assert.equal((await api("/guides/bun-vs-deno-draft?preview=true", { token })).status, 401);
  await page.context().close();
});

test("admin: import dry run names each bad item by its path; a good file is checked, then applied", async () => {
  const page = await signIn("admin");
  await nav(page, "Export & import");
  const bad = {
    version: 1, categories: [{ slug: "data", name: "Data", description: "", position: 9 }], technologies: [],
    guides: [
      { status: "draft", document: guideDoc("imported-ok", "Imported OK") },
      { status: "draft", document: { ...guideDoc("imported-bad", "Imported bad"), category: "no-such-category" } },
      { status: "draft", document: { ...guideDoc("imported-worse", "Imported worse"), summary: "" } },
    ],
  };
  const input = page.getByLabel("Content file (.json)");
  await input.setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(bad)) });
  await page.getByRole("button", { name: "Check (dry run)" }).click();
  const problems = page.getByRole("alert", { name: "Import problems" });
  await problems.waitFor();
  // Every bad item is named by its path (and its slug), not only the first.
  assert.match(await problems.innerText(), /2 items are invalid/);
  const items = await problems.getByTestId("import-error").allInnerTexts();
  assert.equal(items.length, 2, items.join("\n"));
  assert.match(items[0], /guide 2 “imported-bad”: guides\[1\]\.document\.category/);
  assert.match(items[1], /guide 3 “imported-worse”: guides\[2\]\.document\.summary/);
  assert.equal(await page.getByRole("button", { name: "Apply import" }).isDisabled(), true);
  await check(page, "import-dry-run-error");
  assert.equal((await api("/admin/guides?q=Imported", { token: await tokenOf("admin") })).body.data.length, 0, "a dry run changes nothing");

  const good = { ...bad, guides: [bad.guides[0]] };
  await input.setInputFiles({ name: "good.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(good)) });
  await page.getByRole("button", { name: "Check (dry run)" }).click();
  const report = page.getByRole("status", { name: "Import report" });
  await report.getByText("Dry run: nothing was changed.").waitFor();
  assert.match(await report.innerText(), /create 2: category data, guide imported-ok/);
  await page.getByRole("button", { name: "Apply import" }).click();
  await report.getByText("Imported.").waitFor();
  const after = await api("/admin/guides?q=Imported", { token: await tokenOf("admin") });
  assert.deepEqual(after.body.data.map((g) => g.slug), ["imported-ok"]);

  // Not JSON at all: said so before anything is sent.
  await input.setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("hello") });
  await page.getByText(/notes\.txt is not a JSON file/).waitFor();
  await page.context().close();
});

test("editor: export downloads the content file; import is for admins only", async () => {
  const page = await signIn("editor");
  await nav(page, "Export & import");
  assert.equal(await page.getByRole("heading", { name: "Import" }).count(), 0);
  await page.getByLabel("Guides to include").selectOption("published");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download export" }).click()]);
  const file = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(file.format, "verdict-export");
  assert.equal(file.version, 2);
  assert.ok(file.guides.length > 0 && file.guides.every((g) => g.status === "published"));
  assert.ok(file.guides.some((g) => g.document.slug === "node-vs-django"));
  await check(page, "export-editor");
  await page.context().close();
});

test("editor: a side-by-side diff of two revisions, and one revision in full", async () => {
  const ed = await tokenOf("editor");
  const g = (await api("/admin/guides", { token: ed, method: "POST", body: guideDoc("diff-me", "Diff me", "The first summary.") })).body;
  // The editor's next save: the same document (item IDs kept), two fields changed.
  const d2 = { ...g.document, summary: "The second summary.", faq: [...g.document.faq, { question: "Is it free?", answer: "Yes." }] };
  const put = await api(`/admin/guides/${g.id}`, { token: ed, method: "PUT", body: d2, headers: { "If-Match": `"${g.version}"` } });
  assert.equal(put.status, 200, JSON.stringify(put.body));

  const page = await signIn("editor");
  await page.goto(`${h.base}/admin/guides/${g.id}/revisions`);
  await page.getByRole("heading", { name: "Revisions of Diff me" }).waitFor();
  const cmp = page.getByRole("region", { name: "Comparison" });
  await cmp.getByText("2 fields differ.").waitFor();
  const summary = cmp.locator('tbody[data-field="summary"]');
  assert.match(await summary.locator(".diff-left").innerText(), /The first summary\./);
  assert.match(await summary.locator(".diff-right").innerText(), /The second summary\./);
  const faq = cmp.locator('tbody[data-field="faq"] tr.diff-added');
  assert.match(await faq.first().innerText(), /question: Is it free\?/);
  assert.equal(await cmp.locator('tbody[data-field="title"]').count(), 0, "unchanged fields are folded");
  await cmp.getByLabel("Show unchanged fields").check();
  await cmp.locator('tbody[data-field="title"]').waitFor();
  await check(page, "revision-diff");

  // The same revision on both sides: nothing differs; the URL keeps the choice.
  await page.getByLabel("Compare from revision 2").click(); // the choice goes through the URL, so the radio turns on a moment later
  await cmp.getByText("No differences.").waitFor();
  assert.match(page.url(), /from=2&to=2/);

  await page.getByRole("link", { name: "Revision 1", exact: true }).click();
  await page.getByRole("heading", { name: "Revision 1 of Diff me" }).waitFor();
  assert.match(await page.locator(".revision-doc").innerText(), /summary\s+The first summary\./);
  await check(page, "revision-view");
  await page.getByRole("button", { name: "Restore as draft" }).click();
  await page.getByRole("heading", { name: "Revisions of Diff me" }).waitFor();
  const now = (await api(`/admin/guides/${g.id}`, { token: ed })).body;
  assert.equal(now.document.summary, "The first summary.");
  await page.context().close();
});

test("editor: changing the password signs out the other session; a wrong current password is a field error", async () => {
  const other = await signIn("editor");
  const page = await signIn("editor");
  await nav(page, "Account");
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill("not my password at all");
  await form.getByLabel("New password", { exact: true }).fill("a brand new password 99");
  await form.getByLabel("New password again").fill("a brand new password 99");
  await form.getByRole("button", { name: "Change password" }).click();
  const current = form.locator(".field.invalid").filter({ has: page.getByLabel("Current password") });
  await current.getByRole("alert").waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("name")), "current_password");
  await check(page, "account-wrong-password");

  await form.getByLabel("Current password").fill(who.editor.password);
  await form.getByRole("button", { name: "Change password" }).click();
  await form.getByText("Password changed. Every other session has been signed out.").waitFor();
  await check(page, "account-changed");

  // This tab keeps working on its fresh tokens; the other one is sent to sign in.
  await nav(page, "Media");
  await page.getByRole("heading", { name: "Media library" }).waitFor();
  await nav(other, "Media");
  await other.getByRole("button", { name: "Sign in" }).waitFor();
  assert.equal((await api("/auth/login", { method: "POST", body: { email: who.editor.email, password: who.editor.password } })).status, 401);
  who.editor.password = "a brand new password 99";
  await tokenOf("editor");
  await page.context().close();
  await other.context().close();
});

test("editor: the media library searches, shows where an image is used, refuses to delete it, deletes an unused one", async () => {
  const ed = await tokenOf("editor");
  const upload = async (name, n) => {
    const form = new FormData();
    form.append("file", new Blob([png(n)], { type: "image/png" }), name);
    const r = await fetch(h.base + "/api/v1/admin/media", { method: "POST", body: form, headers: { Authorization: `Bearer ${ed}` } });
    assert.equal(r.status, 201);
    return r.json();
  };
  const logo = await upload("deno-logo.png", 1);
  await upload("old-banner.png", 2);
  const tech = (await api("/admin/technologies?limit=100", { token: ed })).body.data.find((t) => t.slug === "django");
  const put = await api(`/admin/technologies/${tech.id}`, { token: ed, method: "PUT", body: { slug: tech.slug, name: tech.name, logo_url: logo.url }, headers: { "If-Match": `"${tech.version}"` } });
  assert.equal(put.status, 200, JSON.stringify(put.body));

  const page = await signIn("editor");
  await nav(page, "Media");
  await page.getByLabel("Search by file name").fill("LOGO");
  await until("the search", async () => (await page.getByTestId("media-item").count()) === 1 && (await page.getByTestId("media-item").innerText()).includes("deno-logo.png"));
  await page.getByRole("button", { name: "Where used: deno-logo.png" }).click();
  await page.getByRole("region", { name: "Uses of deno-logo.png" }).getByText("(technology logo)").waitFor();
  assert.match(await page.getByRole("region", { name: "Uses of deno-logo.png" }).innerText(), /Django/);
  await page.getByRole("button", { name: "Delete deno-logo.png" }).click();
  await page.getByTestId("media-item").getByRole("alert").filter({ hasText: "used by 1 place" }).waitFor();
  await check(page, "media-in-use");

  await page.getByLabel("Search by file name").fill("banner");
  await page.getByRole("button", { name: "Delete old-banner.png" }).click();
  await page.getByText("Deleted old-banner.png.").waitFor();
  await page.getByText("No file name contains “banner”.").waitFor();
  await check(page, "media-deleted");
  await page.context().close();
});

test("admin: the audit log filters by action and person, and pages through next_cursor", async () => {
  const admin = await tokenOf("admin");
  for (let i = 0; i < 55; i++) {
    const r = await api("/admin/api-tokens", { token: admin, method: "POST", body: { name: `bulk ${i}`, scope: "content:read" } });
    assert.equal(r.status, 201);
  }
  const page = await signIn("admin");
  await nav(page, "Audit log");
  await page.getByLabel("Action").selectOption("api_token.created");
  await page.getByLabel("Person").selectOption({ label: "admin@example.com" });
  await until("a first page of 50", async () => (await page.getByTestId("audit-entry").count()) === 50);
  assert.match(page.url(), /action=api_token\.created/);
  await page.getByRole("button", { name: "Load more entries" }).click();
  await until("the next page", async () => (await page.getByTestId("audit-entry").count()) >= 55);
  assert.ok((await page.getByTestId("audit-entry").allInnerTexts()).every((t) => t.includes("api_token.created")));
  assert.equal(await page.getByRole("button", { name: "Load more entries" }).count(), 0, "no page left after the last");
  await check(page, "audit");

  // The filter survives a reload: it lives in the URL.
  await page.reload();
  await until("the filtered log after reload", async () => (await page.getByTestId("audit-entry").count()) === 50);
  await page.context().close();
});

test("admin: the dashboard counts past 100 from list totals, filters analytics by date and links the API docs", async () => {
  const admin = await tokenOf("admin");
  const before = (await api("/admin/guides?status=draft&limit=100", { token: admin })).body;
  let drafts = before.data.length;
  assert.equal(before.next_cursor, null);
  for (let i = 0; i < 101; i++) {
    let r = await api("/admin/guides", { token: admin, method: "POST", body: guideDoc(`bulk-${i}`, `Bulk ${i}`) });
    if (r.status === 503) { // SQLite busy: the API says when to retry
      await new Promise((ok) => setTimeout(ok, Math.min(1000, 1000 * Number(r.headers.get("retry-after") || 1))));
      r = await api("/admin/guides", { token: admin, method: "POST", body: guideDoc(`bulk-${i}`, `Bulk ${i}`) });
    }
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  drafts += 101;
  const page = await signIn("admin");
  await until("the draft count", async () => (await page.getByTestId("count-draft").innerText()) === String(drafts));
  const range = page.getByRole("form", { name: "Date range" });
  const today = new Date();
  // The browser's dates, not this process's: between 23:00 and midnight UTC
  // it is already tomorrow in the browser's Paris.
  const iso = isoDay;
  // A lead today shows in a range ending today, not in one ending yesterday.
  await api("/consultations", { method: "POST", body: {
    name: "Ada", email: "ada@example.com", project_description: "Dashboards.", guide: "node-vs-django",
    answers: { "team-language": "python" }, consent: true, timeline: "asap" } });
  await range.getByLabel("To").fill(iso(today));
  await page.reload();
  await page.getByRole("region", { name: "Analytics" }).getByText("Funnel").waitFor();
  await range.getByLabel("From").fill(iso(new Date(today.getTime() - 5 * 86400000)));
  await range.getByLabel("To").fill(iso(new Date(today.getTime() - 86400000)));
  await page.getByRole("region", { name: "Analytics" }).getByText("No leads with a guide in this range.").waitFor();
  assert.equal(await page.getByTestId("count-in the date range").innerText(), "0");
  assert.match(page.url(), /from=\d{4}-\d\d-\d\d&to=\d{4}-\d\d-\d\d|to=\d{4}-\d\d-\d\d&from=/);
  await check(page, "dashboard-admin");
  const docs = page.getByRole("link", { name: "API reference", exact: true });
  assert.equal(await docs.getAttribute("href"), "/api/docs");
  assert.equal((await fetch(h.base + "/api/docs")).status, 200);
  await page.context().close();
});

test("consultant: the dashboard shows leads and analytics, no guide counts, and no admin screens", async () => {
  const page = await signIn("consultant");
  const main = page.getByRole("navigation", { name: "Main" });
  for (const name of ["Webhooks", "API tokens", "Audit log", "Media", "Export & import"]) {
    assert.equal(await main.getByRole("link", { name, exact: true }).count(), 0, `${name} is not offered to a consultant`);
  }
  await page.getByRole("heading", { name: "Leads" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Guides" }).count(), 0);
  await page.getByRole("form", { name: "Date range" }).waitFor();
  await check(page, "dashboard-consultant");
  // A screen they may not use says so.
  await page.goto(h.base + "/admin/webhooks");
  await page.getByText("Not found, or not open to your role.").waitFor();
  await nav(page, "Account");
  await page.getByRole("form", { name: "Change password" }).waitFor();
  assert.match(await page.locator(".facts").innerText(), /consultant/);
  await check(page, "account-consultant");
  await page.context().close();
});
