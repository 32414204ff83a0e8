import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { areas, auditEvents, users } from "#db/schema";
import { updateAreaSettings } from "~/models/areas.server";
import * as settingsRoute from "~/routes/areas.$area.admin.settings/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let adminCookie: string;
let code: string;
beforeAll(async () => {
  world = await buildWorld();
  adminCookie = await sessionCookieFor(world.home.users.admin.id);
  code = world.home.area.code.toLowerCase();
  // Saving "require two-factor" would otherwise send everyone here to enrol first.
  const everyone = [...Object.values(world.home.users), ...Object.values(world.other.users)].map((u) => u.id);
  await getDb().update(users).set({ totpEnabledAt: new Date() }).where(inArray(users.id, everyone));
});

const path = () => `/areas/${code}/admin/settings`;

async function currentArea() {
  const [row] = await getDb().select().from(areas).where(eq(areas.id, world.home.area.id));
  return row;
}

async function form(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  const area = await currentArea();
  return {
    name: "Home MARAC (North)",
    nation: "england",
    cadenceDays: "7",
    firstMeetingOn: "2026-09-03",
    meetingTime: "09:30",
    defaultVenue: "Town Hall, Room 4",
    referralCutoffDays: "9",
    verificationSentDays: "7",
    verificationDueDays: "5",
    circulationDays: "4",
    researchDueDays: "1",
    minutesDueDaysAfter: "2",
    actionUpdatesDueDays: "3",
    digestDays: "6",
    confidentialityStatement: "What is said here stays here.",
    secureDomains: "NHS.net\r\n\r\n  police.example.gov.uk \r\nnhs.net",
    mfaRequired: "on",
    retentionMonths: "84",
    version: String(area.version),
    ...overrides,
  };
}

function save(values: Record<string, string>, cookie = adminCookie) {
  return invoke(settingsRoute.action, makeRequest(path(), { form: values, cookie }), { area: code });
}

