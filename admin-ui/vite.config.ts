import { defineConfig, type Plugin } from "vite";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

// Writes name.br and name.gz beside every script, stylesheet and SVG of the
// build, once, at the strongest settings: the Go server (embed.go) picks one
// by Accept-Encoding and never compresses per request.
function precompress(): Plugin {
  return {
    name: "verdict-precompress",
    apply: "build",
    closeBundle() {
      const dir = join(__dirname, "dist", "assets");
      for (const name of readdirSync(dir)) {
        if (!/\.(js|css|svg)$/.test(name)) continue;
        const body = readFileSync(join(dir, name));
        writeFileSync(join(dir, name + ".gz"), gzipSync(body, { level: 9 }));
        writeFileSync(join(dir, name + ".br"), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
      }
    },
  };
}

// JSX is compiled by esbuild (automatic runtime): no React plugin needed.
export default defineConfig({
  base: "/admin/",
  esbuild: { jsx: "automatic" },
  plugins: [precompress()],
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
