// Browser tests of the guide editor, as an editor would use it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { start, audit, artifacts } from "./lib.mjs";

let h, editor;
before(async () => {
  h = await start();
  editor = await h.user("editor", "Eddie Editor");
});
after(async () => {
  await h?.stop();
});

const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==", "base64");
const focused = (page) => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.getAttribute("name"));

test("an editor builds a three-option guide, creating its category and a technology in place", async () => {
  const page = await h.signIn(editor);
  let actions = 0;
  // Every click, fill, pick or key press the editor makes counts as one action.
  const act = async (p) => {
    actions++;
    return p;
  };
  await act(h.nav(page, "Guides"));
  await act(page.getByRole("link", { name: "New guide" }).click());
  await act(page.getByLabel("Title", { exact: true }).fill("Bun vs Deno vs Node.js"));
  assert.equal(await page.getByLabel("Slug", { exact: true }).inputValue(), "bun-vs-deno-vs-nodejs");
  // Required fields are marked next to their labels.
  assert.equal(await page.locator(".label-row").filter({ hasText: "Title" }).locator(".req").count(), 1);

  // A new category, made without leaving the editor; its slug follows the name.
  await act(page.getByRole("button", { name: "New category" }).click());
  const cat = page.getByRole("group", { name: "New category" });
  await act(cat.getByLabel("Name").fill("JavaScript runtimes"));
  assert.equal(await cat.getByLabel("Slug").inputValue(), "javascript-runtimes");
  await act(cat.getByRole("button", { name: "Create category" }).click());
  await page.waitForFunction(() => document.querySelector("select[name=category]")?.value === "javascript-runtimes");

  await act(page.getByLabel("Summary", { exact: true }).fill("Three JavaScript runtimes, compared."));
  await act(page.getByLabel("Option 1", { exact: true }).selectOption("nodejs"));
  await act(page.getByRole("button", { name: "New technology for option 2" }).click());
  const tech = page.getByRole("group", { name: "New technology for option 2" });
  await act(tech.getByLabel("Name").fill("Deno"));
  await act(tech.getByRole("button", { name: "Create technology" }).click());
  await page.getByLabel("Option 2", { exact: true }).locator("option:checked", { hasText: "Deno" }).waitFor({ state: "attached" });
  await act(page.getByRole("button", { name: "Add option" }).click());
  // The new option's first field has focus.
  assert.equal(await page.evaluate(() => document.activeElement?.closest(".field")?.querySelector("label")?.textContent), "Option 3");
  await act(page.getByRole("button", { name: "New technology for option 3" }).click());
  const tech3 = page.getByRole("group", { name: "New technology for option 3" });
  await act(tech3.getByLabel("Name").fill("Bun"));
  await act(tech3.getByRole("button", { name: "Create technology" }).click());
  await page.getByLabel("Option 3", { exact: true }).locator("option:checked", { hasText: "Bun" }).waitFor({ state: "attached" });
  await act(page.getByLabel("Choose Node.js if… (one per line)").fill("You want the largest ecosystem"));
  await act(page.getByLabel("Choose Deno if… (one per line)").fill("You want security by default"));
  await act(page.getByLabel("Choose Bun if… (one per line)").fill("You want raw speed"));
  await act(page.getByRole("button", { name: "Add row" }).click());
  assert.equal(await focused(page), "Feature 1");
  await act(page.keyboard.type("Package manager"));
  await act(page.getByLabel("Package manager: Node.js").fill("npm"));
  await act(page.getByLabel("Package manager: Deno").fill("deno add"));
  await act(page.getByLabel("Package manager: Bun").fill("bun install"));
  await act(page.keyboard.press("Control+s"));
  await page.getByText("Saved revision 1.").waitFor();
  await act(page.getByRole("button", { name: "Publish", exact: true }).click());
  await page.getByText("Guide published.").waitFor();

  const pub = await h.api("/guides/bun-vs-deno-vs-nodejs", { token: null });
  assert.equal(pub.status, 200);
  assert.deepEqual(pub.body.options.map((o) => o.technology.name), ["Node.js", "Deno", "Bun"]);
  assert.equal(pub.body.category.slug, "javascript-runtimes");
  assert.deepEqual(pub.body.comparison.rows[0].values, ["npm", "deno add", "bun install"]);
  // The preview is the hosted page's rendering of the same document.
  await page.frameLocator("[data-testid=preview-frame]").getByText("You want raw speed").waitFor();
  await audit(page, "editor-three-options");
  writeFileSync(join(artifacts, "three-option-guide-actions.txt"), `${actions}\n`);
  console.log(`# actions to build and publish a three-option guide: ${actions}`);
  assert.ok(actions <= 30, `${actions} actions`);
  await page.context().close();
});

