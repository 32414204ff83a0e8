import { eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { actions, agencies, areas, casePeople, cases, caseSequences, meetingCases, memberships, users, type ActionStatus, type AgencyKind, type DashAnswers, type PersonRole, type Role } from "./schema";
import { hashPassword } from "../app/lib/crypto.server";
import { DASH_QUESTIONS, scoreDash } from "../app/lib/dash";
import { matchingKeys } from "../app/models/cases/keys";
import { formatCaseReference } from "../app/models/cases/references.server";

/** Building blocks shared by the demo seed and the tests. */

export async function makeArea(db: Db, values: Partial<typeof areas.$inferInsert> & { name: string; code: string }) {
  const [area] = await db
    .insert(areas)
    .values({
      confidentialityStatement:
        "Information shared at this meeting is confidential. It is shared only for the purpose of reducing risk to the people discussed, and must not be shared further without the agreement of the agency that provided it.",
      ...values,
    })
    .returning();
  return area;
}

export async function makeAgency(
  db: Db,
  values: { areaId: string; name: string; kind: AgencyKind; secureEmail?: string | null; isVerifier?: boolean },
) {
  const [agency] = await db.insert(agencies).values(values).returning();
  return agency;
}

const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string) {
  if (!hashes.has(password)) hashes.set(password, hashPassword(password));
  return hashes.get(password)!;
}

export async function makeUser(
  db: Db,
  values: {
    email: string;
    name: string;
    password?: string | null;
    memberships?: { areaId: string; role: Role; agencyId?: string | null }[];
  },
) {
  const [user] = await db
    .insert(users)
    .values({
      email: values.email.toLowerCase(),
      name: values.name,
      passwordHash: values.password === null ? null : await cachedHash(values.password ?? "correct horse battery staple"),
    })
    .returning();
  for (const m of values.memberships ?? []) {
    await db.insert(memberships).values({ userId: user.id, areaId: m.areaId, role: m.role, agencyId: m.agencyId ?? null });
  }
  return user;
}

export async function findUserByEmail(db: Db, email: string) {
  const [user] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return user;
}

/** A referral with its victim and perpetrator, inserted directly (tests and the demo seed). */
export async function makeReferral(
  db: Db,
  values: {
    areaId: string;
    areaCode: string;
    agencyId: string;
    userId: string;
    status?: (typeof cases.$inferInsert)["status"];
    victim: { firstName: string; lastName: string; aliases?: string[]; dobs?: string[]; address?: string; confidentialAddress?: boolean };
    perpetrator?: { firstName: string; lastName: string; dobs?: string[]; relationshipToVictim?: string };
    children?: { firstName: string; lastName: string; dobs?: string[]; school?: string }[];
    dashYes?: number;
    referralDate?: string;
    isRepeat?: boolean;
    repeatOfCaseId?: string | null;
  },
) {
  const answers: DashAnswers = {};
  DASH_QUESTIONS.forEach((q, i) => {
    answers[q.id] = { answer: i < (values.dashYes ?? 15) ? "yes" : "no" };
  });
  const { score, band } = scoreDash(answers);
  const referralDate = values.referralDate ?? new Date().toISOString().slice(0, 10);
  const [seq] = await db
    .insert(caseSequences)
    .values({ areaId: values.areaId, year: Number(referralDate.slice(0, 4)), last: 1 })
    .onConflictDoUpdate({ target: [caseSequences.areaId, caseSequences.year], set: { last: sql`${caseSequences.last} + 1` } })
    .returning({ last: caseSequences.last });
  const status = values.status ?? "referred";
  const [row] = await db
    .insert(cases)
    .values({
      areaId: values.areaId,
      reference: status === "draft" ? null : formatCaseReference(values.areaCode, Number(referralDate.slice(0, 4)), seq.last),
      status,
      referringAgencyId: values.agencyId,
      referringUserId: values.userId,
      referrerName: "Referrer",
      referrerEmail: "referrer@example.org",
      referralDate,
      dashAnswers: answers,
      dashScore: score,
      dashBand: band,
      riskLevel: band,
      criteriaVisibleHighRisk: band === "high",
      criteriaProfessionalJudgement: band !== "high",
      professionalJudgementRationale: band !== "high" ? "Escalating controlling behaviour reported by the victim's GP." : "",
      victimAware: true,
      consentGiven: true,
      isRepeat: values.isRepeat ?? false,
      repeatOfCaseId: values.repeatOfCaseId ?? null,
      submittedAt: status === "draft" ? null : new Date(`${referralDate}T09:00:00Z`),
    })
    .returning();
  const person = async (role: PersonRole, p: { firstName: string; lastName: string; aliases?: string[]; dobs?: string[] } & Record<string, unknown>, position = 0) => {
    const [created] = await db
      .insert(casePeople)
      .values({ ...p, caseId: row.id, areaId: values.areaId, role, position, ...matchingKeys(p) })
      .returning();
    return created;
  };
  const victim = await person("victim", values.victim);
  if (values.perpetrator) await person("perpetrator", values.perpetrator);
  for (const [i, child] of (values.children ?? []).entries()) await person("child", child, i);
  return { case: row, victim };
}

/** An action agreed for a case listed at a meeting, inserted directly (tests). */
export async function makeAction(
  db: Db,
  values: { meetingCaseId: string; ownerAgencyId: string; description: string; dueOn: string; status?: ActionStatus; completedOn?: string },
) {
  const [listed] = await db
    .select({ id: meetingCases.id, meetingId: meetingCases.meetingId, caseId: meetingCases.caseId, areaId: cases.areaId })
    .from(meetingCases)
    .innerJoin(cases, eq(cases.id, meetingCases.caseId))
    .where(eq(meetingCases.id, values.meetingCaseId));
  const [row] = await db
    .insert(actions)
    .values({
      meetingCaseId: listed.id,
      meetingId: listed.meetingId,
      caseId: listed.caseId,
      areaId: listed.areaId,
      description: values.description,
      ownerAgencyId: values.ownerAgencyId,
      dueOn: values.dueOn,
      status: values.status ?? "open",
      completedOn: values.completedOn ?? null,
    })
    .returning();
  return row;
}
