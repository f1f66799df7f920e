import type { Client } from "openapi-fetch";
import { createVerdictClient, type paths } from "./sdk";

// The Verdict API client: bearer tokens, one refresh-and-retry on 401, and
// RFC 9457 problem documents turned into ApiError with per-field messages.

export type FieldError = { field: string; code: string; message: string };

export type Problem = {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
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
}

export type Tokens = { access_token: string; refresh_token: string; expires_in: number };

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
  set(t: Tokens) {
    this.access = t.access_token;
    sessionStorage.setItem(REFRESH_KEY, t.refresh_token);
  }
  clear() {
    this.access = "";
    sessionStorage.removeItem(REFRESH_KEY);
  }
  get accessToken() {
    return this.access;
  }
}

export class Api {
  private refreshing: Promise<boolean> | null = null;
  /** The generated, typed client, signed in as this session. */
  readonly sdk: Client<paths>;

  constructor(readonly session: Session, private readonly base = "/api/v1") {
    this.sdk = createVerdictClient("", () => session.accessToken);
  }

  async get<T>(path: string): Promise<T> {
    return (await this.send<T>("GET", path)).body;
  }
  async post<T>(path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await this.send<T>("POST", path, body, headers)).body;
  }
  async put<T>(path: string, body: unknown, version: number): Promise<T> {
    return (await this.send<T>("PUT", path, body, { "If-Match": `"${version}"` })).body;
  }
  async del(path: string): Promise<void> {
    await this.send("DELETE", path);
  }

  async send<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, retried = false): Promise<{ body: T; response: Response }> {
    const h: Record<string, string> = { Accept: "application/json", ...headers };
    if (body !== undefined) h["Content-Type"] = "application/json";
    if (!this.session.accessToken && this.session.refreshToken && !path.startsWith("/auth/")) await this.refresh();
    if (this.session.accessToken) h.Authorization = `Bearer ${this.session.accessToken}`;
    const response = await fetch(this.base + path, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401 && !retried && !path.startsWith("/auth/") && (await this.refresh())) {
      return this.send<T>(method, path, body, headers, true);
    }
    if (!response.ok) {
      let problem: Problem;
      try {
        problem = await response.json();
      } catch {
        problem = { type: "about:blank", title: response.statusText, status: response.status };
      }
      if (response.status === 401 && !path.startsWith("/auth/login")) {
        this.session.clear();
        this.session.onExpired();
      }
      throw new ApiError(problem);
    }
    const text = await response.text();
    return { body: (text ? JSON.parse(text) : undefined) as T, response };
  }

  /** Exchanges the refresh token once, however many requests wait for it. */
  private refresh(): Promise<boolean> {
    if (!this.session.refreshToken) return Promise.resolve(false);
    this.refreshing ??= (async () => {
      try {
        const r = await fetch(this.base + "/auth/refresh", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ refresh_token: this.session.refreshToken }),
        });
        if (!r.ok) return false;
        this.session.set(await r.json());
        return true;
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  /** Downloads a file that needs the bearer token (CSV export). */
  async download(path: string, filename: string) {
    const { response } = await this.sendRaw(path);
    const url = URL.createObjectURL(await response.blob());
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
    URL.revokeObjectURL(url);
  }

  private async sendRaw(path: string) {
    const response = await fetch(this.base + path, { headers: { Authorization: `Bearer ${this.session.accessToken}` } });
    if (!response.ok) throw new ApiError(await response.json());
    return { response };
  }
}

export type List<T> = { data: T[]; next_cursor: string | null; total?: number };
