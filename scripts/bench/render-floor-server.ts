import "../../server/production-mode";
// The benchmark's render floor (docs/performance.md, finding 49): the app's own HTTP pipeline and
// build, with every loader's data remembered after its first request (rememberLoaders), so the
// pages are rendered and served exactly as by `npm start` but send no SQL. Started by npm run bench
// beside the app, on 127.0.0.1 with the app's environment; never part of a deployment.
import type { ServerBuild } from "@remix-run/node";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { getEnv } from "../../app/env.server";
import { createHttpApp } from "../../server/http-app";
import { rememberLoaders } from "./render-floor";

const env = getEnv();
const buildDir = path.resolve(process.env.PANEL_BUILD_DIR ?? "build");
const build = (await import(pathToFileURL(path.join(buildDir, "server/index.js")).href)) as ServerBuild;
createHttpApp({ build: rememberLoaders(build), dev: false }).listen(env.PORT, env.HOST, () => console.log(`Render floor at http://${env.HOST}:${env.PORT}`));
// Nothing to flush: the benchmark stops it when the pages are done.
process.on("SIGTERM", () => process.exit(0));
