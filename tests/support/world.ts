import { getDb } from "#db/client";
import { makeAgency, makeArea, makeUser } from "#db/factories";
import type { Role } from "#db/schema";
import { createSession, SESSION_COOKIE } from "~/models/auth/sessions.server";
import { CLIENT_IP_HEADER, permissionsFor } from "~/policy/index.server";

export const PASSWORD = "correct horse battery staple";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}`.toUpperCase();

/** Two panels, each with police, health (verifier) and IDVA agencies and a user in every role. */
export async function buildWorld() {
  const db = getDb();
  const make = async (label: string) => {
    const area = await makeArea(db, { name: `${label} MARAC`, code: `${label.slice(0, 1)}${unique()}`.slice(0, 8) });
    const police = await makeAgency(db, { areaId: area.id, name: "Police", kind: "police", secureEmail: "marac@police.example" });
    const health = await makeAgency(db, { areaId: area.id, name: "Health Board", kind: "health", isVerifier: true });
    const idvaService = await makeAgency(db, { areaId: area.id, name: "IDVA Service", kind: "idva_service" });
    const user = async (role: Role, agencyId?: string) =>
      makeUser(db, {
        email: `${role}.${unique()}@example.org`.toLowerCase(),
        name: `${label} ${role}`,
        password: PASSWORD,
        memberships: [{ areaId: area.id, role, agencyId }],
      });
    return {
      area,
      agencies: { police, health, idvaService },
      users: {
        admin: await user("admin"),
        coordinator: await user("coordinator", police.id),
        chair: await user("chair", police.id),
        agency_rep: await user("agency_rep", health.id),
        idva: await user("idva", idvaService.id),
      },
    };
  };
  return { home: await make("Home"), other: await make("Other") };
}

export type World = Awaited<ReturnType<typeof buildWorld>>;

/** A Cookie header for a fully signed-in session of this user. */
export async function sessionCookieFor(userId: string): Promise<string> {
  const { token } = await createSession({ userId, twoFactorVerified: true });
  return `${SESSION_COOKIE}=${token}`;
}

export function makeRequest(
  path: string,
  options: { method?: string; cookie?: string; form?: Record<string, string | string[]>; headers?: Record<string, string> } = {},
): Request {
  const headers = new Headers(options.headers);
  headers.set(CLIENT_IP_HEADER, "127.0.0.1");
  if (options.cookie) headers.set("Cookie", options.cookie);
  let body: URLSearchParams | undefined;
  if (options.form) {
    body = new URLSearchParams();
    for (const [k, v] of Object.entries(options.form)) for (const item of Array.isArray(v) ? v : [v]) body.append(k, item);
    headers.set("Content-Type", "application/x-www-form-urlencoded");
  }
  return new Request(`http://127.0.0.1:3000${path}`, { method: options.method ?? (body ? "POST" : "GET"), headers, body });
}

/** Run a loader or action and return the Response it returned or threw (or wrap plain data as 200). */
export async function invoke(
  fn: ((args: any) => unknown) | undefined,
  request: Request,
  params: Record<string, string> = {},
): Promise<{ status: number; location: string | null; data: any; response: Response | null }> {
  if (!fn) throw new Error("route has no such function");
  try {
    const result: any = await fn({ request, params, context: {} });
    if (result instanceof Response) return { status: result.status, location: result.headers.get("Location"), data: null, response: result };
    if (result && typeof result === "object" && result.type === "DataWithResponseInit") {
      return { status: result.init?.status ?? 200, location: null, data: result.data, response: null };
    }
    return { status: 200, location: null, data: result, response: null };
  } catch (thrown: any) {
    if (thrown instanceof Response) return { status: thrown.status, location: thrown.headers.get("Location"), data: null, response: thrown };
    if (thrown && typeof thrown === "object" && thrown.type === "DataWithResponseInit") {
      return { status: thrown.init?.status ?? 200, location: null, data: thrown.data, response: null };
    }
    throw thrown;
  }
}

/** The domain-level actor for a user of one of the world's panels (as the policy would build it). */
export function actorFor(panel: World["home"], role: Role, overrides: { agencyId?: string | null } = {}) {
  const user = panel.users[role];
  const agencyByRole: Record<Role, string | null> = {
    admin: null,
    coordinator: panel.agencies.police.id,
    chair: panel.agencies.police.id,
    agency_rep: panel.agencies.health.id,
    idva: panel.agencies.idvaService.id,
  };
  return {
    area: { id: panel.area.id, code: panel.area.code },
    agencyId: overrides.agencyId !== undefined ? overrides.agencyId : agencyByRole[role],
    permissions: permissionsFor([role]),
    actor: { userId: user.id, ip: "127.0.0.1" },
  };
}
