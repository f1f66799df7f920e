// Webhooks: endpoints that receive signed events, their delivery log, and
// redelivery. The signing secret is shown once, when an endpoint is created.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState, type FormEvent } from "react";
import type { Schemas } from "../sdk";
import { ApiError } from "../api";
import { TextField } from "../components/Field";
import { useCursorList } from "../api/lists";
import { ListFooter } from "../components/ListFooter";
import { When } from "../components/When";
import { Done, ErrorNote, Once, ok, useSdk } from "./kit";

type Webhook = Schemas["Webhook"];
type Delivery = Schemas["Delivery"];

export const EVENTS: { id: string; label: string }[] = [
  { id: "guide.published", label: "A guide is published" },
  { id: "guide.unpublished", label: "A guide is unpublished" },
  { id: "guide.deleted", label: "A guide is deleted" },
  { id: "lead.created", label: "A lead comes in" },
  { id: "lead.status_changed", label: "A lead's status changes" },
];

type Form = { url: string; description: string; events: string[]; active: boolean };
const blank: Form = { url: "", description: "", events: ["guide.published"], active: true };

export function Webhooks() {
  const sdk = useSdk();
  const qc = useQueryClient();
  const hooks = useQuery({ queryKey: ["webhooks"], queryFn: () => ok(sdk.GET("/api/v1/admin/webhooks")) });
  const [editing, setEditing] = useState<Webhook | "new" | null>(null);
  const [secret, setSecret] = useState("");
  const [shown, setShown] = useState<string>("");
  const [message, setMessage] = useState("");

  const remove = useMutation({
    mutationFn: (w: Webhook) => ok(sdk.DELETE("/api/v1/admin/webhooks/{id}", { params: { path: { id: w.id } } })),
    onSuccess: (_, w) => {
      setMessage(`Deleted the webhook to ${w.url}.`);
      if (shown === w.id) setShown("");
      qc.invalidateQueries({ queryKey: ["webhooks"] });
    },
  });

  return (
    <section>
      <div className="page-head">
        <h1>Webhooks</h1>
        <button type="button" className="primary" onClick={() => { setEditing("new"); setMessage(""); }}>New webhook</button>
      </div>
      <p className="muted">Verdict POSTs signed JSON events to these URLs. Verify <code>Verdict-Signature</code> with the endpoint's secret.</p>
      <Done>{message}</Done>
      <ErrorNote error={hooks.error || remove.error} />
      {secret && <Once label="The signing secret:" value={secret} onDismiss={() => setSecret("")} />}
      {editing && (
        <WebhookForm
          key={editing === "new" ? "new" : editing.id}
          hook={editing === "new" ? null : editing}
          onDone={(w, created) => {
            setEditing(null);
            if (created && w.secret) setSecret(w.secret);
            setMessage(created ? `Created the webhook to ${w.url}.` : `Saved the webhook to ${w.url}.`);
            qc.invalidateQueries({ queryKey: ["webhooks"] });
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      {hooks.data && (hooks.data.data.length === 0 ? <p>No webhooks yet.</p> : (
        <table>
          <caption className="sr-only">Webhooks</caption>
          <thead><tr><th scope="col">URL</th><th scope="col">Events</th><th scope="col">Active</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {hooks.data.data.map((w) => (
              <tr key={w.id} className={shown === w.id ? "selected" : undefined}>
                <td>{w.url}{w.description && <><br /><small className="muted">{w.description}</small></>}</td>
                <td>{w.events.join(", ")}</td>
                <td>{w.active ? "yes" : "no"}</td>
                <td><When at={w.created_at} /></td>
                <td><div className="actions">
                  <button type="button" aria-label={`Deliveries of ${w.url}`} aria-pressed={shown === w.id} onClick={() => setShown(shown === w.id ? "" : w.id)}>Deliveries</button>
                  <button type="button" aria-label={`Edit ${w.url}`} onClick={() => { setEditing(w); setMessage(""); }}>Edit</button>
                  <button type="button" className="danger" aria-label={`Delete ${w.url}`}
                    onClick={() => window.confirm(`Delete the webhook to ${w.url}? Its delivery log goes with it.`) && remove.mutate(w)}>Delete</button>
                </div></td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {shown && hooks.data?.data.some((w) => w.id === shown) && <Deliveries hook={hooks.data.data.find((w) => w.id === shown)!} />}
    </section>
  );
}

function WebhookForm({ hook, onDone, onCancel }: { hook: Webhook | null; onDone: (w: Webhook, created: boolean) => void; onCancel: () => void }) {
  const sdk = useSdk();
  const [f, setF] = useState<Form>(hook ? { url: hook.url, description: hook.description, events: hook.events, active: hook.active } : blank);
  const save = useMutation({
    mutationFn: (body: Form) => hook
      ? ok(sdk.PUT("/api/v1/admin/webhooks/{id}", { params: { path: { id: hook.id } }, body, headers: { "If-Match": `"${hook.version}"` } }))
      : ok(sdk.POST("/api/v1/admin/webhooks", { body })),
    onSuccess: (w) => onDone(w, !hook),
  });
  const fields = save.error instanceof ApiError ? save.error.fields() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(f);
  };
  const toggle = (id: string, on: boolean) => setF({ ...f, events: on ? [...f.events, id] : f.events.filter((x) => x !== id) });
  return (
    <form className="panel" aria-label={hook ? "Edit webhook" : "New webhook"} onSubmit={submit} noValidate>
      <h2>{hook ? "Edit webhook" : "New webhook"}</h2>
      <TextField label="URL" type="url" required value={f.url} onChange={(url) => setF({ ...f, url })} error={fields.url} hint="https://… (loopback and private addresses only when the server allows them)" />
      <TextField label="Description" value={f.description} onChange={(description) => setF({ ...f, description })} error={fields.description} />
      <fieldset aria-describedby={fields.events ? "events-error" : undefined}>
        <legend>Events</legend>
        {EVENTS.map((ev) => (
          <label key={ev.id} className="check">
            <input type="checkbox" checked={f.events.includes(ev.id)} onChange={(e) => toggle(ev.id, e.target.checked)} />
            {ev.label} <code>{ev.id}</code>
          </label>
        ))}
        {fields.events && <small id="events-error" className="error">{fields.events}</small>}
      </fieldset>
      <label className="check"><input type="checkbox" checked={f.active} onChange={(e) => setF({ ...f, active: e.target.checked })} /> Active</label>
      <ErrorNote error={save.error} />
      <p className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>{hook ? "Save webhook" : "Create webhook"}</button>
        <button type="button" onClick={onCancel}>Cancel</button>
      </p>
    </form>
  );
}

function Deliveries({ hook }: { hook: Webhook }) {
  const sdk = useSdk();
  const qc = useQueryClient();
  const [message, setMessage] = useState("");
  // Deliveries arrive in the background: poll while the log is open.
  const list = useCursorList<Delivery>(["webhooks", hook.id, "deliveries"], (cursor) =>
    ok(sdk.GET("/api/v1/admin/webhooks/{id}/deliveries", { params: { path: { id: hook.id }, query: { cursor, limit: "20" } } })));
  const { refetch } = list;
  useEffect(() => {
    const t = setInterval(() => refetch(), 2000);
    return () => clearInterval(t);
  }, [refetch]);
  const redeliver = useMutation({
    mutationFn: (d: Delivery) => ok(sdk.POST("/api/v1/admin/webhooks/{id}/deliveries/{delivery}/redeliver", { params: { path: { id: hook.id, delivery: d.id } }, parseAs: "text" })), // 202 "Accepted"
    onSuccess: () => {
      setMessage("Redelivery queued.");
      qc.invalidateQueries({ queryKey: ["webhooks", hook.id, "deliveries"] });
    },
  });
  return (
    <section className="panel" aria-label="Delivery log">
      <h2>Deliveries to {hook.url}</h2>
      <Done>{message}</Done>
      <ErrorNote error={list.error || redeliver.error} />
      {list.items.length === 0 ? <p>{list.loading ? "Loading…" : "No deliveries yet."}</p> : (
        <table>
          <caption className="sr-only">Deliveries</caption>
          <thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col">Result</th><th scope="col">Time taken</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {list.items.map((d) => {
              const good = d.status_code >= 200 && d.status_code < 300;
              return (
                <tr key={d.id} data-testid="delivery">
                  <td><When at={d.created_at} /></td>
                  <td>{d.event}</td>
                  <td className={good ? "status-ok" : "status-bad"}>{d.status_code ? `HTTP ${d.status_code}` : "no answer"}{d.error && ` — ${d.error}`}</td>
                  <td>{d.duration_ms} ms</td>
                  <td><button type="button" aria-label={`Redeliver ${d.event} of ${new Date(d.created_at).toISOString()}`} onClick={() => redeliver.mutate(d)}>Redeliver</button></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <ListFooter list={list} noun="deliveries" />
    </section>
  );
}
