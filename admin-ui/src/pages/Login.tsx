import { useState, type FormEvent } from "react";
import { useLocation, useNavigate } from "react-router";
import { ApiError } from "../api";
import { useAuth } from "../auth";
import { TextField } from "../components/Field";

export function Login() {
  const { login } = useAuth();
  const navigate = useNavigate();
  const state = (useLocation().state ?? {}) as { from?: string; expired?: boolean };
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError("");
    try {
      await login(email, password);
      navigate(state.from && state.from !== "/login" ? state.from : "/", { replace: true });
    } catch (err) {
      setError(err instanceof ApiError ? err.message : "Cannot reach Verdict.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <h1>Verdict admin</h1>
      {state.expired && <p role="status">Your session expired. Sign in again; unsaved edits are kept.</p>}
      <form onSubmit={submit} aria-label="Sign in">
        <TextField label="Email" name="email" type="email" autoComplete="username" value={email} onChange={setEmail} required />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" value={password} onChange={setPassword} required />
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" disabled={busy}>Sign in</button>
      </form>
    </main>
  );
}
