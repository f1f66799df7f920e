// The signed-in user's account: change their own password. The server
// signs out every other session and answers with a fresh token pair, which
// this tab keeps, so only this tab stays signed in.
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError } from "../api";
import { useAuth } from "../auth";
import { TextField } from "../components/Field";
import { Done, ErrorNote, ok, useSdk } from "./kit";

export function Account() {
  const { user, api } = useAuth();
  const sdk = useSdk();
  const [f, setF] = useState({ current: "", next: "", again: "" });
  const [mismatch, setMismatch] = useState("");
  const change = useMutation({
    mutationFn: () => ok(sdk.POST("/api/v1/auth/password", { body: { current_password: f.current, new_password: f.next } })),
    onSuccess: (t) => {
      api.session.set(t);
      setF({ current: "", next: "", again: "" });
    },
  });
  const fields = change.error instanceof ApiError ? change.error.fields() : {};
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.reset();
    if (f.next !== f.again) {
      setMismatch("The two new passwords differ.");
      document.getElementById("password-again")?.focus();
      return;
    }
    setMismatch("");
    change.mutate(undefined, {
      onError: (err) => {
        // Focus the first field the server named.
        const first = err instanceof ApiError ? err.problem.errors?.[0]?.field : undefined;
        if (first) document.querySelector<HTMLInputElement>(`input[name="${first}"]`)?.focus();
      },
    });
  };
  return (
    <section>
      <h1>Account</h1>
      <dl className="facts">
        <dt>Email</dt><dd>{user?.email}</dd>
        <dt>Role</dt><dd>{user?.role}</dd>
      </dl>
      <form className="panel narrow" aria-label="Change password" onSubmit={submit} noValidate>
        <h2>Change password</h2>
        <TextField label="Current password" name="current_password" type="password" required value={f.current}
          onChange={(current) => setF({ ...f, current })} error={fields.current_password} />
        <TextField label="New password" name="new_password" type="password" required value={f.next}
          onChange={(next) => setF({ ...f, next })} error={fields.new_password} hint="At least 12 characters." />
        <div className={mismatch ? "field invalid" : "field"}>
          <label htmlFor="password-again">New password again</label>
          <input id="password-again" type="password" required value={f.again} aria-invalid={mismatch ? true : undefined}
            aria-describedby={mismatch ? "password-again-error" : undefined} onChange={(e) => setF({ ...f, again: e.target.value })} />
          {mismatch && <small id="password-again-error" className="error" role="alert">{mismatch}</small>}
        </div>
        {change.error && !Object.keys(fields).length && <ErrorNote error={change.error} />}
        <button type="submit" className="primary" disabled={change.isPending}>Change password</button>
        <Done>{change.isSuccess && "Password changed. Every other session has been signed out."}</Done>
      </form>
    </section>
  );
}
