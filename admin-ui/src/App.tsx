import { useCallback } from "react";
import { NavLink, Navigate, Route, Routes, useLocation, useNavigate } from "react-router";
import { AuthProvider, useAuth } from "./auth";
import { Login } from "./pages/Login";
import { Dashboard } from "./pages/Dashboard";
import { Guides } from "./pages/Guides";
import { GuideEditor } from "./pages/GuideEditor";
import { Taxonomy } from "./pages/Taxonomy";
import { Leads } from "./pages/Leads";
import { Outbox } from "./pages/Outbox";
import { Users } from "./pages/Users";
import { AccountScreen, ApiTokensScreen, AuditScreen, MediaScreen, RevisionScreen, RevisionsScreen, TransferScreen, WebhooksScreen } from "./pages/screens";

export function App() {
  const navigate = useNavigate();
  const location = useLocation();
  const expired = useCallback(
    () => navigate("/login", { state: { from: location.pathname, expired: true } }),
    [navigate, location.pathname],
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
  if (loading) return <p className="loading">Loading…</p>;
  if (!user) return <Navigate to="/login" state={{ from: location.pathname }} replace />;
  const is = (...roles: string[]) => roles.includes(user.role);
  return (
    <div className="shell">
      <nav aria-label="Main">
        <strong className="brand">Verdict</strong>
        <NavLink to="/" end>Dashboard</NavLink>
        {is("admin", "editor") && <NavLink to="/guides">Guides</NavLink>}
        {is("admin", "editor") && <NavLink to="/taxonomy">Categories &amp; technologies</NavLink>}
        {is("admin", "consultant") && <NavLink to="/leads">Leads</NavLink>}
        {is("admin") && <NavLink to="/outbox">Outbox</NavLink>}
        {is("admin") && <NavLink to="/users">Users</NavLink>}
        {is("admin", "editor") && <NavLink to="/media">Media</NavLink>}
        {is("admin", "editor") && <NavLink to="/transfer">Export &amp; import</NavLink>}
        {is("admin") && <NavLink to="/webhooks">Webhooks</NavLink>}
        {is("admin") && <NavLink to="/api-tokens">API tokens</NavLink>}
        {is("admin") && <NavLink to="/audit">Audit log</NavLink>}
        <NavLink to="/account">Account</NavLink>
        <span className="spacer" />
        <span className="who">{user.email} ({user.role})</span>
        <button type="button" onClick={() => logout()}>Sign out</button>
      </nav>
      <main>
        <Routes>
          <Route path="/" element={<Dashboard />} />
          <Route path="/guides" element={<Guides />} />
          <Route path="/guides/new" element={<GuideEditor />} />
          <Route path="/guides/:id" element={<GuideEditor />} />
          <Route path="/taxonomy" element={<Taxonomy />} />
          <Route path="/leads" element={<Leads />} />
          <Route path="/leads/:id" element={<Leads />} />
          <Route path="/outbox" element={<Outbox />} />
          <Route path="/users" element={<Users />} />
          <Route path="/guides/:id/revisions" element={<RevisionsScreen />} />
          <Route path="/guides/:id/revisions/:number" element={<RevisionScreen />} />
          <Route path="/media" element={<MediaScreen />} />
          <Route path="/transfer" element={<TransferScreen />} />
          <Route path="/webhooks" element={<WebhooksScreen />} />
          <Route path="/api-tokens" element={<ApiTokensScreen />} />
          <Route path="/audit" element={<AuditScreen />} />
          <Route path="/account" element={<AccountScreen />} />
          <Route path="*" element={<p>Not found.</p>} />
        </Routes>
      </main>
    </div>
  );
}
