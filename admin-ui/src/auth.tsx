// Who is signed in. The session's tokens live in api.ts; this holds the user.
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { api, data, session, type Schemas } from "./api";

export type User = Schemas["User"];
export type Role = "admin" | "editor" | "consultant";

type Auth = {
  /** The client and session, for screens that take them from here rather than from ../api. */
  api: { sdk: typeof api; session: typeof session };
  user: User | null;
  loading: boolean;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
};

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children, onExpired }: { children: ReactNode; onExpired: () => void }) {
  const queries = useQueryClient();
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(session.signedIn);

  useEffect(() => {
    session.onExpired = () => {
      setUser(null);
      queries.clear();
      onExpired();
    };
  }, [onExpired, queries]);

  // A reload keeps only the refresh token: the client renews before asking who this is.
  useEffect(() => {
    if (!session.signedIn) return;
    data(api.GET("/api/v1/auth/me")).then(setUser, () => setUser(null)).finally(() => setLoading(false));
  }, []);

  const value: Auth = {
    api: { sdk: api, session },
    user,
    loading,
    async login(email, password) {
      session.set(await data(api.POST("/api/v1/auth/login", { body: { email, password } })));
      setUser(await data(api.GET("/api/v1/auth/me")));
    },
    async logout() {
      const refresh_token = session.refreshToken;
      session.clear();
      setUser(null);
      queries.clear();
      if (refresh_token) await api.POST("/api/v1/auth/logout", { body: { refresh_token } }).catch(() => {});
    },
  };
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error("useAuth outside AuthProvider");
  return a;
}

/** The signed-in user; only for screens behind the shell, which ensures one. */
export function useUser(): User {
  return useAuth().user!;
}
