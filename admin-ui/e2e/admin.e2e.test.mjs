// End-to-end tests: a real verdict binary on a temporary SQLite database,
// driven through Debian's Chromium with playwright-core (harness in lib.mjs).
//
//   VERDICT_BIN=../bin/verdict node --test e2e/
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { start, audit } from "./lib.mjs";

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
  const preview = page.getByRole("article", { name: "Preview" });
  assert.match(await preview.innerText(), /Choose Node\.js if\.\.\.[\s\S]*Side-by-Side Comparison[\s\S]*JavaScript/);
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
