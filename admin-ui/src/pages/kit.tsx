// Shared pieces of the webhooks, tokens, audit, transfer, media, account,
// revisions and dashboard screens: the SDK call that throws problems, the
// cursor pager, and the notices that tell errors from successes.
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ApiError, type Problem } from "../api";
import { useAuth } from "../auth";
import "../screens.css";

/** The signed-in SDK client. */
export function useSdk() {
  return useAuth().api.sdk;
}

type Result<T> = { data?: T; error?: unknown; response: Response };

/** ok returns a call's body, or throws its problem document as ApiError. */
export async function ok<T>(call: Promise<Result<T>>): Promise<T> {
  const r = await call;
  if (r.error !== undefined || !r.response.ok) {
    const p = (r.error && typeof r.error === "object" ? r.error : {}) as Partial<Problem>;
    throw new ApiError({ type: "about:blank", title: r.response.statusText, status: r.response.status, ...p });
  }
  return r.data as T;
}

export type Page<T> = { data: T[]; next_cursor?: string | null; total?: number | null };

/** useCursorList pages through next_cursor; "Load more" fetches the next page. */
export function useCursorList<T>(key: unknown[], load: (cursor: string | undefined) => Promise<Page<T>>, opts: { refetchInterval?: number; enabled?: boolean } = {}) {
  const q = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => load(pageParam || undefined),
    initialPageParam: "",
    getNextPageParam: (last: Page<T>) => last.next_cursor || undefined,
    ...opts,
  });
  const items = q.data?.pages.flatMap((p) => p.data) ?? [];
  return { ...q, items };
}

export function LoadMore({ list, what }: { list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown; items: unknown[] }; what: string }) {
  return (
    <p className="pager">
      <span>{list.items.length} {what} shown{list.hasNextPage ? "" : " (all)"}</span>
      {list.hasNextPage && (
        <button type="button" disabled={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
          {list.isFetchingNextPage ? "Loading…" : `Load more ${what}`}
        </button>
      )}
    </p>
  );
}

/** ErrorNote shows every part of a problem: its detail and each field error with its path. */
export function ErrorNote({ error }: { error: unknown }) {
  if (!error) return null;
  if (!(error instanceof ApiError)) return <div className="error" role="alert">{String((error as Error)?.message ?? error)}</div>;
  const p = error.problem;
  return (
    <div className="error" role="alert">
      <strong>{p.detail || p.title}</strong>
      {(p.errors?.length ?? 0) > 0 && (
        <ul>
          {p.errors!.map((e, i) => <li key={i}><code>{e.field}</code>: {e.message}</li>)}
        </ul>
      )}
    </div>
  );
}

export function Done({ children }: { children: ReactNode }) {
  return children ? <p className="message" role="status">{children}</p> : null;
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

/** when formats a server time in the user's timezone. */
export function when(t: string | null | undefined): string {
  if (!t) return "—";
  return new Date(t).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export function Time({ t }: { t: string | null | undefined }) {
  return t ? <time dateTime={t}>{when(t)}</time> : <>—</>;
}

/** useUserNames maps user IDs to e-mail addresses (admins only: it lists users). */
export function useUserNames() {
  const sdk = useSdk();
  const { user } = useAuth();
  const q = useQuery({
    queryKey: ["users", "names"],
    enabled: user?.role === "admin",
    staleTime: 60_000,
    queryFn: async () => {
      const names = new Map<string, string>();
      let cursor: string | undefined;
      do {
        const page = await ok(sdk.GET("/api/v1/admin/users", { params: { query: { limit: "100", cursor } } }));
        for (const u of page.data) names.set(u.id, u.email);
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return names;
    },
  });
  return (id: string | null | undefined) => (id ? q.data?.get(id) ?? (id === user?.id ? user.email : `user ${id.slice(0, 8)}`) : "—");
}