describe("panel settings", () => {
  it("shows the current settings and version", async () => {
    const result = await invoke(settingsRoute.loader, makeRequest(path(), { cookie: adminCookie }), { area: code });
    expect(result.status).toBe(200);
    expect(result.data.settings).toMatchObject({ name: world.home.area.name, nation: "wales", cadenceDays: 14, referralCutoffDays: 10, mfaRequired: false });
    expect(result.data.version).toBe(1);
  });

  it("saves every setting, lower-cases and de-duplicates the domains, bumps the version and audits the change", async () => {
    const before = await currentArea();
    const result = await save(await form());
    expect(result.status).toBe(302);
    expect(result.location).toBe(path());
    const after = await currentArea();
    expect(after).toMatchObject({
      name: "Home MARAC (North)",
      code: before.code,
      nation: "england",
      cadenceDays: 7,
      firstMeetingOn: "2026-09-03",
      meetingTime: "09:30",
      defaultVenue: "Town Hall, Room 4",
      referralCutoffDays: 9,
      verificationSentDays: 7,
      verificationDueDays: 5,
      circulationDays: 4,
      researchDueDays: 1,
      minutesDueDaysAfter: 2,
      actionUpdatesDueDays: 3,
      digestDays: 6,
      confidentialityStatement: "What is said here stays here.",
      secureDomains: ["nhs.net", "police.example.gov.uk"],
      mfaRequired: true,
      retentionMonths: 84,
      version: before.version + 1,
    });
    const [audit] = await getDb()
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "area.settings_updated"), eq(auditEvents.areaId, world.home.area.id)));
    expect(audit).toMatchObject({ userId: world.home.users.admin.id, entityId: world.home.area.id });
    expect(audit.detail.changed).toEqual(expect.arrayContaining(["name", "nation", "secureDomains", "mfaRequired"]));
  });

  it("turns two-factor off when the box is not ticked, and allows no first meeting date or venue", async () => {
    const values = await form({ firstMeetingOn: "", defaultVenue: "", secureDomains: "" });
    delete values.mfaRequired;
    expect((await save(values)).status).toBe(302);
    expect(await currentArea()).toMatchObject({ mfaRequired: false, firstMeetingOn: null, defaultVenue: "", secureDomains: [] });
  });

  it.each([
    ["an empty name", { name: "" }, "name", "admin:errors.nameRequired"],
    ["a name that is too long", { name: "n".repeat(121) }, "name", 'errors.tooLong|{"max":120}'],
    ["markup in the name", { name: "<script>alert(1)</script>" }, "name", "errors.noMarkup"],
    ["markup in the venue", { defaultVenue: "<img src=x onerror=alert(1)>" }, "defaultVenue", "errors.noMarkup"],
    ["markup in the statement", { confidentialityStatement: "<script>x</script>" }, "confidentialityStatement", "errors.noMarkup"],
    ["an empty statement", { confidentialityStatement: "" }, "confidentialityStatement", "admin:errors.statementRequired"],
    ["an unknown nation", { nation: "atlantis" }, "nation", "admin:errors.nationRequired"],
    ["a cadence that is not a number", { cadenceDays: "fortnightly" }, "cadenceDays", "admin:errors.wholeNumber"],
    ["a fractional cadence", { cadenceDays: "7.5" }, "cadenceDays", "admin:errors.wholeNumber"],
    ["a cadence of zero", { cadenceDays: "0" }, "cadenceDays", 'admin:errors.numberRange|{"min":1,"max":365}'],
    ["an empty offset", { digestDays: "" }, "digestDays", 'admin:errors.numberRange|{"min":0,"max":60}'],
    ["a negative offset", { researchDueDays: "-1" }, "researchDueDays", 'admin:errors.numberRange|{"min":0,"max":60}'],
    ["an impossible date", { firstMeetingOn: "2026-02-30" }, "firstMeetingOn", "admin:errors.dateInvalid"],
    ["a date in another format", { firstMeetingOn: "03/09/2026" }, "firstMeetingOn", "admin:errors.dateInvalid"],
    ["an impossible time", { meetingTime: "25:00" }, "meetingTime", "admin:errors.timeInvalid"],
    ["a time without minutes", { meetingTime: "10" }, "meetingTime", "admin:errors.timeInvalid"],
    ["a domain with a space", { secureDomains: "nhs.net\nnot a domain" }, "secureDomains", 'admin:errors.domainInvalid|{"domain":"not a domain"}'],
    ["an email address as a domain", { secureDomains: "someone@nhs.net" }, "secureDomains", 'admin:errors.domainInvalid|{"domain":"someone@nhs.net"}'],
    ["markup as a domain", { secureDomains: "<script>" }, "secureDomains", 'admin:errors.domainInvalid|{"domain":"<script>"}'],
    ["circulation before verification is due", { verificationDueDays: "3", circulationDays: "4" }, "circulationDays", 'admin:errors.timetableOrder|{"max":3}'],
    ["a retention period that is too short", { retentionMonths: "1" }, "retentionMonths", 'admin:errors.numberRange|{"min":12,"max":240}'],
    ["a missing version", { version: "" }, "version", "errors.invalid"],
  ])("rejects %s with 400, the message on the field, and saves nothing", async (_label, overrides, field, message) => {
    const before = await currentArea();
    const result = await save(await form(overrides));
    expect(result.status).toBe(400);
    expect(result.data.result.error[field]).toContain(message);
    expect(await currentArea()).toEqual(before);
  });

  it("refuses a second save made from the same version, keeping the first", async () => {
    const first = await form({ name: "First editor's name" });
    const second = { ...first, name: "Second editor's name" };
    expect((await save(first)).status).toBe(302);
    const result = await save(second);
    expect(result.status).toBe(409);
    expect(result.data.conflict).toBe("errors.stale");
    expect((await currentArea()).name).toBe("First editor's name");
    const area = await currentArea();
    await expect(
      updateAreaSettings({
        actor: { userId: world.home.users.admin.id },
        areaId: area.id,
        version: area.version - 1,
        values: { ...area, name: "Late" },
      }),
    ).rejects.toMatchObject({ code: "CONFLICT" });
    expect((await currentArea()).name).toBe("First editor's name");
  });

  for (const role of ["coordinator", "chair", "agency_rep", "idva"] as const) {
    it(`answers 403 to a ${role} of the same panel`, async () => {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      expect((await invoke(settingsRoute.loader, makeRequest(path(), { cookie }), { area: code })).status).toBe(403);
      const before = await currentArea();
      expect((await save(await form({ name: `Renamed by ${role}` }), cookie)).status).toBe(403);
      expect(await currentArea()).toEqual(before);
    });
  }

  it("answers 404 to the admin of another panel, and leaves both panels alone", async () => {
    const cookie = await sessionCookieFor(world.other.users.admin.id);
    const before = await currentArea();
    expect((await save(await form({ name: "Hijacked" }), cookie)).status).toBe(404);
    expect(await currentArea()).toEqual(before);
    const [other] = await getDb().select().from(areas).where(eq(areas.id, world.other.area.id));
    expect(other.name).toBe(world.other.area.name);
  });
});
