import { memoInRequest, rememberInRequest } from "~/lib/request-scope.server";
import { redirect } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { getDb } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { agencies, areas, memberships, sessions, users, type Area, type Role } from "#db/schema";
import type { Actor } from "~/models/audit.server";
import { hashToken } from "~/lib/crypto.server";
import { keepSession, readSessionToken, sessionUserColumns } from "~/models/auth/sessions.server";
import { permissionsFor, type Permission } from "./permissions";

export * from "./permissions";

/** Set by the server entry from the socket address; any client-sent value is dropped first. */
export const CLIENT_IP_HEADER = "x-panel-client-ip";

export interface MembershipView {
  areaId: string;
  areaCode: string;
  areaName: string;
  mfaRequired: boolean;
  role: Role;
  agencyId: string | null;
  agencyName: string | null;
}

export interface CurrentUser {
  id: string;
  email: string;
  name: string;
  sessionId: string;
  currentAreaId: string | null;
  twoFactorVerified: boolean;
  hasTwoFactor: boolean;
  memberships: MembershipView[];
  actor: Actor;
}

export interface AreaContext {
  user: CurrentUser;
  area: Area;
  roles: Role[];
  /** The agency the user acts for in this area (agency representatives and IDVAs). */
  agencyId: string | null;
  permissions: Set<Permission>;
  actor: Actor;
}

export function clientIp(request: Request): string | null {
  return request.headers.get(CLIENT_IP_HEADER);
}

function signInRedirect(request: Request, to = "/sign-in") {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(back === "/" ? to : `${to}?redirectTo=${encodeURIComponent(back)}`);
}

/**
 * Who is asking, in one statement: the session, its user, and the user's active memberships with
 * their panels and agencies, one row a membership (a single row with no membership when there is
 * none). A page view used to read the session, then the memberships, then the panel: three round
 * trips before its own reads (docs/performance.md, finding 27).
 */
const sessionUserAndMemberships = statement((db, p: Placeholders<{ id: string }>) =>
  db
    .select({
      session: sessions,
      user: sessionUserColumns,
      membership: { role: memberships.role, agencyId: memberships.agencyId },
      area: areas,
      agencyName: agencies.name,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(memberships, and(eq(memberships.userId, sessions.userId), eq(memberships.active, true)))
    .leftJoin(areas, eq(areas.id, memberships.areaId))
    .leftJoin(agencies, eq(agencies.id, memberships.agencyId))
    .where(eq(sessions.id, p.id))
    .orderBy(areas.name, memberships.role),
);
const areaById = statement((db, p: Placeholders<{ id: string }>) => db.select().from(areas).where(eq(areas.id, p.id)));
const areaKey = (id: string) => `area:${id}`;

/** The signed-in user, or null. Does not enforce two-factor. */
export async function getOptionalUser(request: Request): Promise<CurrentUser | null> {
  const token = readSessionToken(request);
  if (!token) return null;
  // The root, panel and page loaders of one page view all ask: look the session up once.
  return memoInRequest(`user:${token}`, () => loadCurrentUser(request, token));
}

async function loadCurrentUser(request: Request, token: string): Promise<CurrentUser | null> {
  const rows = await sessionUserAndMemberships(getDb(), { id: hashToken(token) });
  if (rows.length === 0) return null;
  const found = await keepSession(rows[0]);
  if (!found) return null;
  const memberships: MembershipView[] = [];
  for (const { membership, area, agencyName } of rows) {
    if (!membership || !area) continue;
    memberships.push({ areaId: area.id, areaCode: area.code, areaName: area.name, mfaRequired: area.mfaRequired, role: membership.role, agencyId: membership.agencyId, agencyName });
    // The panel layout and the page ask for the panel next: this request has it already.
    rememberInRequest(areaKey(area.id), [area]);
  }
  return {
    id: found.user.id,
    email: found.user.email,
    name: found.user.name,
    sessionId: found.session.id,
    currentAreaId: found.session.currentAreaId,
    twoFactorVerified: found.session.twoFactorVerified,
    hasTwoFactor: found.user.totpEnabledAt !== null,
    memberships,
    actor: { userId: found.user.id, ip: clientIp(request) },
  };
}

export function mustEnrolTwoFactor(user: CurrentUser) {
  return !user.hasTwoFactor && user.memberships.some((m) => m.mfaRequired);
}

/**
 * A signed-in user who has passed two-factor (when enrolled) and has enrolled
 * when a panel requires it. Otherwise throws a redirect to the step missing.
 */
export async function requireUser(
  request: Request,
  options: { allowPendingTwoFactor?: boolean; allowMissingEnrolment?: boolean } = {},
): Promise<CurrentUser> {
  const user = await getOptionalUser(request);
  if (!user) throw signInRedirect(request);
  if (user.hasTwoFactor && !user.twoFactorVerified && !options.allowPendingTwoFactor) {
    throw signInRedirect(request, "/sign-in/two-factor");
  }
  if (mustEnrolTwoFactor(user) && !options.allowMissingEnrolment && !options.allowPendingTwoFactor) {
    throw redirect("/account/two-factor/setup");
  }
  return user;
}

export function notFoundResponse() {
  return new Response("errors.notFound", { status: 404, statusText: "NOT_FOUND" });
}

export function forbiddenResponse() {
  return new Response("errors.forbidden", { status: 403, statusText: "FORBIDDEN" });
}

/** The user's context in one area. An area they are not a member of answers 404. */
export async function requireAreaMember(request: Request, areaCode: string | undefined): Promise<AreaContext> {
  const user = await requireUser(request);
  const code = (areaCode ?? "").toUpperCase();
  const mine = user.memberships.filter((m) => m.areaCode === code);
  if (mine.length === 0) throw notFoundResponse();
  const [area] = await memoInRequest(areaKey(mine[0].areaId), () => areaById(getDb(), { id: mine[0].areaId }));
  if (!area) throw notFoundResponse();
  const roles = mine.map((m) => m.role);
  return {
    user,
    area,
    roles,
    agencyId: mine.find((m) => m.agencyId)?.agencyId ?? null,
    permissions: permissionsFor(roles),
    actor: user.actor,
  };
}

/**
 * The guard every area loader and action calls: the user must be a member of
 * the area (else 404) and hold the permission through one of their roles (else 403).
 */
export async function requirePermission(
  request: Request,
  permission: Permission,
  scope: { area: string | undefined },
): Promise<AreaContext> {
  const context = await requireAreaMember(request, scope.area);
  if (!context.permissions.has(permission)) throw forbiddenResponse();
  return context;
}

export function can(context: Pick<AreaContext, "permissions">, permission: Permission) {
  return context.permissions.has(permission);
}

/** Lower-case area code for URLs. */
export function areaPath(code: string, rest = "") {
  return `/areas/${code.toLowerCase()}${rest}`;
}

