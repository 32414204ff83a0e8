import { describe, expect, it } from "vitest";
import { roles } from "#db/schema";
import { PERMISSIONS, permissionsFor, ROLE_PERMISSIONS, rolesCan, type Permission } from "~/policy/permissions";

// The expected grant for every role × permission, written out in full so that
// any change to the policy table has to change this test too.
const Y = true;
const _ = false;
const EXPECTED: Record<Permission, [admin: boolean, coordinator: boolean, chair: boolean, agencyRep: boolean, idva: boolean]> = {
  "area:admin": [Y, _, _, _, _],
  "audit:read": [Y, _, _, _, _],
  "mailbox:read": [Y, Y, _, _, _],
  "case:read": [_, Y, Y, _, _],
  "case:refer": [_, Y, _, Y, Y],
  "list:compile": [_, Y, _, _, _],
  "list:read": [_, Y, Y, Y, Y],
  "identity:verify": [_, _, _, Y, Y],
  "identity:review": [_, Y, _, _, _],
  "research:submit": [_, _, _, Y, Y],
  "research:read": [_, Y, Y, _, _],
  "contact:log": [_, Y, _, _, Y],
  "contact:read": [_, Y, Y, _, Y],
  "safe_contact:read": [_, Y, Y, _, Y],
  "meeting:run": [_, Y, Y, _, _],
  "minutes:read": [_, Y, Y, Y, Y],
  "action:update": [_, Y, Y, Y, Y],
  "action:track": [_, Y, Y, _, _],
  "digest:send": [_, Y, _, _, _],
};

describe("roles → permissions table", () => {
  it("lists an expectation for every permission", () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...PERMISSIONS].sort());
  });

  for (const permission of PERMISSIONS) {
    roles.forEach((role, i) => {
      const expected = EXPECTED[permission][i];
      it(`${expected ? "grants" : "denies"} ${permission} to ${role}`, () => {
        expect(rolesCan([role], permission)).toBe(expected);
        expect(permissionsFor([role]).has(permission)).toBe(expected);
      });
    });
  }

  it("gives an admin no case content unless they are also coordinator", () => {
    expect(rolesCan(["admin"], "case:read")).toBe(false);
    expect(rolesCan(["admin", "coordinator"], "case:read")).toBe(true);
  });

  it("never lets a chair change settings", () => {
    expect(ROLE_PERMISSIONS.chair).not.toContain("area:admin");
  });
});
