// End-to-end tests: a real verdict binary on a temporary SQLite database,
// driven through Debian's Chromium with playwright-core (harness in lib.mjs).
//
//   VERDICT_BIN=../bin/verdict node --test e2e/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, audit } from "./lib.mjs";
import { setTimeout as sleep } from "node:timers/promises";

let h;
before(async () => {
  h = await start();
});
after(async () => {
  await h?.stop();
});

const signIn = (...a) => h.signIn(...a);
const api = (path, init = {}) => h.api(path, { ...init, body: init.body === undefined ? undefined : JSON.parse(init.body) });

test("an editor creates a guide, sees validation errors, and publishes it", async () => {
  const page = await signIn();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Guides", exact: true }).click();
  await page.getByRole("link", { name: "New guide" }).click();
  await page.getByLabel("Title", { exact: true }).fill("Bun vs Deno");
  assert.equal(await page.getByLabel("Slug", { exact: true }).inputValue(), "bun-vs-deno");
  await page.getByLabel("Category", { exact: true }).selectOption("backend");
  await page.getByLabel("Option 1", { exact: true }).selectOption("nodejs");
  await page.getByLabel("Option 2", { exact: true }).selectOption("django");
  await page.getByLabel("Choose Node.js if… (one per line)").fill("You know JavaScript\nYou need WebSockets");
  await page.getByRole("button", { name: "Add row" }).click();
  await page.getByLabel("Feature 1", { exact: true }).fill("Language");
  await page.getByLabel("Language: Node.js").fill("JavaScript");
  await page.getByLabel("Language: Django").fill("Python");

  // No summary yet: the API's field error appears at the field.
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const summary = page.getByLabel("Summary", { exact: true });
  await page.locator(".field.invalid").filter({ has: summary }).getByRole("alert").waitFor();
  assert.match(await page.locator(".field.invalid").filter({ has: summary }).innerText(), /is required/);
  assert.equal(await summary.getAttribute("aria-invalid"), "true");

  await summary.fill("Two fast JavaScript runtimes.");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved revision 1.").waitFor();
  // The preview is the server's rendering of the page, in a sandboxed frame.
  const preview = page.frameLocator("[data-testid=preview-frame]");
  await preview.getByText("You need WebSockets").waitFor();
  assert.match(await preview.locator("body").innerText(), /Node\.js[\s\S]*JavaScript[\s\S]*Python/);
  await audit(page, "editor");

  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Guide published.").waitFor();
  const pub = await api("/guides/bun-vs-deno");
  assert.equal(pub.status, 200);
  assert.equal(pub.body.title, "Bun vs Deno");
  assert.deepEqual(pub.body.comparison.rows[0].values, ["JavaScript", "Python"]);

  // Make a checklist question scoreable: choices weigh the options.
  await page.getByRole("button", { name: "Add question" }).click();
  await page.getByLabel("Question 1", { exact: true }).fill("What does your team know best?");
  await page.getByLabel("Answered by").selectOption("single");
  await page.getByLabel("Question 1 choice 1", { exact: true }).fill("JavaScript");
  await page.getByLabel("Question 1 choice 1: weight for Node.js").fill("3");
  await page.getByLabel("Question 1 choice 2", { exact: true }).fill("Python");
  await page.getByLabel("Question 1 choice 2: weight for Django").fill("3");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.getByText("Saved revision 2.").waitFor();
  await page.getByRole("button", { name: "Publish", exact: true }).click();
  await page.getByText("Guide published.").waitFor();
  await audit(page, "editor-choices");
  const { body: guide } = await api("/guides/bun-vs-deno");
  const q = guide.checklist.questions[0];
  assert.deepEqual(q.choices.map((c) => c.id), ["javascript", "python"]);
  const rec = await api("/guides/bun-vs-deno/recommendation", { method: "POST", body: JSON.stringify({ answers: { [q.id]: "python" } }) });
  assert.equal(rec.status, 200);
  assert.equal(rec.body.options[0].technology.slug, "django");
  assert.equal(rec.body.leaning, "leans Django, 100%: Python");
  await page.context().close();
});

