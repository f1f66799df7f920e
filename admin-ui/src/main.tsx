import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { ApiError } from "./api";
import { App } from "./App";
import "./styles.css";

// Admin data changes under other editors' hands: short freshness, refetch on focus,
// and no retries of a 4xx (the answer won't change).
const queries = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
    },
  },
});

// A data router (one catch-all route; App routes below it) so the editor can
// hold navigation while it has unsaved changes (useBlocker).
const router = createBrowserRouter([{ path: "*", element: <App /> }], { basename: "/admin" });

createRoot(document.getElementById("root")!).render(
  <QueryClientProvider client={queries}>
    <RouterProvider router={router} />
  </QueryClientProvider>,
);
