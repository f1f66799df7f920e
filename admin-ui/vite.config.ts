import { defineConfig } from "vite";

// JSX is compiled by esbuild (automatic runtime): no React plugin needed.
export default defineConfig({
  base: "/admin/",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: "dist", emptyOutDir: true, sourcemap: false,
    rollupOptions: {
      // TanStack Query marks its modules "use client" for React Server Components; meaningless here.
      onwarn(w, warn) {
        if (w.code !== "MODULE_LEVEL_DIRECTIVE") warn(w);
      },
    },
  },
  server: { proxy: { "/api": "http://localhost:8080" } },
  test: { environment: "node", include: ["src/**/*.test.{ts,tsx}"] },
});
