// The webhooks, tokens, audit, transfer, media, account and revisions
// screens, each loaded on demand so the first page stays small.
import { lazy, Suspense, type ComponentType } from "react";

function screen<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  const C: ComponentType = lazy(() => load().then((m) => ({ default: m[name] as ComponentType })));
  return function Screen() {
    return (
      <Suspense fallback={<p className="loading">Loading…</p>}>
        <C />
      </Suspense>
    );
  };
}

export const WebhooksScreen = screen(() => import("./Webhooks"), "Webhooks");
export const ApiTokensScreen = screen(() => import("./ApiTokens"), "ApiTokens");
export const AuditScreen = screen(() => import("./Audit"), "Audit");
export const TransferScreen = screen(() => import("./Transfer"), "Transfer");
export const MediaScreen = screen(() => import("./Media"), "MediaLibrary");
export const AccountScreen = screen(() => import("./Account"), "Account");
export const RevisionsScreen = screen(() => import("./Revisions"), "Revisions");
export const RevisionScreen = screen(() => import("./Revisions"), "RevisionView");
