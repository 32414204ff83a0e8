import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "#db/client";
import { casePeople, cases, safeContacts } from "#db/schema";
import * as listRoute from "~/routes/areas.$area.referrals._index/route";
import * as taskRoute from "~/routes/areas.$area.referrals.$caseId._index/route";
import { DASH_QUESTIONS } from "~/lib/dash";
import * as checkRoute from "~/routes/areas.$area.referrals.$caseId.check/route";
import * as consentRoute from "~/routes/areas.$area.referrals.$caseId.consent/route";
import * as criteriaRoute from "~/routes/areas.$area.referrals.$caseId.criteria/route";
import * as dashRoute from "~/routes/areas.$area.referrals.$caseId.dash/route";
import * as childRoute from "~/routes/areas.$area.referrals.$caseId.children.$personId/route";
import * as perpetratorListRoute from "~/routes/areas.$area.referrals.$caseId.perpetrators._index/route";
import * as perpetratorRoute from "~/routes/areas.$area.referrals.$caseId.perpetrators.$personId/route";
import * as referrerRoute from "~/routes/areas.$area.referrals.$caseId.referrer/route";
import * as safeContactRoute from "~/routes/areas.$area.referrals.$caseId.safe-contact/route";
import * as victimRoute from "~/routes/areas.$area.referrals.$caseId.victim/route";
import { buildWorld, invoke, makeRequest, sessionCookieFor, type World } from "../support/world";

let world: World;
let rep: string;
let code: string;
beforeAll(async () => {
  world = await buildWorld();
  rep = await sessionCookieFor(world.home.users.agency_rep.id);
  code = world.home.area.code.toLowerCase();
});

const list = () => `/areas/${code}/referrals`;

async function caseRow(id: string) {
  return (await getDb().select().from(cases).where(eq(cases.id, id)))[0];
}

/** Start a referral through the list page's button, as the health agency's representative. */
async function start(cookie = rep) {
  const result = await invoke(listRoute.action, makeRequest(list(), { cookie, form: {} }), { area: code });
  expect(result.status).toBe(302);
  const id = /referrals\/([0-9a-f-]{36})\/referrer$/.exec(result.location ?? "")?.[1];
  expect(id).toBeDefined();
  return id!;
}

type RouteModule = { loader?: (args: any) => unknown; action?: (args: any) => unknown };

function post(route: RouteModule, caseId: string, section: string, form: Record<string, string | string[]>, extra: Record<string, string> = {}, cookie = rep) {
  return invoke(route.action, makeRequest(`${list()}/${caseId}/${section}`, { cookie, form }), { area: code, caseId, ...extra });
}

function get(route: RouteModule, caseId: string, section: string, extra: Record<string, string> = {}, cookie = rep, query = "") {
  return invoke(route.loader, makeRequest(`${list()}/${caseId}/${section}${query}`, { cookie }), { area: code, caseId, ...extra });
}

/** The first error conform reports for a field. */
function fieldError(result: { data: any }, name: string): string | undefined {
  return result.data?.result?.error?.[name]?.[0];
}

