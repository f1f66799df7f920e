import { lazy, Suspense, useCallback, type ComponentType } from "react";
import { NavLink, Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { AuthProvider, useAuth, type Role } from "./auth";
import { Login } from "./pages/Login";
import { AccountScreen, ApiTokensScreen, AuditScreen, MediaScreen, RevisionScreen, RevisionsScreen, TransferScreen, WebhooksScreen } from "./pages/screens";

// Screens load on demand: the first paint needs only the shell and the sign-in form.
const Dashboard = lazy(() => import("./pages/Dashboard").then((m) => ({ default: m.Dashboard })));
const Guides = lazy(() => import("./pages/Guides").then((m) => ({ default: m.Guides })));
const GuideEditor = lazy(() => import("./pages/GuideEditor").then((m) => ({ default: m.GuideEditor })));
const Taxonomy = lazy(() => import("./pages/Taxonomy").then((m) => ({ default: m.Taxonomy })));
const Leads = lazy(() => import("./pages/Leads").then((m) => ({ default: m.Leads })));
const Outbox = lazy(() => import("./pages/Outbox").then((m) => ({ default: m.Outbox })));
const Users = lazy(() => import("./pages/Users").then((m) => ({ default: m.Users })));
const Funnel = lazy(() => import("./pages/Funnel").then((m) => ({ default: m.Funnel })));

type Screen = { path: string; label?: string; roles: Role[]; element: ComponentType };
const all: Role[] = ["admin", "editor", "consultant"];

/**
 * Every screen: its path, its entry in the main navigation (when labelled),
 * and who may open it. New screens add a line here.
 */
const screens: Screen[] = [
  { path: "/", label: "Dashboard", roles: all, element: Dashboard },
  { path: "/guides", label: "Guides", roles: ["admin", "editor"], element: Guides },
  { path: "/guides/new", roles: ["admin", "editor"], element: GuideEditor },
  { path: "/guides/:id", roles: ["admin", "editor"], element: GuideEditor },
  { path: "/taxonomy", label: "Categories & technologies", roles: ["admin", "editor"], element: Taxonomy },
  { path: "/funnel", label: "Funnel", roles: all, element: Funnel },
  { path: "/leads", label: "Leads", roles: ["admin", "consultant"], element: Leads },
  { path: "/leads/:id", roles: ["admin", "consultant"], element: Leads },
  { path: "/outbox", label: "Outbox", roles: ["admin"], element: Outbox },
  { path: "/users", label: "Users", roles: ["admin"], element: Users },
  { path: "/guides/:id/revisions", roles: ["admin", "editor"], element: RevisionsScreen },
  { path: "/guides/:id/revisions/:number", roles: ["admin", "editor"], element: RevisionScreen },
  { path: "/media", label: "Media", roles: ["admin", "editor"], element: MediaScreen },
  { path: "/transfer", label: "Export & import", roles: ["admin", "editor"], element: TransferScreen },
  { path: "/webhooks", label: "Webhooks", roles: ["admin"], element: WebhooksScreen },
  { path: "/api-tokens", label: "API tokens", roles: ["admin"], element: ApiTokensScreen },
  { path: "/audit", label: "Audit log", roles: ["admin"], element: AuditScreen },
  { path: "/account", label: "Account", roles: all, element: AccountScreen },
];

export function App() {
  const navigate = useNavigate();
  const location = useLocation();
  const expired = useCallback(
    () => navigate("/login", { state: { from: location.pathname + location.search, expired: true } }),
    [navigate, location.pathname, location.search],
  );
  return (
    <AuthProvider onExpired={expired}>
      <Routes>
        <Route path="/login" element={<Login />} />
        <Route path="*" element={<Shell />} />
      </Routes>
    </AuthProvider>
  );
}

function Shell() {
  const { user, loading, logout } = useAuth();
  const location = useLocation();
  if (loading) return <p className="loading" role="status">Loading…</p>;
  if (!user) return <Navigate to="/login" state={{ from: location.pathname + location.search }} replace />;
  const mine = screens.filter((s) => s.roles.includes(user.role as Role));
  return (
    <div className="shell">
      <a className="skip" href="#main">Skip to content</a>
      <nav aria-label="Main">
        <strong className="brand">Verdict</strong>
        {mine.filter((s) => s.label).map((s) => (
          <NavLink key={s.path} to={s.path} end={s.path === "/"}>{s.label}</NavLink>
        ))}
        <span className="spacer" />
        <span className="who">{user.email} ({user.role})</span>
        <button type="button" onClick={() => logout()}>Sign out</button>
      </nav>
      <main id="main">
        <Suspense fallback={<p className="loading" role="status">Loading…</p>}>
          <Routes>
            {mine.map((s) => <Route key={s.path} path={s.path} element={<s.element />} />)}
            <Route path="*" element={<p>Not found, or not open to your role.</p>} />
          </Routes>
        </Suspense>
      </main>
    </div>
  );
}
