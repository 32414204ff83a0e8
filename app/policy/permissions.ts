import type { Role } from "#db/schema";

/** Every permission the app checks. Named strings, mapped from roles in one table below. */
export const PERMISSIONS = [
  "area:admin",
  "audit:read",
  "mailbox:read",
  "case:read",
  "case:refer",
  "list:compile",
  "list:read",
  "identity:verify",
  "identity:review",
  "research:submit",
  "research:read",
  "contact:log",
  "contact:read",
  "safe_contact:read",
  "meeting:run",
  "minutes:read",
  "action:update",
  "action:track",
  "digest:send",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AGENCY_REP: readonly Permission[] = ["case:refer", "list:read", "identity:verify", "research:submit", "minutes:read", "action:update"];

/** The one roles → permissions table (DESIGN.md section 2). */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // The admin manages the area but sees no case content unless also coordinator.
  admin: ["area:admin", "audit:read", "mailbox:read"],
  coordinator: [
    "case:read",
    "case:refer",
    "list:compile",
    "list:read",
    "identity:review",
    "research:read",
    "contact:log",
    "contact:read",
    "safe_contact:read",
    "meeting:run",
    "minutes:read",
    "action:update",
    "action:track",
    "digest:send",
    // The demo mailbox (offline mode only): the coordinator checks what the digests said.
    "mailbox:read",
  ],
  // Sees what the coordinator sees and runs the meeting; cannot compile lists or change settings.
  chair: ["case:read", "list:read", "research:read", "contact:read", "safe_contact:read", "meeting:run", "minutes:read", "action:update", "action:track"],
  agency_rep: AGENCY_REP,
  idva: [...AGENCY_REP, "contact:log", "contact:read", "safe_contact:read"],
};

export function permissionsFor(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

export function rolesCan(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((role) => ROLE_PERMISSIONS[role].includes(permission));
}

/** Roles that act for one agency: a membership with one of these must name its agency. */
export const AGENCY_ROLES: readonly Role[] = ["agency_rep", "idva"];

export function roleNeedsAgency(role: string): boolean {
  return (AGENCY_ROLES as readonly string[]).includes(role);
}