describe("your agency's referrals", () => {
  it("starts a draft with the referrer filled in and lists it for the agency only", async () => {
    const id = await start();
    const row = await caseRow(id);
    expect(row).toMatchObject({ status: "draft", referringAgencyId: world.home.agencies.health.id, referrerEmail: world.home.users.agency_rep.email });
    const mine = await invoke(listRoute.loader, makeRequest(list(), { cookie: rep }), { area: code });
    expect(mine.data.drafts.map((d: { id: string }) => d.id)).toContain(id);
    const idva = await invoke(listRoute.loader, makeRequest(list(), { cookie: await sessionCookieFor(world.home.users.idva.id) }), { area: code });
    expect(idva.data.drafts.map((d: { id: string }) => d.id)).not.toContain(id);
  });

  it("answers 403 to the chair and the admin, who cannot refer", async () => {
    for (const role of ["chair", "admin"] as const) {
      const cookie = await sessionCookieFor(world.home.users[role].id);
      expect((await invoke(listRoute.loader, makeRequest(list(), { cookie }), { area: code })).status).toBe(403);
      expect((await invoke(listRoute.action, makeRequest(list(), { cookie, form: {} }), { area: code })).status).toBe(403);
    }
  });

  it("keeps a draft from the coordinator, another agency and another panel (404)", async () => {
    const id = await start();
    for (const user of [world.home.users.coordinator, world.home.users.idva, world.other.users.agency_rep]) {
      const cookie = await sessionCookieFor(user.id);
      const areaCode = user === world.other.users.agency_rep ? world.other.area.code.toLowerCase() : code;
      const result = await invoke(taskRoute.loader, makeRequest(`/areas/${areaCode}/referrals/${id}`, { cookie }), { area: areaCode, caseId: id });
      expect(result.status).toBe(404);
      const save = await invoke(referrerRoute.action, makeRequest(`/areas/${areaCode}/referrals/${id}/referrer`, { cookie, form: { version: "1", referrerName: "X", referrerEmail: "x@example.org", referralDate: "1/1/2026" } }), {
        area: areaCode,
        caseId: id,
      });
      expect(save.status).toBe(404);
    }
    expect((await caseRow(id)).referrerName).toBe(world.home.users.agency_rep.name);
  });

  it("shows the task list with every section's status", async () => {
    const id = await start();
    const result = await get(taskRoute, id, "");
    expect(result.status).toBe(200);
    expect(result.data.statuses).toMatchObject({ referrer: "completed", victim: "notStarted", perpetrators: "notStarted", dash: "notStarted", consent: "notStarted" });
    expect(result.data.ready).toBe(false);
  });
});

describe("referrer section", () => {
  const good = { referrerName: "Heledd Health", referrerPhone: "01234 567890", referrerEmail: "Heledd@Health.Example", referralDate: "02/01/2026" };

  it("saves the referrer and goes on to the victim", async () => {
    const id = await start();
    const result = await post(referrerRoute, id, "referrer", { ...good, version: "1" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`${list()}/${id}/victim`);
    expect(await caseRow(id)).toMatchObject({ referrerName: "Heledd Health", referrerEmail: "heledd@health.example", referralDate: "2026-01-02", version: 2 });
    const page = await get(referrerRoute, id, "referrer");
    expect(page.data.values).toMatchObject({ referralDate: "2/1/2026", version: 2 });
  });

  it.each([
    ["an empty name", { referrerName: "" }, "referrerName", "referrals:errors.referrerNameRequired"],
    ["a name that is too long", { referrerName: "x".repeat(101) }, "referrerName", 'errors.tooLong|{"max":100}'],
    ["markup", { referrerName: "<b>Heledd</b>" }, "referrerName", "errors.noMarkup"],
    ["a bad email", { referrerEmail: "not-an-email" }, "referrerEmail", "errors.emailInvalid"],
    ["an impossible date", { referralDate: "31/02/2026" }, "referralDate", "referrals:errors.dateInvalid"],
    ["a future date", { referralDate: "1/1/2999" }, "referralDate", "referrals:errors.dateFuture"],
    ["a version that is not a number", { version: "abc" }, "version", "errors.invalid"],
  ])("refuses %s with 400 and saves nothing", async (_, change, field, message) => {
    const id = await start();
    const before = await caseRow(id);
    const result = await post(referrerRoute, id, "referrer", { ...good, version: "1", ...change });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await caseRow(id)).toEqual(before);
  });

  it("refuses a stale version with the conflict message and keeps the newer value", async () => {
    const id = await start();
    expect((await post(referrerRoute, id, "referrer", { ...good, version: "1" })).status).toBe(302);
    const stale = await post(referrerRoute, id, "referrer", { ...good, referrerName: "Someone Else", version: "1" });
    expect(stale.status).toBe(409);
    expect(stale.data).toEqual({ conflict: "referrals:errors.stale" });
    expect((await caseRow(id)).referrerName).toBe("Heledd Health");
  });

  it("answers 404 for another panel's case id and an unknown id", async () => {
    const otherRep = await sessionCookieFor(world.other.users.agency_rep.id);
    const otherCode = world.other.area.code.toLowerCase();
    const foreign = /referrals\/([0-9a-f-]{36})\//.exec((await invoke(listRoute.action, makeRequest(`/areas/${otherCode}/referrals`, { cookie: otherRep, form: {} }), { area: otherCode })).location!)![1];
    expect((await post(referrerRoute, foreign, "referrer", { ...good, version: "1" })).status).toBe(404);
    expect((await get(referrerRoute, foreign, "referrer")).status).toBe(404);
    expect((await get(referrerRoute, "not-a-uuid", "referrer")).status).toBe(404);
    expect((await caseRow(foreign)).referrerName).toBe(world.other.users.agency_rep.name);
  });
});


