import { defineConfig } from "vite";

// JSX is compiled by esbuild (automatic runtime): no React plugin needed.
export default defineConfig({
  base: "/admin/",
  esbuild: { jsx: "automatic" },
  build: { outDir: "dist", emptyOutDir: true, sourcemap: false },
  server: { proxy: { "/api": "http://localhost:8080" } },
  test: { environment: "node", include: ["src/**/*.test.{ts,tsx}"] },
});
