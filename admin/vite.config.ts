/**
 * The promoters' console is a static single-page app. In development (`vite`) and in `npm start`
 * (`vite preview`) it is served from its own origin and forwards /graphql (and the CSV exports) to the API, as the storefront
 * does: one origin for the browser, no CORS. API_URL says where the API is, ADMIN_PORT where the
 * console listens (5174).
 */
import react from "@vitejs/plugin-react";
import { defaultClientConditions, defineConfig } from "vite";

const api = process.env.API_URL ?? "http://127.0.0.1:4000";
const port = Number(process.env.ADMIN_PORT ?? 5174);
// /admin/exports: the CSV downloads (api/src/admin/admin.orders.exports.ts), streamed by the API.
const proxy = { "/graphql": { target: api, ws: true, changeOrigin: true }, "/admin/exports": { target: api, changeOrigin: true } };

export default defineConfig({
  plugins: [react()],
  // The seat-map builder previews with the API's own generator (@boxoffice/api/seat-map, a pure module):
  // the "source" condition takes its TypeScript directly, as the workspace's tests do, so there is one
  // copy of the geometry and no API build step before the console's.
  resolve: { conditions: ["source", ...defaultClientConditions] },
  server: { host: "127.0.0.1", port, strictPort: true, proxy },
  preview: { host: "127.0.0.1", port, strictPort: true, proxy },
  // react-admin and MUI make one large vendor chunk; the console is an internal tool loaded once.
  // No source maps in the production build: the served files would hand out the whole source
  // (checked by e2e/build.test.ts).
  build: { sourcemap: false, chunkSizeWarningLimit: 2500 },
});