async function peopleOf(caseId: string) {
  return getDb().select().from(casePeople).where(eq(casePeople.caseId, caseId));
}

const victimForm = {
  firstName: "Jane",
  lastName: "Smith",
  aliases: "Janey Smith\r\n\r\nJane Jones",
  dobs: "07/03/1990\n1990-03-08",
  gender: "Female",
  address: "1 High Street, Llanfair",
  confidentialAddress: "on",
  phone: "07700 900000",
  safeToCall: "no",
  contactNotes: "Call the safe number only",
  language: "Welsh",
  interpreterNeeded: "no",
  pregnant: "yes",
  ethnicity: "White Welsh",
  age: "35",
};

describe("victim section", () => {
  it("adds the victim with ISO dates of birth and one alias a line, then changes them", async () => {
    const id = await start();
    const added = await post(victimRoute, id, "victim", { ...victimForm, version: "1" });
    expect(added.status).toBe(302);
    expect(added.location).toBe(`${list()}/${id}/safe-contact`);
    const [victim] = await peopleOf(id);
    expect(victim).toMatchObject({
      role: "victim",
      firstName: "Jane",
      aliases: ["Janey Smith", "Jane Jones"],
      dobs: ["1990-03-07", "1990-03-08"],
      confidentialAddress: true,
      safeToCall: false,
      pregnant: true,
      interpreterNeeded: false,
      age: 35,
    });
    const page = await get(victimRoute, id, "victim");
    expect(page.data).toMatchObject({ personId: victim.id, version: 2, values: { dobs: "7/3/1990\n8/3/1990", safeToCall: "no", personVersion: "1" } });
    const changed = await post(victimRoute, id, "victim", { ...victimForm, firstName: "Janet", version: "2", personId: victim.id, personVersion: "1" });
    expect(changed.status).toBe(302);
    expect((await peopleOf(id))[0]).toMatchObject({ firstName: "Janet", version: 2 });
  });

  it.each([
    ["an empty first name", { firstName: "" }, "firstName", "referrals:errors.firstNameRequired"],
    ["a last name that is too long", { lastName: "x".repeat(101) }, "lastName", 'errors.tooLong|{"max":100}'],
    ["markup in the address", { address: "<script>x</script>" }, "address", "errors.noMarkup"],
    ["markup in an alias", { aliases: "Jane\n<i>J</i>" }, "aliases", "errors.noMarkup"],
    ["an impossible date of birth", { dobs: "31/02/1990" }, "dobs", "referrals:errors.dobInvalid"],
    ["a date of birth in the future", { dobs: "1/1/2999" }, "dobs", "referrals:errors.dobInvalid"],
    ["an age that is not a number", { age: "thirty" }, "age", "referrals:errors.ageInvalid"],
    ["an unknown yes/no answer", { safeToCall: "maybe" }, "safeToCall", "referrals:errors.yesNo"],
    ["notes that are too long", { contactNotes: "x".repeat(2001) }, "contactNotes", 'errors.tooLong|{"max":2000}'],
  ])("refuses %s with 400 and saves nothing", async (_, change, field, message) => {
    const id = await start();
    const result = await post(victimRoute, id, "victim", { ...victimForm, version: "1", ...change });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await peopleOf(id)).toHaveLength(0);
    expect((await caseRow(id)).version).toBe(1);
  });

  it("answers 404 for a person id that is not on this referral", async () => {
    const id = await start();
    const other = await start();
    await post(victimRoute, other, "victim", { ...victimForm, version: "1" });
    const [foreign] = await peopleOf(other);
    expect((await post(victimRoute, id, "victim", { ...victimForm, version: "1", personId: foreign.id, personVersion: "1" })).status).toBe(404);
    expect((await post(victimRoute, id, "victim", { ...victimForm, version: "1", personId: "nope", personVersion: "1" })).status).toBe(404);
    expect((await peopleOf(other))[0].firstName).toBe("Jane");
  });

  it("refuses a stale person version and keeps the stored name", async () => {
    const id = await start();
    await post(victimRoute, id, "victim", { ...victimForm, version: "1" });
    const [victim] = await peopleOf(id);
    expect((await post(victimRoute, id, "victim", { ...victimForm, firstName: "Janet", version: "2", personId: victim.id, personVersion: "1" })).status).toBe(302);
    const stale = await post(victimRoute, id, "victim", { ...victimForm, firstName: "Joan", version: "3", personId: victim.id, personVersion: "1" });
    expect(stale.status).toBe(409);
    expect(stale.data.conflict).toBe("referrals:errors.stale");
    expect((await peopleOf(id))[0].firstName).toBe("Janet");
  });
});

