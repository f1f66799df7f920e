package httpapi

import (
	"crypto/sha256"
	"encoding/base64"

	"github.com/gofiber/fiber/v2"
)

// docsScript renders the OpenAPI description as an interactive page: every
// operation with a form to try it against this server. It is inline and
// allowed by its hash, so the page needs no outside script and a strict CSP.
const docsScript = `
const $ = (t, a = {}, ...kids) => { const e = Object.assign(document.createElement(t), a); e.append(...kids); return e; };
fetch("/api/openapi.json").then(r => r.json()).then(spec => {
  const root = document.getElementById("ops");
  const token = $("input", { id: "token", placeholder: "Bearer token (optional)", size: 60 });
  root.append($("label", {}, "Authorization ", token));
  const byTag = {};
  for (const [path, item] of Object.entries(spec.paths))
    for (const [method, op] of Object.entries(item)) (byTag[op.tags[0]] ??= []).push({ path, method, op });
  for (const [tag, ops] of Object.entries(byTag)) {
    root.append($("h2", {}, tag));
    for (const { path, method, op } of ops) {
      const out = $("pre");
      const inputs = (op.parameters || []).map(p => [p, $("input", { placeholder: p.name + " (" + p.in + ")" })]);
      const body = op.requestBody ? $("textarea", { rows: 6, cols: 80, placeholder: "JSON body" }) : null;
      const send = $("button", { type: "submit" }, "Send");
      const form = $("form", {}, ...inputs.map(([, i]) => i), ...(body ? [$("br"), body] : []), $("br"), send);
      form.onsubmit = async ev => {
        ev.preventDefault();
        let url = path; const q = new URLSearchParams();
        for (const [p, i] of inputs) if (i.value) p.in === "path" ? url = url.replace("{" + p.name + "}", encodeURIComponent(i.value)) : q.set(p.name, i.value);
        const headers = {}; if (token.value) headers.Authorization = "Bearer " + token.value; if (body) headers["Content-Type"] = "application/json";
        const r = await fetch(url + (q.size ? "?" + q : ""), { method: method.toUpperCase(), headers, body: body ? body.value : undefined });
        const text = await r.text();
        try { out.textContent = r.status + "\n" + JSON.stringify(JSON.parse(text), null, 2); } catch { out.textContent = r.status + "\n" + text; }
      };
      root.append($("details", {}, $("summary", {}, $("code", {}, method.toUpperCase() + " " + path), " " + op.summary,
        op["x-roles"] ? " [" + op["x-roles"].join(", ") + "]" : ""), form, out));
    }
  }
});`

var docsPage = []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Verdict API</title>
<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}summary{cursor:pointer;margin:.3rem 0}
code{font-weight:600}pre{background:#f6f7f9;padding:.5rem;overflow:auto}input,textarea{font:inherit;margin:.2rem}</style></head>
<body><h1>Verdict API</h1><p>The machine-readable description is <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
<div id="ops"></div><script>` + docsScript + `</script></body></html>`)

var docsCSP = func() string {
	sum := sha256.Sum256([]byte(docsScript))
	return "default-src 'none'; script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) +
		"'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'"
}()

func (a *API) handleDocs(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentSecurityPolicy, docsCSP)
	c.Type("html", "utf-8")
	return c.Send(docsPage)
}
