// Verdict decision widget, v1. <verdict-decision guide="slug"> is a guide's
// checklist as a quiz with a live recommendation and the consultation form;
// <verdict-consult guide="slug"> is the form alone. No dependencies; every
// element renders in its own shadow root, so several can share a page.
// Theme with --verdict-* custom properties and ::part(); see the README.
const ORIGIN = new URL(import.meta.url).origin;

const EN = {
  loading: "Loading…",
  blocked: "This site cannot reach Verdict at {api}. If you run this site, add {origin} to VERDICT_CORS_ORIGINS.",
  notFound: "This guide is not published.",
  failed: "Something went wrong. Please try again.",
  quiz: "Answer a few questions",
  answerFirst: "Answer a question to see which option fits you best.",
  tie: "It's a tie between {names}.",
  leans: "Leaning: {name}",
  why: "Why",
  share: "{name}: {pct}%",
  yourAnswer: "Your answer",
  formTitle: "Need help deciding?",
  name: "Name", email: "Work email", company: "Company (optional)", project: "Tell us about your project",
  consent: "I agree to be contacted about this request.",
  honeypot: "Leave this field empty",
  send: "Request a consultation", sending: "Sending…",
  fix: "Please correct the highlighted fields.",
  thanks: "Thank you! Your reference is {ref}. We'll be in touch soon.",
};

const CSS = `:host{display:block;font:inherit;color:var(--verdict-ink,inherit);--a:var(--verdict-accent,#3b5bdb);--l:var(--verdict-line,#d0d7de);--r:var(--verdict-radius,10px)}
*{box-sizing:border-box}
.box{border:1px solid var(--l);border-radius:var(--r);padding:1rem;background:var(--verdict-bg,transparent)}
fieldset{border:0;margin:0 0 1rem;padding:0}legend{font-weight:600;margin-bottom:.35rem;padding:0}
.help{margin:.1rem 0 .4rem;color:var(--verdict-muted,#57606a);font-size:.9em}
.choices{display:flex;flex-wrap:wrap;gap:.4rem}
.choices label{display:inline-flex;align-items:center;gap:.35rem;border:1px solid var(--l);border-radius:2rem;padding:.3rem .75rem;cursor:pointer}
.choices label:has(input:checked){border-color:var(--a);box-shadow:inset 0 0 0 1px var(--a)}
input:focus-visible,textarea:focus-visible,button:focus-visible{outline:3px solid var(--a);outline-offset:2px}
.result{margin:1rem 0;padding:1rem;border-radius:var(--r);background:var(--verdict-panel,#f6f8fa)}
.result h3,.form h3{margin:0 0 .5rem;font-size:1.15em}
.bar{display:flex;align-items:center;gap:.5rem;margin:.25rem 0}.bar span{min-width:7rem}
meter{flex:1;height:.8rem}
.form label.f{display:block;margin:.6rem 0 .2rem;font-weight:600}
.form input[type=text],.form input[type=email],.form textarea{width:100%;font:inherit;padding:.5rem;border:1px solid var(--l);border-radius:calc(var(--r)/2)}
.form [aria-invalid=true]{border-color:#c92a2a}
.err{color:#c92a2a;font-size:.9em;margin:.2rem 0 0}
.consent{display:flex;gap:.5rem;align-items:flex-start;margin:.75rem 0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button{font:inherit;font-weight:600;background:var(--a);color:var(--verdict-on-accent,#fff);border:0;border-radius:var(--r);padding:.65rem 1.1rem;cursor:pointer}
button[disabled]{opacity:.6}
.alert{border:1px solid #c92a2a;background:#fff5f5;color:#8a1c1c;border-radius:var(--r);padding:.75rem}
.ok{border:1px solid #2b8a3e;background:#ebfbee;color:#1b5e20;border-radius:var(--r);padding:.75rem}`;

let seq = 0, sheet = null;

