import path from "node:path";
import { fileURLToPath } from "node:url";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { manifestMatchingPlugin } from "./scripts/vite-manifest-matching";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: { host: "127.0.0.1" },
  build: { target: "es2022" },
  ssr: {
    // Native or WASM-backed packages stay outside the server bundle.
    external: ["@electric-sql/pglite", "@node-rs/argon2", "postgres", "pdfkit", "nodemailer"],
    // Bundled, so that its route matching for the initial manifest is remembered (decision 014).
    noExternal: ["@remix-run/react"],
  },
  plugins: [
    manifestMatchingPlugin(path.dirname(fileURLToPath(import.meta.url))),
    remix({
      // Tests build into their own folder so parallel runs do not overwrite each other.
      buildDirectory: process.env.PANEL_BUILD_DIR ?? "build",
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    tsconfigPaths(),
  ],
});
