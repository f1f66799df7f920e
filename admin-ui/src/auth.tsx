// Who is signed in, and the API client that acts for them.
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { Api, Session, type Tokens } from "./api";
import type { User } from "./types";

type Auth = {
  api: Api;
  user: User | null;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
};

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children, onExpired }: { children: ReactNode; onExpired: () => void }) {
  const api = useMemo(() => new Api(new Session()), []);
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(api.session.signedIn);

  useEffect(() => {
    api.session.onExpired = () => {
      setUser(null);
      onExpired();
    };
  }, [api, onExpired]);

  useEffect(() => {
    if (!api.session.signedIn) return;
    api.get<User>("/auth/me").then(setUser).catch(() => setUser(null)).finally(() => setLoading(false));
  }, [api]);

  const value: Auth = {
    api,
    user,
    loading,
    async login(email, password) {
      const t = await api.post<Tokens>("/auth/login", { email, password });
      api.session.set(t);
      setUser(await api.get<User>("/auth/me"));
    },
    async logout() {
      const refresh = api.session.refreshToken;
      api.session.clear();
      setUser(null);
      if (refresh) await api.post("/auth/logout", { refresh_token: refresh }).catch(() => {});
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error("useAuth outside AuthProvider");
  return a;
}

/** Loads data with the API, reloading when deps change. */
export function useLoad<T>(load: (api: Api) => Promise<T>, deps: unknown[]): [T | undefined, unknown, () => void] {
  const { api } = useAuth();
  const [data, setData] = useState<T>();
  const [error, setError] = useState<unknown>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    load(api).then((d) => live && (setData(d), setError(undefined)), (e) => live && setError(e));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, tick, ...deps]);
  return [data, error, () => setTick((t) => t + 1)];
}