// track sends a funnel event as a beacon: it never delays the page, and as
// text/plain it needs no CORS preflight. No cookie, nothing stored here.
// Each step is sent once per guide per page load, whichever element or link
// causes it, so a step counts readers who reached it.
const SENT = new Set();
function track(api, type, guide) {
  if (!guide || !navigator.sendBeacon || SENT.has(type + " " + guide)) return;
  SENT.add(type + " " + guide);
  const params = new URLSearchParams(location.search), ev = { type, guide, referrer: document.referrer.slice(0, 2000) };
  for (const k of ["source", "medium", "campaign", "term", "content"]) if (params.get("utm_" + k)) ev["utm_" + k] = params.get("utm_" + k).slice(0, 200);
  try { navigator.sendBeacon(api + "/api/v1/events", JSON.stringify({ events: [ev] })); } catch { /* counting never breaks the page */ }
}

// A hosted guide page (/g/{slug}) names its guide in a meta tag: its view is
// counted here, and clicks on its call to action.
const PAGE = document.querySelector('meta[name="verdict-guide"]')?.content || "";
if (PAGE) {
  track(ORIGIN, "view", PAGE);
  document.addEventListener("click", (e) => {
    const a = e.target.closest && e.target.closest("[data-verdict-cta]");
    if (a) track(ORIGIN, "cta_click", a.dataset.verdictCta);
  });
}

// h builds an element: h("p", {part: "x"}, "text", child).
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid != null) el.append(kid);
  return el;
}

const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (_, k) => vars[k] ?? "");

class VerdictError extends Error {
  constructor(message, status, problem) { super(message); this.status = status; this.problem = problem; }
}

class Base extends HTMLElement {
  connectedCallback() {
    if (this.root) return;
    this.uid = "v" + ++seq;
    // el.strings = {send: "Envoyer", …} overrides the English text.
    this.t = { ...EN, ...(this.strings || {}) };
    this.api = (this.getAttribute("api") || ORIGIN).replace(/\/+$/, "");
    this.slug = this.getAttribute("guide") || "";
    this.root = this.attachShadow({ mode: "open" });
    // A constructed sheet is not inline CSS, so pages with a strict
    // Content-Security-Policy (style-src 'self') still style the widget.
    if (this.root.adoptedStyleSheets && window.CSSStyleSheet && "replaceSync" in CSSStyleSheet.prototype) {
      sheet = sheet || new CSSStyleSheet();
      if (!sheet.cssRules.length) sheet.replaceSync(CSS);
      this.root.adoptedStyleSheets = [sheet];
    } else this.root.append(h("style", { text: CSS }));
    this.box = h("div", { class: "box", part: "container" });
    this.root.append(this.box);
    this.start();
  }

  async call(method, path, body, headers) {
    let res;
    try {
      res = await fetch(this.api + path, {
        method, mode: "cors", credentials: "omit",
        headers: body ? { "Content-Type": "application/json", ...headers } : headers,
        body: body ? JSON.stringify(body) : undefined,
      });
    } catch {
      // A refused CORS check and a network failure look alike to scripts.
      throw new VerdictError(fill(this.t.blocked, { api: this.api, origin: location.origin }), 0);
    }
    let data = null;
    try { data = await res.json(); } catch { /* an empty or non-JSON body */ }
    if (!res.ok) throw new VerdictError((data && (data.detail || data.title)) || this.t.failed, res.status, data);
    return data;
  }

  once(type) { track(this.api, type, this.slug); }

  fail(err) {
    this.box.replaceChildren(h("p", { class: "alert", role: "alert", part: "error", text: err.status === 404 ? this.t.notFound : err.message }));
    this.dispatchEvent(new CustomEvent("verdict-error", { detail: { status: err.status, message: err.message }, bubbles: true, composed: true }));
  }

