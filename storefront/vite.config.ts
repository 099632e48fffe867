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
  resolve: { alias: { graphql: "graphql/index.js" } },
  server: { host: "127.0.0.1", port, strictPort: true, proxy },
  preview: { host: "127.0.0.1", port, strictPort: true, proxy },
  build: { sourcemap: true, chunkSizeWarningLimit: 1000 },
});