test("two editors on one guide: the second save gets the conflict message", async () => {
  const a = await signIn();
  const b = await signIn();
  const { body: list } = await api("/guides?q=Firebase");
  assert.equal(list.data.length, 1);
  for (const page of [a, b]) {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Guides", exact: true }).click();
    await page.getByRole("link", { name: "Firebase vs Supabase" }).click();
    await page.waitForFunction(() => document.querySelector("input[name=title]")?.value);
    assert.equal(await page.getByLabel("Title", { exact: true }).inputValue(), "Firebase vs Supabase");
  }
  await a.getByLabel("Title", { exact: true }).fill("Firebase vs Supabase (A)");
  await a.getByRole("button", { name: "Save", exact: true }).click();
  await a.getByText(/Saved revision/).waitFor();

  await b.getByLabel("Summary", { exact: true }).fill("Edited by B.");
  await b.getByRole("button", { name: "Save", exact: true }).click();
  const alert = b.getByRole("alert").filter({ hasText: "Another editor saved this guide" });
  await alert.waitFor();
  // The banner shows their version against mine, field by field.
  const diff = alert.getByRole("table", { name: "Their version against mine" });
  await diff.waitFor();
  assert.match(await diff.innerText(), /Theirs \(version \d+\)[\s\S]*Mine \(unsaved\)/);
  assert.match(await diff.locator("tbody[data-field=title]").innerText(), /Firebase vs Supabase \(A\)[\s\S]*Firebase vs Supabase/);
  assert.match(await diff.locator("tbody[data-field=summary]").innerText(), /Edited by B\./);
  await audit(b, "conflict", { fullPage: false });
  // The way forward: B's edit is still on screen, and loading theirs works.
  assert.equal(await b.getByLabel("Summary", { exact: true }).inputValue(), "Edited by B.");
  await b.getByRole("button", { name: "Load their version (discard mine)" }).click();
  await b.waitForFunction(() => document.querySelector("input[name=title]")?.value === "Firebase vs Supabase (A)");
  assert.equal(await alert.count(), 0);
  await a.context().close();
  await b.context().close();
});

test("a submitted lead shows in the inbox and its status changes", async () => {
  const res = await api("/consultations", {
    method: "POST",
    body: JSON.stringify({
      name: "Ada Lovelace", email: "ada@example.com", project_description: "A real-time dashboard.",
      guide: "node-vs-django", answers: { "admin-panel": "yes", "team-language": "python" }, consent: true, timeline: "asap",
    }),
  });
  assert.equal(res.status, 201);
  const page = await signIn();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Leads", exact: true }).click();
  await page.getByRole("link", { name: res.body.reference }).click();
  const detail = page.getByRole("complementary", { name: "Lead" });
  await detail.getByText("Is a built-in admin panel valuable?").waitFor();
  assert.equal(await detail.getByTestId("lead-status").innerText(), "new");
  await detail.getByRole("button", { name: "Mark contacted" }).click();
  // Contacted can't go back to new: the UI asks first.
  await detail.getByRole("alertdialog", { name: "Confirm contacted" }).getByRole("button", { name: "Yes, mark contacted" }).click();
  await detail.getByText("Marked contacted.").waitFor();
  await detail.getByTestId("lead-status").filter({ hasText: "contacted" }).waitFor();
  assert.equal(await detail.getByRole("button", { name: "Mark contacted" }).count(), 0);
  assert.match(await detail.getByTestId("leaning").innerText(), /^leans Django/);
  await audit(page, "inbox");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Dashboard", exact: true }).click();
  const analytics = page.getByRole("region", { name: "Analytics" });
  await analytics.getByText("Recommended by the checklist").waitFor();
  assert.match(await analytics.innerText(), /Leads per week[\s\S]*Funnel/);
  await audit(page, "dashboard");
  await page.context().close();
});

