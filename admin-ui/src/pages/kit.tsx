// Shared pieces of the webhooks, tokens, audit, transfer, media, account,
// revisions and dashboard screens, over the infrastructure's one client
// (api.ts), cursor lists (api/lists.ts) and notices (components/Notice.tsx).
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { api, data } from "../api";
import { everyPage } from "../api/lists";
import { useAuth } from "../auth";
import { asApiError, Notice } from "../components/Notice";
import "../screens.css";

/** The signed-in SDK client; its middlewares renew tokens and throw ApiError. */
export function useSdk() {
  return api;
}

/** ok returns a call's body (the client throws ApiError on any failure). */
export const ok = data;

/** ErrorNote shows every part of a problem (detail and each field error with its path) as an alert. */
export function ErrorNote({ error }: { error: unknown }) {
  return <Notice note={error ? { kind: "error", error: asApiError(error) } : null} />;
}

/** Done confirms an action (role=status), in the success style. */
export function Done({ children }: { children: ReactNode }) {
  return children ? <Notice note={{ kind: "ok", text: String(children) }} /> : null;
}

/** Once shows a secret that the server will never show again. */
export function Once({ label, value, onDismiss }: { label: string; value: string; onDismiss: () => void }) {
  return (
    <div className="once" role="status">
      <p><strong>{label}</strong> Copy it now: it is shown only once.</p>
      <code data-testid="secret">{value}</code>
      <p className="actions">
        <button type="button" onClick={() => navigator.clipboard?.writeText(value)}>Copy</button>
        <button type="button" onClick={onDismiss}>I have copied it</button>
      </p>
    </div>
  );
}

/** useUsers lists every user, all pages (admins only: others get none). */
export function useUsers() {
  const { user } = useAuth();
  return useQuery({
    queryKey: ["users", "every"],
    enabled: user?.role === "admin",
    staleTime: 60_000,
    queryFn: () => everyPage((cursor) => data(api.GET("/api/v1/admin/users", { params: { query: { limit: "100", cursor } } }))),
  });
}

/** useUserNames maps user IDs to e-mail addresses. */
export function useUserNames() {
  const { user } = useAuth();
  const users = useUsers();
  const names = new Map((users.data ?? []).map((u) => [u.id, u.email]));
  return (id: string | null | undefined) => (id ? names.get(id) ?? (id === user?.id ? user.email : `user ${id.slice(0, 8)}`) : "—");
}
