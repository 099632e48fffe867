/**
 * The storefront is a static single-page app. In development (`vite`) and in `npm start` (`vite preview`)
 * it is served from its own origin and forwards /graphql (HTTP and WebSocket) to the API, so the browser
 * talks to one origin: no CORS, and the API's CSRF protection stays on. API_URL says where the API is,
 * STOREFRONT_PORT where the storefront listens (5173, as STOREFRONT_URL in the API's emails expects).
 */
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.API_URL ?? "http://127.0.0.1:4000";
const port = Number(process.env.STOREFRONT_PORT ?? 5173);
const proxy = {
  "/graphql": { target: api, ws: true, changeOrigin: true },
  "/.well-known": { target: api, changeOrigin: true },
};

export default defineConfig({
  plugins: [react()],
  // One copy of graphql, its ES module build: every import of "graphql" and its deep paths resolve to
  // .mjs files, which tree-shake (the CommonJS index.js put all of graphql, ~40 KB gzipped, into the
  // home page's JavaScript).
  resolve: { alias: { graphql: "graphql/index.mjs" } },
  server: { host: "127.0.0.1", port, strictPort: true, proxy },
  preview: { host: "127.0.0.1", port, strictPort: true, proxy },
  // No source maps in the production build: the served files would hand out the whole source (and the
  // maps weigh more than the code). `manifest` lists each route's chunks, which the build test reads
  // to measure the home page's JavaScript (e2e/build.test.ts).
  build: { sourcemap: false, manifest: true, chunkSizeWarningLimit: 1000 },
});