test("Markdown toolbar, help, and an image inserted with its alt text", async () => {
  const page = await h.signIn(editor);
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "New guide" }).click();
  const summary = page.getByLabel("Summary", { exact: true });
  await summary.fill("Fast and small.");
  await summary.evaluate((el) => el.setSelectionRange(0, 4));
  await page.getByRole("toolbar", { name: "Summary formatting" }).getByRole("button", { name: "Bold" }).click();
  assert.equal(await summary.inputValue(), "**Fast** and small.");
  await page.getByRole("toolbar", { name: "Summary formatting" }).getByRole("button", { name: "Image" }).click();
  const panel = page.getByRole("group", { name: "Insert an image" });
  await panel.locator("input[type=file]").setInputFiles({ name: "speed-chart.png", mimeType: "image/png", buffer: png });
  const alt = panel.getByLabel(/Alt text/);
  assert.equal(await alt.inputValue(), "speed chart");
  await alt.fill("Requests per second, Bun ahead");
  await panel.getByRole("button", { name: "Insert image" }).click();
  assert.match(await summary.inputValue(), /^\*\*Fast\*\* and small\.\n\n!\[Requests per second, Bun ahead\]\(\/media\/[0-9a-f]{64}\.png\)$/);
  await page.getByText("Markdown help").click();
  await page.getByText("always describe it").waitFor();
  await audit(page, "editor-markdown");
  await page.context().close();
});

test("keyboard reordering keeps focus on the moved row; drag and drop reorders; new rows take focus", async () => {
  const page = await h.signIn(editor);
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "New guide" }).click();
  for (const f of ["Alpha", "Beta", "Gamma"]) {
    await page.getByRole("button", { name: "Add row" }).click();
    await page.keyboard.type(f); // typed into the new row's first field, which took focus
  }
  const features = () => page.locator("#comparison tbody tr input[aria-label^='Feature']").evaluateAll((els) => els.map((e) => e.value));
  assert.deepEqual(await features(), ["Alpha", "Beta", "Gamma"]);

  await page.getByRole("button", { name: "Move row 1 down" }).focus();
  await page.keyboard.press("Enter");
  assert.deepEqual(await features(), ["Beta", "Alpha", "Gamma"]);
  assert.equal(await focused(page), "Move row 2 down");
  await page.keyboard.press("Enter");
  assert.deepEqual(await features(), ["Beta", "Gamma", "Alpha"]);
  assert.equal(await focused(page), "Move row 3 up"); // at the end: the arrow still enabled

  // Drag the last row's handle onto the first row.
  await page.locator("#comparison tbody tr").nth(2).locator(".handle").dragTo(page.locator("#comparison tbody tr").nth(0));
  assert.deepEqual(await features(), ["Alpha", "Beta", "Gamma"]);

  await page.getByRole("button", { name: "Add question" }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.closest(".field")?.querySelector("label")?.textContent), "Question 1");
  await audit(page, "editor-reorder");
  await page.context().close();
});