describe("safe contact section", () => {
  it("saves the safe-contact rules", async () => {
    const id = await start();
    const result = await post(safeContactRoute, id, "safe-contact", { version: "1", safeNumber: "07700 900111", safeTimes: "Weekdays 10 to 2", noMessages: "on", mustNotKnow: "Her brother" });
    expect(result.status).toBe(302);
    const [row] = await getDb().select().from(safeContacts).where(eq(safeContacts.caseId, id));
    expect(row).toMatchObject({ safeNumber: "07700 900111", noMessages: true, mustNotKnow: "Her brother", notes: "" });
    expect((await get(safeContactRoute, id, "safe-contact")).data.values).toMatchObject({ safeNumber: "07700 900111", noMessages: "on" });
  });

  it.each([
    ["markup", { notes: "<b>x</b>" }, "notes", "errors.noMarkup"],
    ["a number that is too long", { safeNumber: "1".repeat(51) }, "safeNumber", 'errors.tooLong|{"max":50}'],
  ])("refuses %s with 400 and saves nothing", async (_, change, field, message) => {
    const id = await start();
    const result = await post(safeContactRoute, id, "safe-contact", { version: "1", ...change });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await getDb().select().from(safeContacts).where(eq(safeContacts.caseId, id))).toHaveLength(0);
  });

  it("refuses a stale version", async () => {
    const id = await start();
    await post(referrerRoute, id, "referrer", { version: "1", referrerName: "H", referrerEmail: "h@example.org", referralDate: "1/1/2026" });
    const result = await post(safeContactRoute, id, "safe-contact", { version: "1", safeNumber: "1" });
    expect(result.status).toBe(409);
    expect(await getDb().select().from(safeContacts).where(eq(safeContacts.caseId, id))).toHaveLength(0);
  });
});

