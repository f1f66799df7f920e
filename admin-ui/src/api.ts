// The one Verdict API client of the admin UI: the generated SDK (openapi-fetch)
// with two middlewares, token renewal (refresh before the first call after a
// reload, one refresh-and-retry on 401) and problem handling (every non-2xx
// becomes an ApiError carrying the RFC 9457 document). So every call either
// resolves with data or throws ApiError; callers never check `error`.
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./sdk";

export type Schemas = components["schemas"];
export type FieldError = Schemas["FieldProblem"];
export type Problem = Schemas["Problem"] & {
  current_version?: number;
  linked_from?: { id: string; slug: string; title: string }[];
};

export class ApiError extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status() {
    return this.problem.status;
  }
  /** Field path → message, for showing errors next to their inputs. */
  fields(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) out[e.field] = e.message;
    return out;
  }
  /** Every field error as one readable line each ("publish_at: must be in the future"). */
  lines(): string[] {
    return (this.problem.errors ?? []).map((e) => `${e.field}: ${e.message}`);
  }
}

/** An ApiError for when the server could not be reached at all. */
export const unreachable = () =>
  new ApiError({ type: "about:blank", title: "Verdict could not be reached", status: 0, detail: "Verdict could not be reached: check your connection and try again." });

export type Tokens = Schemas["Token"];
const REFRESH_KEY = "verdict.refresh";

/** Session keeps the access token in memory and the refresh token for the tab. */
export class Session {
  private access = "";
  onExpired: () => void = () => {};
  get refreshToken() {
    return sessionStorage.getItem(REFRESH_KEY) ?? "";
  }
  get signedIn() {
    return this.access !== "" || this.refreshToken !== "";
  }
  get accessToken() {
    return this.access;
  }
  set(t: Tokens) {
    this.access = t.access_token;
    sessionStorage.setItem(REFRESH_KEY, t.refresh_token);
  }
  clear() {
    this.access = "";
    sessionStorage.removeItem(REFRESH_KEY);
  }
}

export const session = new Session();
const authFree = /\/api\/v1\/auth\/(login|refresh|logout)$/;

let refreshing: Promise<boolean> | null = null;
/** Exchanges the refresh token once, however many requests wait for it. */
export function refresh(): Promise<boolean> {
  if (!session.refreshToken) return Promise.resolve(false);
  refreshing ??= (async () => {
    try {
      const r = await fetch("/api/v1/auth/refresh", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: session.refreshToken }),
      });
      if (!r.ok) return false;
      session.set(await r.json());
      return true;
    } catch {
      return false;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

async function toProblem(r: Response): Promise<Problem> {
  try {
    const p = await r.clone().json();
    if (p && typeof p === "object" && "status" in p) return p as Problem;
  } catch {
    // not JSON: a proxy's page, say
  }
  return { type: "about:blank", title: r.statusText || `HTTP ${r.status}`, status: r.status, detail: `The server answered ${r.status} ${r.statusText}.` };
}

// Requests kept (cloned before sending) so a 401 can be retried with a new token.
const pending = new Map<string, Request>();

const renewal: Middleware = {
  async onRequest({ request, id }) {
    if (authFree.test(new URL(request.url).pathname)) return request;
    // After a reload only the refresh token survives: renew before asking anything.
    if (!session.accessToken && session.refreshToken) await refresh();
    if (session.accessToken) request.headers.set("Authorization", `Bearer ${session.accessToken}`);
    pending.set(id, request.clone());
    return request;
  },
  async onResponse({ response, id, request }) {
    const kept = pending.get(id);
    pending.delete(id);
    if (response.status !== 401 || !kept || authFree.test(new URL(request.url).pathname)) return response;
    if (await refresh()) {
      kept.headers.set("Authorization", `Bearer ${session.accessToken}`);
      const again = await fetch(kept);
      if (again.status !== 401) return again;
    }
    session.clear();
    session.onExpired();
    return response;
  },
  onError({ id }) {
    pending.delete(id);
    return unreachable();
  },
};

const problems: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw new ApiError(await toProblem(response));
    return response;
  },
};

/** The typed client. Every call resolves with `{ data }` or throws ApiError. */
export const api = createClient<paths>({ baseUrl: "" });
// Middlewares' onResponse run last-registered first: renewal must see the 401 before problems does.
api.use(problems, renewal);

/** The data of a call that succeeded (the middlewares throw on any failure). */
export async function data<T>(call: Promise<{ data?: T }>): Promise<T> {
  return (await call).data as T;
}

/** Sends a request the SDK can't describe (multipart uploads, downloads), with the same renewal and problems. */
export async function send(path: string, init: RequestInit = {}): Promise<Response> {
  const go = () => {
    const headers = new Headers(init.headers);
    if (session.accessToken) headers.set("Authorization", `Bearer ${session.accessToken}`);
    return fetch(path, { ...init, headers });
  };
  if (!session.accessToken && session.refreshToken) await refresh();
  let r: Response;
  try {
    r = await go();
    if (r.status === 401 && (await refresh())) r = await go();
  } catch {
    throw unreachable();
  }
  if (!r.ok) throw new ApiError(await toProblem(r));
  return r;
}

/** Downloads a file that needs the bearer token (CSV export). */
export async function download(path: string, filename: string) {
  const r = await send(path);
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  URL.revokeObjectURL(url);
}

/** The If-Match header of a version-guarded write. */
export const ifMatch = (version: number) => ({ "If-Match": `"${version}"` });

export type List<T> = { data: T[]; next_cursor: string | null; total?: number | null };