test("an editor uploads a logo and picks it for a technology", async () => {
  const page = await signIn();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Categories & technologies" }).click();
  await page.getByRole("listitem").filter({ hasText: "Node.js" }).getByRole("button", { name: "Edit" }).click();
  // A 1×1 PNG.
  const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");
  await page.locator("input[type=file]").setInputFiles({ name: "node.png", mimeType: "image/png", buffer: png });
  await page.getByText("Uploaded.").waitFor();
  const logo = await page.getByRole("form", { name: "technologies form" }).getByLabel("Logo URL").inputValue();
  assert.match(logo, /^\/media\/[0-9a-f]{64}\.png$/);
  const form = page.getByRole("form", { name: "technologies form" });
  await form.getByRole("button", { name: "Save", exact: true }).click();
  await form.getByText("Saved.").waitFor();
  const { body } = await api("/technologies/nodejs");
  assert.equal(body.logo_url, logo);
  await audit(page, "taxonomy");
  const img = await fetch(h.base + logo);
  assert.equal(img.headers.get("content-type"), "image/png");
  await page.context().close();
});

test("a reload keeps the session, on any page", async () => {
  // Its own admin: signing out ends every session of that user.
  const admin = await h.user("admin", "Reload Admin");
  const page = await signIn(admin);
  await h.nav(page, "Guides");
  await page.getByRole("heading", { name: "Guides", level: 1 }).waitFor();
  await page.reload();
  await page.getByRole("heading", { name: "Guides", level: 1 }).waitFor();
  assert.equal(await page.getByRole("button", { name: "Sign in" }).count(), 0);
  // A typed address is a full load too.
  await page.goto(h.base + "/admin/users");
  await page.getByRole("heading", { name: "Users", level: 1 }).waitFor();
  assert.ok((await page.getByRole("navigation", { name: "Main" }).innerText()).includes(admin.email));
  await audit(page, "users");
  // Signing out ends it: a reload then shows the sign-in form.
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.reload();
  await page.getByRole("button", { name: "Sign in" }).waitFor();
  await audit(page, "login");
  await page.context().close();
});