  // form builds the consultation form; answers() supplies the quiz answers.
  form(answers) {
    const t = this.t, id = (n) => `${this.uid}-${n}`;
    const field = (name, label, input) => h("div", { part: "field" },
      h("label", { class: "f", for: id(name), text: label }), input,
      h("p", { class: "err", id: id(name + "-err"), part: "field-error", hidden: true }));
    const status = h("div", { "aria-live": "polite", part: "status" });
    const send = h("button", { type: "submit", part: "submit", text: t.send });
    const f = h("form", { class: "form", part: "form", novalidate: true, "aria-labelledby": id("ft") },
      this.ctaHeading ? h("p", { part: "cta-heading", text: this.ctaHeading }) : null,
      h("h3", { id: id("ft"), part: "form-title", text: this.ctaTitle || t.formTitle }),
      this.ctaText ? h("p", { part: "cta-text", text: this.ctaText }) : null,
      field("name", t.name, h("input", { type: "text", id: id("name"), name: "name", autocomplete: "name", required: true })),
      field("email", t.email, h("input", { type: "email", id: id("email"), name: "email", autocomplete: "email", required: true })),
      field("company", t.company, h("input", { type: "text", id: id("company"), name: "company", autocomplete: "organization" })),
      field("project_description", t.project, h("textarea", { id: id("project_description"), name: "project_description", rows: 4, required: true })),
      h("div", { class: "hp", "aria-hidden": "true" }, h("label", { for: id("website"), text: t.honeypot }),
        h("input", { type: "text", id: id("website"), name: "website", tabindex: "-1", autocomplete: "off" })),
      h("div", { part: "field" }, h("div", { class: "consent" }, h("input", { type: "checkbox", id: id("consent"), name: "consent", required: true }),
        h("label", { for: id("consent"), text: t.consent })), h("p", { class: "err", id: id("consent-err"), part: "field-error", hidden: true })),
      send, status);
    f.addEventListener("focusin", () => this.once("cta_click"));
    let lastBody = "", key = "";
    f.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const v = (n) => f.elements[n].value;
      const params = new URLSearchParams(location.search);
      const body = {
        name: v("name"), email: v("email"), company: v("company"), project_description: v("project_description"),
        consent: f.elements.consent.checked, website: v("website"), referrer: location.href.slice(0, 2000),
      };
      for (const k of ["source", "medium", "campaign", "term", "content"]) if (params.get("utm_" + k)) body["utm_" + k] = params.get("utm_" + k).slice(0, 200);
      if (this.slug) { body.guide = this.slug; const a = answers ? answers() : {}; if (Object.keys(a).length) body.answers = a; }
      // The same body retried keeps its key, so a lost response is not a second lead.
      const json = JSON.stringify(body);
      if (json !== lastBody) { lastBody = json; key = crypto.randomUUID(); }
      for (const p of f.querySelectorAll(".err")) { p.hidden = true; p.textContent = ""; }
      for (const el of f.querySelectorAll("[aria-invalid]")) { el.removeAttribute("aria-invalid"); el.removeAttribute("aria-describedby"); }
      send.disabled = true; send.textContent = t.sending; status.replaceChildren();
      try {
        const r = await this.call("POST", "/api/v1/consultations", body, { "Idempotency-Key": key });
        f.replaceWith(h("p", { class: "ok", role: "status", part: "success", text: fill(t.thanks, { ref: r.reference }) }));
        this.dispatchEvent(new CustomEvent("verdict-submitted", { detail: { reference: r.reference }, bubbles: true, composed: true }));
      } catch (err) {
        send.disabled = false; send.textContent = t.send;
        const errs = (err.problem && err.problem.errors) || [];
        let first = null;
        for (const e of errs) {
          const name = e.field.startsWith("answers") ? null : e.field;
          const input = name && f.elements[name];
          if (!input || !(input instanceof Element)) continue;
          const p = this.root.getElementById(id(name + "-err"));
          p.textContent = e.message; p.hidden = false;
          input.setAttribute("aria-invalid", "true"); input.setAttribute("aria-describedby", p.id);
          first = first || input;
        }
        status.replaceChildren(h("p", { class: "alert", role: "alert", part: "error", text: first ? t.fix : err.message }));
        if (first) first.focus();
      }
    });
    return f;
  }
}

class VerdictConsult extends Base {
  start() { this.box.replaceChildren(this.form(null)); }
}