describe("perpetrators and household", () => {
  it("adds, lists, changes and removes a perpetrator", async () => {
    const id = await start();
    const added = await post(perpetratorRoute, id, "perpetrators/new", { version: "1", firstName: "Mark", lastName: "Evans", dobs: "1/2/1985", relationshipToVictim: "Ex-partner" }, { personId: "new" });
    expect(added.status).toBe(302);
    expect(added.location).toBe(`${list()}/${id}/perpetrators`);
    const listed = await get(perpetratorListRoute, id, "perpetrators");
    expect(listed.data.people).toEqual([expect.objectContaining({ name: "Mark Evans", dob: "1/2/1985", relationship: "Ex-partner" })]);
    const personId = listed.data.people[0].id;
    const edit = await get(perpetratorRoute, id, `perpetrators/${personId}`, { personId });
    expect(edit.data).toMatchObject({ version: 2, values: { firstName: "Mark", personVersion: "1" }, remove: false });
    const changed = await post(perpetratorRoute, id, `perpetrators/${personId}`, { version: "2", personVersion: "1", firstName: "Marc", lastName: "Evans" }, { personId });
    expect(changed.status).toBe(302);
    expect((await peopleOf(id))[0]).toMatchObject({ firstName: "Marc", role: "perpetrator" });
    const confirm = await get(perpetratorRoute, id, `perpetrators/${personId}`, { personId }, rep, "?remove");
    expect(confirm.data).toMatchObject({ remove: true, name: "Marc Evans" });
    const removed = await post(perpetratorRoute, id, `perpetrators/${personId}`, { intent: "remove", version: "3" }, { personId });
    expect(removed.status).toBe(302);
    expect(await peopleOf(id)).toHaveLength(0);
  });

  it("adds a child with their school and relationships", async () => {
    const id = await start();
    const result = await post(childRoute, id, "children/new", { version: "1", role: "child", firstName: "Tom", lastName: "Smith", dobs: "3/4/2018", relationshipToVictim: "Son", relationshipToPerpetrator: "Son", school: "Ysgol Llanfair" }, { personId: "new" });
    expect(result.status).toBe(302);
    expect((await peopleOf(id))[0]).toMatchObject({ role: "child", school: "Ysgol Llanfair", dobs: ["2018-04-03"] });
  });

  it.each([
    ["an empty first name", { firstName: "" }, "firstName", "referrals:errors.firstNameRequired"],
    ["a bad date of birth", { dobs: "31/02/1990" }, "dobs", "referrals:errors.dobInvalid"],
    ["markup", { relationshipToVictim: "<b>x</b>" }, "relationshipToVictim", "errors.noMarkup"],
  ])("refuses a perpetrator with %s", async (_, change, field, message) => {
    const id = await start();
    const result = await post(perpetratorRoute, id, "perpetrators/new", { version: "1", firstName: "Mark", lastName: "Evans", ...change }, { personId: "new" });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await peopleOf(id)).toHaveLength(0);
  });

  it("refuses a household member without a role", async () => {
    const id = await start();
    const result = await post(childRoute, id, "children/new", { version: "1", firstName: "Tom", lastName: "Smith" }, { personId: "new" });
    expect(result.status).toBe(400);
    expect(fieldError(result, "role")).toBe("referrals:errors.householdRole");
  });

  it("answers 404 for unknown person ids, and for the victim on the perpetrator pages", async () => {
    const id = await start();
    await post(victimRoute, id, "victim", { ...victimForm, version: "1" });
    const [victim] = await peopleOf(id);
    for (const personId of ["00000000-0000-4000-8000-000000000000", "junk", victim.id]) {
      expect((await get(perpetratorRoute, id, `perpetrators/${personId}`, { personId })).status).toBe(404);
    }
    for (const personId of ["00000000-0000-4000-8000-000000000000", "junk"]) {
      expect((await post(perpetratorRoute, id, `perpetrators/${personId}`, { version: "2", firstName: "A", lastName: "B" }, { personId })).status).toBe(404);
      expect((await post(perpetratorRoute, id, `perpetrators/${personId}`, { intent: "remove", version: "2" }, { personId })).status).toBe(404);
    }
    expect(await peopleOf(id)).toHaveLength(1);
  });
});

function dashForm(yes: number, answered = 24) {
  const form: Record<string, string> = {};
  DASH_QUESTIONS.slice(0, answered).forEach((q, i) => {
    form[`answers.${q.id}.answer`] = i < yes ? "yes" : "no";
  });
  return form;
}