test("an admin sets a consultant's expertise; a lead for that guide reaches their inbox", async () => {
  const nora = await h.user("consultant", "Nora Expert");
  const idle = await h.user("consultant", "Ida Idle");

  // A consultant without expertise is told why the inbox is empty.
  const idlePage = await signIn(idle);
  await h.nav(idlePage, "Leads");
  await idlePage.getByText("ask an admin to set your technologies and categories").waitFor();
  await audit(idlePage, "inbox-empty");
  await idlePage.context().close();

  const page = await signIn();
  await h.nav(page, "Users");
  await page.getByRole("search").getByLabel("Search").fill(nora.email);
  await page.getByRole("button", { name: `Expertise of ${nora.email}` }).click();
  const form = page.getByRole("form", { name: `Expertise of ${nora.email}` });
  await form.getByText("receives no leads until").waitFor();
  await form.getByLabel("Takes leads").check();
  await form.getByRole("group", { name: "Technologies" }).getByLabel("Django", { exact: true }).check();
  await form.getByRole("button", { name: "Save expertise" }).click();
  await form.getByRole("status").filter({ hasText: "now takes matching leads" }).waitFor();
  assert.equal(await form.getByRole("alert").count(), 0);
  await audit(page, "users-expertise");
  const saved = await h.api(`/admin/consultants/${nora.id}`);
  assert.deepEqual([saved.body.active, saved.body.technologies], [true, ["django"]]);

  const lead = await h.api("/consultations", {
    method: "POST", token: null,
    body: { name: "Linus Prospect", email: "linus@example.com", project_description: "An admin-heavy CRM.", guide: "node-vs-django", answers: {}, consent: true },
  });
  assert.equal(lead.status, 201, JSON.stringify(lead.body));
  // Routing runs just after intake (the outbox): wait for it.
  let owner = null;
  for (let i = 0; i < 150 && !owner; i++) {
    owner = (await h.api(`/admin/leads?q=${lead.body.reference}`)).body.data[0].owner_id;
    if (!owner) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(owner, nora.id);

  const inbox = await signIn(nora);
  await h.nav(inbox, "Leads");
  await inbox.getByRole("link", { name: new RegExp(lead.body.reference) }).click();
  await inbox.getByRole("complementary", { name: "Lead" }).getByText("An admin-heavy CRM.").waitFor();
  await audit(inbox, "inbox-consultant");
  await inbox.context().close();
  await page.context().close();
});

test("150 guides page through with totals; the dashboard counts them; pickers search the server", async () => {
  const doc = (i) => ({
    title: `Bulk guide ${i}`, slug: `bulk-guide-${i}`, category: "backend", summary: "A guide made in bulk.", seo_title: "", seo_description: "",
    options: [{ technology: "nodejs", choose_if: [] }, { technology: "django", choose_if: [] }], comparison: [], checklist_intro: "",
    checklist: [], tradeoffs: [], recommendations: [], faq: [], related: [], cta: null,
  });
  // One at a time: SQLite takes one writer.
  for (let i = 1; i <= 150; i++) {
    const r = await h.api("/admin/guides", { method: "POST", body: doc(i) });
    assert.equal(r.status, 201, JSON.stringify(r.body));
  }
  const all = (await h.api("/admin/guides?include_total=true&limit=1")).body.total;
  const drafts = (await h.api("/admin/guides?include_total=true&limit=1&status=draft")).body.total;
  assert.ok(all >= 150 && drafts >= 150, `totals ${all} ${drafts}`);

  const page = await signIn();
  // The dashboard's counts come from totals, not from a page of 100.
  await page.getByTestId("count-draft").filter({ hasText: new RegExp(`^${drafts}$`) }).waitFor();
  await h.nav(page, "Guides");
  const count = page.getByTestId("list-count");
  await count.filter({ hasText: `Showing 50 of ${all} guides` }).waitFor();
  for (let shown = 50; shown < all; ) {
    await page.getByRole("button", { name: "Load more guides" }).click();
    shown = Math.min(shown + 50, all);
    await count.filter({ hasText: `Showing ${shown} of ${all} guides` }).waitFor();
  }
  assert.equal(await page.getByRole("button", { name: "Load more guides" }).count(), 0);
  await count.filter({ hasText: `Showing ${all} of ${all} guides` }).waitFor();
  assert.equal(await page.locator("tbody tr").count(), all);
  await page.getByRole("link", { name: "Bulk guide 150", exact: true }).waitFor();
  await audit(page, "guides-150");

  // Search is the server's: one match, and the filter is kept in the address.
  await page.getByRole("search").getByLabel("Search").fill("Bulk guide 137");
  await count.filter({ hasText: "Showing 1 of 1 guides" }).waitFor();
  assert.match(page.url(), /q=Bulk\+guide\+137/);

  // The related-guide picker finds a guide far past the first 100.
  await page.getByRole("link", { name: "Bulk guide 137", exact: true }).click();
  await page.waitForFunction(() => document.querySelector("input[name=title]")?.value === "Bulk guide 137");
  await page.getByLabel("Add a related guide").fill("Bulk guide 149");
  await page.getByRole("button", { name: "Add Bulk guide 149" }).click();
  await page.getByRole("group", { name: "Related comparisons" }).getByText("Bulk guide 149").waitFor();
  await page.context().close();
});

test("errors look like errors: every problem detail shown, focus on the first bad field", async () => {
  const page = await signIn();
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "New guide" }).click();
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const alert = page.locator(".notice.error[role=alert]");
  await alert.waitFor();
  const text = await alert.innerText();
  assert.match(text, /title: is required/);
  assert.match(text, /summary: is required/);
  // Focus went to the first field the server named.
  await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "title");
  await audit(page, "editor-errors");
  const errorBg = await alert.evaluate((e) => getComputedStyle(e).backgroundColor);

  await page.getByLabel("Title", { exact: true }).fill("Phoenix vs Rails");
  await page.getByLabel("Category", { exact: true }).selectOption("backend");
  await page.getByLabel("Summary", { exact: true }).fill("Two productive web frameworks.");
  await page.getByLabel("Option 1", { exact: true }).selectOption("nodejs");
  await page.getByLabel("Option 2", { exact: true }).selectOption("django");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  const ok = page.locator(".notice.ok[role=status]");
  await ok.filter({ hasText: "Saved revision 1." }).waitFor();
  assert.equal(await page.locator(".notice.error").count(), 0);
  assert.notEqual(await ok.evaluate((e) => getComputedStyle(e).backgroundColor), errorBg);

  // A message for a field the form does not have still reaches the user.
  await page.getByLabel("Publish at").fill("2020-01-01T10:00");
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  await alert.filter({ hasText: "publish_at: must be in the future" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.id === "publish-at");
  await page.context().close();
});

