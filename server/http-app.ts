import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Express } from "express";
import { getEnv, isSecureOrigin } from "../app/env.server";
import { runInRequestScope } from "../app/lib/request-scope.server";
import { clientIp, noStore, sameOriginWrites, securityHeaders } from "./security";

/**
 * The app's HTTP pipeline: security headers, compression, the same-origin check for writes, the
 * request scope for reads, then `serve` (assets, Vite's middleware in development), then Remix.
 * `npm start` runs it (server/index.ts); the benchmark's render floor runs it with another build.
 */
export function createHttpApp(options: { build: ServerBuild | (() => Promise<ServerBuild>); dev: boolean; serve?: (app: Express) => void }): Express {
  const env = getEnv();
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", process.env.TRUST_PROXY === "1" ? 1 : false);
  app.use(compression());
  app.use(securityHeaders({ secure: isSecureOrigin(env), dev: options.dev }));
  app.use(clientIp);
  app.use(sameOriginWrites(new URL(env.APP_URL).origin));
  app.use(noStore);
  // Reads get a request scope, so the loaders of one page view share the session look-up.
  app.use((req, _res, next) => (req.method === "GET" || req.method === "HEAD" ? runInRequestScope(next) : next()));
  options.serve?.(app);
  app.all(
    "*",
    createRequestHandler({
      build: options.build,
      mode: options.dev ? "development" : "production",
      getLoadContext: (_req, res) => ({ cspNonce: res.locals.cspNonce as string }),
    }),
  );
  return app;
}