describe("dash section", () => {
  it("saves a partly answered checklist and shows the score and band", async () => {
    const id = await start();
    const result = await post(dashRoute, id, "dash", { version: "1", ...dashForm(3, 5), "answers.q02_frightened.source": "Her sister", fears: "That he will kill her" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`${list()}/${id}/dash`);
    const row = await caseRow(id);
    expect(Object.keys(row.dashAnswers)).toHaveLength(5);
    expect(row.dashAnswers.q02_frightened).toEqual({ answer: "yes", source: "Her sister" });
    expect(row).toMatchObject({ dashScore: 3, dashBand: "standard", dashFears: "That he will kill her" });
    expect((await get(dashRoute, id, "dash")).data.score).toEqual({ score: 3, answered: 5, band: "standard" });
  });

  it("scores 15 yes answers as high risk, which meets the visible-high-risk criterion", async () => {
    const id = await start();
    await post(dashRoute, id, "dash", { version: "1", ...dashForm(15) });
    expect((await get(dashRoute, id, "dash")).data.score).toEqual({ score: 15, answered: 24, band: "high" });
    expect((await get(criteriaRoute, id, "criteria")).data.visible).toEqual({ met: true, score: 15 });
  });

  it.each([
    ["an unknown answer", { "answers.q01_injured.answer": "perhaps" }, "answers.q01_injured.answer", "cases:dash.errors.answerInvalid"],
    ["markup in a source", { "answers.q01_injured.answer": "yes", "answers.q01_injured.source": "<b>" }, "answers.q01_injured.source", "errors.noMarkup"],
    ["fears that are too long", { fears: "x".repeat(2001) }, "fears", 'errors.tooLong|{"max":2000}'],
  ])("refuses %s with 400 and saves nothing", async (_, change, field, message) => {
    const id = await start();
    const result = await post(dashRoute, id, "dash", { version: "1", ...change });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await caseRow(id)).toMatchObject({ version: 1, dashAnswers: {}, dashFears: "" });
  });

  it("refuses a stale version and keeps the stored answers", async () => {
    const id = await start();
    await post(dashRoute, id, "dash", { version: "1", ...dashForm(15) });
    const stale = await post(dashRoute, id, "dash", { version: "1", ...dashForm(2) });
    expect(stale.status).toBe(409);
    expect(stale.data.conflict).toBe("referrals:errors.stale");
    expect((await caseRow(id)).dashScore).toBe(15);
  });
});

describe("criteria section", () => {
  const good = { version: "1", criteriaProfessionalJudgement: "on", professionalJudgementRationale: "Recent threats to kill", criteriaEscalation: "on", escalationIncidentCount: "4", criteriaRepeat: "on", previousMaracElsewhere: "yes", previousMaracDetails: "Cardiff, 2024" };

  it("saves the criteria", async () => {
    const id = await start();
    expect((await post(criteriaRoute, id, "criteria", good)).status).toBe(302);
    expect(await caseRow(id)).toMatchObject({ criteriaProfessionalJudgement: true, escalationIncidentCount: 4, criteriaRepeat: true, previousMaracElsewhere: true, riskLevel: "high" });
  });

  it.each([
    ["professional judgement without a rationale", { professionalJudgementRationale: "" }, "professionalJudgementRationale", "referrals:errors.rationaleRequired"],
    ["escalation without a count", { escalationIncidentCount: "" }, "escalationIncidentCount", "referrals:errors.incidentsRequired"],
    ["a count that is not a number", { escalationIncidentCount: "four" }, "escalationIncidentCount", "referrals:errors.incidentsInvalid"],
    ["a count of 0", { escalationIncidentCount: "0" }, "escalationIncidentCount", "referrals:errors.incidentsInvalid"],
    ["a count over 999", { escalationIncidentCount: "1000" }, "escalationIncidentCount", "referrals:errors.incidentsInvalid"],
    ["a rationale with markup", { professionalJudgementRationale: "<script>" }, "professionalJudgementRationale", "errors.noMarkup"],
  ])("refuses %s with 400 and saves nothing", async (_, change, field, message) => {
    const id = await start();
    const result = await post(criteriaRoute, id, "criteria", { ...good, ...change });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await caseRow(id)).toMatchObject({ version: 1, criteriaProfessionalJudgement: false });
  });
});

describe("consent section", () => {
  it("saves awareness, consent and the victim's views", async () => {
    const id = await start();
    const result = await post(consentRoute, id, "consent", { version: "1", victimAware: "yes", consentGiven: "no", noConsentLawfulBasis: "Prevent serious harm", victimWants: "To be safe" });
    expect(result.status).toBe(302);
    expect(result.location).toBe(`${list()}/${id}/check`);
    expect(await caseRow(id)).toMatchObject({ victimAware: true, consentGiven: false, noConsentLawfulBasis: "Prevent serious harm", victimWants: "To be safe" });
  });

  it.each([
    ["not aware without a reason", { victimAware: "no" }, "victimNotAwareReason", "referrals:errors.notAwareReasonRequired"],
    ["no consent without a lawful basis", { consentGiven: "no" }, "noConsentLawfulBasis", "referrals:errors.lawfulBasisRequired"],
    ["an unknown answer", { victimAware: "sometimes" }, "victimAware", "referrals:errors.yesNo"],
    ["views that are too long", { victimWants: "x".repeat(2001) }, "victimWants", 'errors.tooLong|{"max":2000}'],
  ])("refuses %s with 400 and saves nothing", async (_, change, field, message) => {
    const id = await start();
    const result = await post(consentRoute, id, "consent", { version: "1", ...change });
    expect(result.status).toBe(400);
    expect(fieldError(result, field)).toBe(message);
    expect(await caseRow(id)).toMatchObject({ version: 1, victimAware: null });
  });
});