test("the admin UI's scripts are served precompressed", async () => {
  const html = await (await fetch(h.base + "/admin/")).text();
  const src = /src="(\/admin\/assets\/[^"]+\.js)"/.exec(html)[1];
  for (const [accept, want] of [["br, gzip", "br"], ["gzip", "gzip"], ["identity", null]]) {
    const r = await fetch(h.base + src, { headers: { "Accept-Encoding": accept } });
    assert.equal(r.status, 200);
    assert.equal(r.headers.get("content-encoding"), want, accept);
    assert.equal(r.headers.get("vary"), "Accept-Encoding");
  }
});

test("categories are put in order; the public list follows", async () => {
  const page = await signIn();
  await h.nav(page, "Categories & technologies");
  const list = page.getByRole("list", { name: "Categories" });
  const names = () => list.locator("li .grow").evaluateAll((els) => els.map((e) => e.firstChild.textContent.trim()));
  await list.locator("li").nth(1).waitFor();
  const before = await names();
  assert.ok(before.length >= 2, JSON.stringify(before));
  await page.getByRole("button", { name: `Move ${before[0]} down` }).click();
  await page.getByRole("status").filter({ hasText: `Moved ${before[0]} to position 2.` }).waitFor();
  const after = [before[1], before[0], ...before.slice(2)];
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll("[aria-label=Categories] li .grow")].map((e) => e.firstChild.textContent.trim())) === want, JSON.stringify(after));
  const pub = await h.api("/categories?limit=100", { token: null });
  assert.deepEqual(pub.body.data.map((c) => c.name).slice(0, 2), after.slice(0, 2));
  await audit(page, "taxonomy-order");
  await page.context().close();
});

test("an admin resets a user's password; the old one stops working", async () => {
  const ed = await h.user("editor", "Reset Me");
  const page = await signIn();
  await h.nav(page, "Users");
  await page.getByRole("search").getByLabel("Search").fill(ed.email);
  await page.getByRole("button", { name: `Reset password of ${ed.email}` }).click();
  const form = page.getByRole("form", { name: `Reset password of ${ed.email}` });
  await form.getByRole("button", { name: "Set password" }).click();
  const done = form.getByRole("status").filter({ hasText: "(shown once)" });
  await done.waitFor();
  const fresh = /\(shown once\): (\S+)/.exec(await done.innerText())[1];
  await audit(page, "users-reset");
  assert.equal((await h.api("/auth/login", { method: "POST", token: null, body: { email: ed.email, password: ed.password } })).status, 401);
  assert.equal((await h.api("/auth/login", { method: "POST", token: null, body: { email: ed.email, password: fresh } })).status, 200);
  // A too-short password is refused at the field, with the server's words.
  await form.getByLabel("New password").fill("short");
  await form.getByRole("button", { name: "Set password" }).click();
  await form.locator(".notice.error").filter({ hasText: "password:" }).waitFor();
  await page.waitForFunction(() => document.activeElement?.getAttribute("name") === "password");
  await page.context().close();
});

test("an access token that expires mid-edit is renewed and the save goes through", async () => {
  // A Verdict of its own whose access tokens last two seconds.
  const short = await start({ VERDICT_ACCESS_TOKEN_TTL: "2s" });
  try {
    const page = await short.signIn();
    await short.nav(page, "Guides");
    await page.getByRole("link", { name: "New guide" }).click();
    await page.getByLabel("Title", { exact: true }).fill("Expired vs Renewed");
    await page.getByLabel("Category", { exact: true }).selectOption("backend");
    await page.getByLabel("Summary", { exact: true }).fill("Tokens come and go.");
    await page.getByLabel("Option 1", { exact: true }).selectOption("nodejs");
    await page.getByLabel("Option 2", { exact: true }).selectOption("django");
    await sleep(3000); // the access token is now stale: the save meets a 401, renews, and is sent again
    const saves = [];
    page.on("response", (r) => r.url().endsWith("/api/v1/admin/guides") && r.request().method() === "POST" && saves.push(r.status()));
    await page.getByRole("button", { name: "Save", exact: true }).click();
    await page.getByText("Saved revision 1.").waitFor();
    assert.deepEqual(saves, [401, 201]);
    await audit(page, "editor-renewed");
    await page.context().close();
  } finally {
    await short.stop();
  }
});