test("unsaved changes: leaving asks first, Ctrl+S saves, then leaving is free", async () => {
  const page = await h.signIn(editor);
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "Firebase vs Supabase" }).click();
  await page.waitForFunction(() => document.querySelector("input[name=title]")?.value === "Firebase vs Supabase");
  await page.getByLabel("SEO title", { exact: true }).fill("Firebase or Supabase?");
  await page.getByText("unsaved changes", { exact: false }).first().waitFor();
  await h.nav(page, "Guides");
  const ask = page.getByRole("alertdialog", { name: "Unsaved changes" });
  await ask.waitFor();
  await audit(page, "editor-unsaved");
  await ask.getByRole("button", { name: "Stay" }).click();
  assert.equal(await page.getByLabel("SEO title", { exact: true }).inputValue(), "Firebase or Supabase?");
  // The save bar stays in view at the bottom of the form.
  await page.getByRole("button", { name: "Add FAQ" }).scrollIntoViewIfNeeded();
  assert.ok(await page.getByRole("button", { name: "Save", exact: true }).isVisible());
  await page.keyboard.press("Control+s");
  await page.getByText(/Saved revision \d+\./).waitFor();
  await h.nav(page, "Guides");
  await page.getByRole("heading", { name: "Guides", level: 1 }).waitFor();
  await page.context().close();
});

test("a schedule shows when, in the user's timezone, and can be cancelled", async () => {
  const page = await h.signIn(editor); // the browser runs in Europe/Paris
  await h.nav(page, "Guides");
  await page.getByRole("link", { name: "New guide" }).click();
  await page.getByLabel("Title", { exact: true }).fill("Later vs Sooner");
  await page.getByLabel("Category", { exact: true }).selectOption("backend");
  await page.getByLabel("Summary", { exact: true }).fill("Timing.");
  await page.getByLabel("Option 1", { exact: true }).selectOption("nodejs");
  await page.getByLabel("Option 2", { exact: true }).selectOption("django");
  await page.keyboard.press("Control+s");
  await page.getByText("Saved revision 1.").waitFor();
  assert.match(await page.locator("label[for=publish-at]").innerText(), /Europe\/Paris/);
  await page.getByLabel(/Publish at/).fill("2030-01-15T10:00");
  await page.getByRole("button", { name: "Schedule", exact: true }).click();
  const when = page.getByTestId("schedule").locator("time");
  await when.waitFor();
  assert.equal(await when.getAttribute("datetime"), "2030-01-15T09:00:00Z"); // 10:00 in Paris is 09:00 UTC
  assert.match(await when.innerText(), /10:00.*GMT\+1|10:00.*CET/);
  await audit(page, "editor-scheduled");
  await page.getByRole("button", { name: "Cancel schedule" }).click();
  await page.getByText("Schedule cancelled; the guide is draft.").waitFor();
  const list = await h.api("/admin/guides?q=Later");
  assert.equal(list.body.data[0].status, "draft");
  assert.equal(list.body.data[0].scheduled_at, null);
  await page.context().close();
});

test("guides are duplicated and deleted from the list; a linked guide's delete says where it is linked", async () => {
  const page = await h.signIn(editor);
  page.on("dialog", (d) => d.accept());
  await h.nav(page, "Guides");
  await page.getByRole("button", { name: "Duplicate Firebase vs Supabase" }).click();
  await page.waitForFunction(() => document.querySelector("input[name=title]")?.value === "Firebase vs Supabase (copy)");
  assert.equal(await page.getByLabel("Slug", { exact: true }).inputValue(), "firebase-vs-supabase-copy");
  await h.nav(page, "Guides");
  await page.getByRole("button", { name: "Delete Firebase vs Supabase (copy)" }).click();
  await page.getByRole("status").filter({ hasText: "Deleted “Firebase vs Supabase (copy)”." }).waitFor();
  assert.equal((await h.api("/admin/guides?q=copy")).body.data.length, 0);
  // The original is linked from another guide: refused, and the alert names it.
  await page.getByRole("button", { name: "Delete Firebase vs Supabase", exact: true }).click();
  const alert = page.locator(".notice.error");
  await alert.filter({ hasText: "Linked from:" }).waitFor();
  await audit(page, "guides-delete-refused");
  await page.context().close();
});