describe("check your answers and submitting", () => {
  it("lists what is missing, linking to the sections, and refuses to submit an incomplete referral", async () => {
    const id = await start();
    const page = await get(checkRoute, id, "check");
    expect(page.data.problems.map((p: { section: string }) => p.section)).toEqual(expect.arrayContaining(["victim", "perpetrators", "criteria", "consent"]));
    const result = await post(checkRoute, id, "check", { version: "1" });
    expect(result.status).toBe(400);
    expect(result.data.problems).toContainEqual({ section: "victim", key: "cases:referral.problems.victim" });
    expect((await caseRow(id)).status).toBe("draft");
  });

  it("fills every section, checks and submits with a reference, after which the pages are closed", async () => {
    const id = await start();
    let v = 1;
    const step = async (route: RouteModule, section: string, form: Record<string, string>, extra: Record<string, string> = {}) => {
      const result = await post(route, id, section, { version: String(v), ...form }, extra);
      expect(result.status, section).toBe(302);
      v = (await caseRow(id)).version;
    };
    await step(referrerRoute, "referrer", { referrerName: "Heledd Health", referrerEmail: "h@health.example", referralDate: "2/1/2026" });
    await step(victimRoute, "victim", victimForm);
    await step(safeContactRoute, "safe-contact", { safeNumber: "07700 900111" });
    await step(perpetratorRoute, "perpetrators/new", { firstName: "Mark", lastName: "Evans" }, { personId: "new" });
    await step(dashRoute, "dash", dashForm(15));
    await step(consentRoute, "consent", { victimAware: "yes", consentGiven: "yes" });
    const tasks = await get(taskRoute, id, "");
    expect(tasks.data.statuses).toMatchObject({ referrer: "completed", victim: "completed", "safe-contact": "completed", perpetrators: "completed", dash: "completed", criteria: "completed", consent: "completed" });
    const check = await get(checkRoute, id, "check");
    expect(check.data.problems).toEqual([]);
    expect(check.data.victim).toMatchObject({ name: "Jane Smith", dobs: ["7/3/1990", "8/3/1990"] });
    expect(check.data.dash).toMatchObject({ score: 15, band: "high" });
    const submitted = await post(checkRoute, id, "check", { version: String(v) });
    expect(submitted.status).toBe(302);
    expect(submitted.location).toBe(list());
    const row = await caseRow(id);
    expect(row.status).toBe("referred");
    expect(row.reference).toMatch(new RegExp(`^${world.home.area.code}-\\d{4}-\\d{4}$`));
    expect(submitted.response?.headers.get("Set-Cookie")).toContain("panel_flash");
    const mine = await invoke(listRoute.loader, makeRequest(list(), { cookie: rep }), { area: code });
    expect(mine.data.submitted).toContainEqual(expect.objectContaining({ id, reference: row.reference, status: "referred" }));
    const closed = await get(victimRoute, id, "victim");
    expect(closed.status).toBe(302);
    expect(closed.location).toBe(list());
    expect((await post(victimRoute, id, "victim", { ...victimForm, version: String(row.version) })).status).toBe(409);
  });

  it("refuses a stale version on submit", async () => {
    const id = await start();
    await post(referrerRoute, id, "referrer", { version: "1", referrerName: "H", referrerEmail: "h@example.org", referralDate: "1/1/2026" });
    const result = await post(checkRoute, id, "check", { version: "1" });
    expect(result.status).toBe(409);
    expect(result.data.conflict).toBe("referrals:errors.stale");
  });
});