class VerdictDecision extends Base {
  async start() {
    this.box.replaceChildren(h("p", { role: "status", text: this.t.loading }));
    let g;
    try { g = await this.call("GET", "/api/v1/guides/" + encodeURIComponent(this.slug)); } catch (err) { return this.fail(err); }
    this.guide = g;
    this.once("view"); // on its hosted page, already counted by the page
    const cta = g.call_to_action || {};
    this.ctaHeading = cta.heading; this.ctaTitle = cta.title; this.ctaText = cta.text;
    const qs = (g.checklist && g.checklist.questions) || [];
    const quiz = h("form", { part: "quiz", "aria-label": this.t.quiz, onchange: () => this.changed(), oninput: () => this.changed(), onsubmit: (e) => e.preventDefault() });
    qs.forEach((q, i) => quiz.append(this.question(q, i)));
    this.result = h("div", { class: "result", part: "result", "aria-live": "polite" }, h("p", { text: this.t.answerFirst }));
    this.quiz = quiz;
    this.box.replaceChildren(quiz, this.result, this.form(() => this.answers(true)));
  }

  question(q, i) {
    const name = `${this.uid}-q-${q.id}`;
    const fs = h("fieldset", { part: "question", "data-q": q.id, "data-kind": q.kind || "open" },
      h("legend", { text: `${i + 1}. ${q.text}` }), q.help ? h("p", { class: "help", text: q.help }) : null);
    if (!q.kind) {
      fs.append(h("label", { class: "f", for: name, text: this.t.yourAnswer }), h("textarea", { id: name, name, rows: 2, part: "answer" }));
      return fs;
    }
    const type = q.kind === "multiple" ? "checkbox" : "radio";
    fs.append(h("div", { class: "choices", part: "choices" }, (q.choices || []).map((c) =>
      h("label", { part: "choice" }, h("input", { type, name, value: c.id }), c.label))));
    return fs;
  }

  // answers maps question IDs to choice IDs (a list for multiple choice);
  // with open set, text answers of open questions are included too.
  answers(open) {
    const out = {};
    for (const fs of this.quiz.querySelectorAll("fieldset")) {
      const q = fs.dataset.q, kind = fs.dataset.kind;
      if (kind === "open") {
        const v = fs.querySelector("textarea").value.trim();
        if (open && v) out[q] = v;
        continue;
      }
      const picked = [...fs.querySelectorAll("input:checked")].map((i) => i.value);
      if (picked.length) out[q] = kind === "multiple" ? picked : picked[0];
    }
    return out;
  }

  changed() {
    this.once("checklist_start");
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.recommend(), 150);
  }

  async recommend() {
    const answers = this.answers(false);
    if (!Object.keys(answers).length) { this.result.replaceChildren(h("p", { text: this.t.answerFirst })); return; }
    const n = (this.asked = (this.asked || 0) + 1);
    let r;
    try { r = await this.call("POST", `/api/v1/guides/${encodeURIComponent(this.slug)}/recommendation`, { answers }); } catch (err) {
      this.result.replaceChildren(h("p", { class: "alert", role: "alert", part: "error", text: err.message }));
      return;
    }
    if (n !== this.asked) return; // a newer answer is on its way
    const t = this.t, top = r.options.filter((o) => o.rank === 1);
    const head = r.tie ? fill(t.tie, { names: top.map((o) => o.technology.name).join(" & ") }) : fill(t.leans, { name: r.options[0].technology.name });
    const reasons = r.tie ? [] : r.options[0].reasons.filter((x) => x.weight > 0);
    this.result.replaceChildren(
      h("h3", { part: "leaning", text: head }),
      ...r.options.map((o) => {
        const pct = Math.round(o.share * 100);
        return h("div", { class: "bar", part: "score" }, h("span", { text: o.technology.name }),
          h("meter", { min: 0, max: 100, value: pct, "aria-label": fill(t.share, { name: o.technology.name, pct }) }), h("b", { text: pct + "%" }));
      }),
      reasons.length ? h("p", { part: "why-title" }, h("strong", { text: t.why })) : null,
      reasons.length ? h("ul", { part: "reasons" }, reasons.map((x) => h("li", { text: x.supports || x.short }))) : null);
    this.once("recommendation");
    this.dispatchEvent(new CustomEvent("verdict-recommendation", { detail: r, bubbles: true, composed: true }));
  }
}

if (!customElements.get("verdict-decision")) customElements.define("verdict-decision", VerdictDecision);
if (!customElements.get("verdict-consult")) customElements.define("verdict-consult", VerdictConsult);
