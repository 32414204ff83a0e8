import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

/**
 * Every route module in app/routes: a signed-out request to any loader or
 * action must be sent to sign-in, and a member of another panel must get 404
 * for anything under /areas/:area. Public routes are listed, with the reason.
 */
const modules = import.meta.glob<Record<string, any>>("/app/routes/**/*.{ts,tsx}", { eager: true });

const PUBLIC_ROUTES: Record<string, string> = {
  "healthz.ts": "liveness check for the load balancer; says nothing about data",
  "language.ts": "chooses English or Welsh before signing in",
  "sign-in/route.tsx": "the sign-in page itself",
  "sign-out.ts": "signing out needs no permission (it only ends the caller's own session)",
  "password.forgot/route.tsx": "asking for a reset link happens signed out",
  "password.reset.$token/route.tsx": "the emailed reset link is used signed out",
  "invitations.$token/route.tsx": "an invited person has no account yet",
  "sign-in.two-factor/route.tsx": "second step of sign-in: needs the first step's session, checked inside",
};

function routeFile(key: string) {
  return key.replace("/app/routes/", "");
}

function routeInfo(file: string) {
  const base = file.replace(/\/route\.tsx?$/, "").replace(/\.tsx?$/, "");
  const params = [...base.matchAll(/\$([a-zA-Z]+)/g)].map((m) => m[1]);
  const path =
    "/" +
    base
      .split(".")
      .filter((s) => s !== "_index" && !s.startsWith("_"))
      .map((s) => (s.startsWith("$") ? `:${s.slice(1)}` : s))
      .join("/");
  return { params, path };
}

const guarded = Object.entries(modules)
  .map(([key, mod]) => ({ file: routeFile(key), mod }))
  .filter(({ file }) => !file.includes("/schema") && !file.endsWith(".server.ts") && !(file in PUBLIC_ROUTES));

let world: World;

beforeAll(async () => {
  world = await buildWorld();
});

function fill(params: string[], areaCode: string) {
  return Object.fromEntries(params.map((p) => [p, p === "area" ? areaCode.toLowerCase() : randomUUID()]));
}

function url(path: string, params: Record<string, string>) {
  return path.replace(/:([a-zA-Z]+)/g, (_, p) => params[p]);
}

describe("route guards", () => {
  it("finds the route modules", () => {
    expect(guarded.length).toBeGreaterThan(3);
    for (const file of Object.keys(PUBLIC_ROUTES)) {
      if (!file.startsWith("password") && !file.startsWith("invitations") && !file.startsWith("sign-in.two-factor")) {
        expect(Object.keys(modules).map(routeFile)).toContain(file);
      }
    }
  });

  for (const { file, mod } of guarded) {
    const { params, path } = routeInfo(file);
    for (const fn of ["loader", "action"] as const) {
      if (!mod[fn]) continue;
      const method = fn === "loader" ? "GET" : "POST";

      it(`${file} ${fn} sends a signed-out request to sign-in`, async () => {
        const p = fill(params, world.home.area.code);
        const result = await invoke(mod[fn], makeRequest(url(path, p), { method, form: method === "POST" ? { intent: "x" } : undefined }), p);
        expect(result.status).toBe(302);
        expect(result.location).toMatch(/^\/sign-in/);
      });

      if (params.includes("area")) {
        for (const role of ["admin", "coordinator", "chair", "agency_rep", "idva"] as const) {
          it(`${file} ${fn} answers 404 to a ${role} of another panel`, async () => {
            const p = fill(params, world.home.area.code);
            const cookie = await sessionCookieFor(world.other.users[role].id);
            const result = await invoke(mod[fn], makeRequest(url(path, p), { method, cookie, form: method === "POST" ? { intent: "x" } : undefined }), p);
            expect(result.status).toBe(404);
          });
        }
      }
    }
  }
});
