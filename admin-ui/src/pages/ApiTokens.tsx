// API tokens: opaque bearer tokens for sites that read content (and, with
// content:preview, drafts). The token is shown once, when created.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { Select, TextField } from "../components/Field";
import type { Schemas } from "../sdk";
import { When } from "../components/When";
import { Done, ErrorNote, Once, ok, useSdk, useUserNames } from "./kit";

type Token = Schemas["ApiToken"];

const SCOPES = [
  { value: "content:read", label: "content:read — published content" },
  { value: "content:preview", label: "content:preview — published content and drafts" },
];

export function ApiTokens() {
  const sdk = useSdk();
  const qc = useQueryClient();
  const owner = useUserNames();
  const tokens = useQuery({ queryKey: ["api-tokens"], queryFn: () => ok(sdk.GET("/api/v1/admin/api-tokens")) });
  const [secret, setSecret] = useState("");
  const [message, setMessage] = useState("");
  const [form, setForm] = useState({ name: "", scope: "content:read", expires: "" });

  const create = useMutation({
    mutationFn: () => ok(sdk.POST("/api/v1/admin/api-tokens", {
      // A date means the end of that day in the user's timezone.
      body: { name: form.name, scope: form.scope, expires_at: form.expires ? new Date(form.expires + "T23:59:59").toISOString() : null },
    })),
    onSuccess: (t) => {
      setSecret(t.token ?? "");
      setMessage(`Created the token “${t.name}”.`);
      setForm({ name: "", scope: "content:read", expires: "" });
      qc.invalidateQueries({ queryKey: ["api-tokens"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (t: Token) => ok(sdk.DELETE("/api/v1/admin/api-tokens/{id}", { params: { path: { id: t.id } } })),
    onSuccess: (_, t) => {
      setMessage(`Revoked the token “${t.name}”.`);
      qc.invalidateQueries({ queryKey: ["api-tokens"] });
    },
  });
  const fields = create.error instanceof ApiError ? create.error.fields() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMessage("");
    create.mutate();
  };
  const state = (t: Token) => t.revoked_at ? "revoked"
    : t.expires_at && new Date(t.expires_at) < new Date() ? "expired"
    : t.creator_disabled ? "stopped: its owner is disabled" : "active";

  return (
    <section>
      <h1>API tokens</h1>
      <p className="muted">Send one as <code>Authorization: Bearer vdt_…</code> to the public API.</p>
      <form className="panel" aria-label="New API token" onSubmit={submit} noValidate>
        <h2>New token</h2>
        <div className="form-row">
          <TextField label="Name" required value={form.name} onChange={(name) => setForm({ ...form, name })} error={fields.name} hint="Who uses it, e.g. “marketing site”" />
          <Select label="Scope" value={form.scope} onChange={(scope) => setForm({ ...form, scope })} options={SCOPES} error={fields.scope} />
          <TextField label="Expires on" type="date" value={form.expires} onChange={(expires) => setForm({ ...form, expires })} error={fields.expires_at} hint="Empty: never" />
        </div>
        <ErrorNote error={create.error} />
        <button type="submit" className="primary" disabled={create.isPending}>Create token</button>
      </form>
      <Done>{message}</Done>
      <ErrorNote error={tokens.error || revoke.error} />
      {secret && <Once label="The new token:" value={secret} onDismiss={() => setSecret("")} />}
      {tokens.data && (tokens.data.data.length === 0 ? <p>No tokens yet.</p> : (
        <table>
          <caption className="sr-only">API tokens</caption>
          <thead><tr><th scope="col">Name</th><th scope="col">Scope</th><th scope="col">Starts with</th><th scope="col">Owner</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Last used</th><th scope="col">State</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {tokens.data.data.map((t) => (
              <tr key={t.id} data-testid="token">
                <td>{t.name}</td>
                <td>{t.scope}</td>
                <td><code>{t.prefix}…</code></td>
                <td>{owner(t.created_by_id)}</td>
                <td><When at={t.created_at} /></td>
                <td>{t.expires_at ? <When at={t.expires_at} /> : "never"}</td>
                <td data-testid="last-used">{t.last_used_at ? <When at={t.last_used_at} /> : "never"}</td>
                <td>{state(t)}{t.revoked_at && <> <When at={t.revoked_at} /></>}</td>
                <td>{!t.revoked_at && (
                  <button type="button" className="danger" aria-label={`Revoke ${t.name}`}
                    onClick={() => window.confirm(`Revoke “${t.name}”? Sites using it stop working at once.`) && revoke.mutate(t)}>Revoke</button>
                )}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </section>
  );
}
