import { count, eq } from "drizzle-orm";
import type { Db } from "../client";
import { areas, type AgencyKind, type Role } from "../schema";
import { makeAgency, makeArea, makeUser } from "../factories";
import { writeAudit } from "../../app/models/audit.server";
import { seedDemoCases } from "./demo-cases";

/** Everyone in the demo signs in with this password; it is printed at start. */
export const DEMO_PASSWORD = "demo-panel-2026";
export const DEMO_AREA_CODE = "LLF";

// A fictitious panel. Every address uses the reserved .example domain.
const AGENCIES: { key: string; name: string; kind: AgencyKind; email: string; verifier?: boolean }[] = [
  { key: "police", name: "Llanfair Police", kind: "police", email: "marac@police.llanfair.example" },
  { key: "health", name: "Llanfair University Health Board", kind: "health", email: "safeguarding@nhs.llanfair.example", verifier: true },
  { key: "housing", name: "Llanfair Council Housing", kind: "housing", email: "housing.marac@gov.llanfair.example", verifier: true },
  { key: "homes", name: "Taf Homes Housing Association", kind: "housing", email: "safeguarding@tafhomes.example" },
  { key: "children", name: "Children's Services", kind: "childrens_services", email: "childrens.marac@gov.llanfair.example" },
  { key: "adults", name: "Adult Services", kind: "adult_services", email: "adults.marac@gov.llanfair.example" },
  { key: "probation", name: "Probation Service", kind: "probation", email: "marac@probation.llanfair.example" },
  { key: "idva", name: "Llanfair IDVA Service", kind: "idva_service", email: "idva@cjsm.llanfair.example" },
  { key: "education", name: "Education Safeguarding", kind: "education", email: "education.marac@gov.llanfair.example" },
  { key: "mentalHealth", name: "Community Mental Health Team", kind: "mental_health", email: "cmht@nhs.llanfair.example" },
  { key: "substance", name: "Substance Misuse Service", kind: "substance_misuse", email: "referrals@nhs.llanfair.example" },
  { key: "fire", name: "Mid and West Fire and Rescue", kind: "fire", email: "safeguarding@fire.llanfair.example" },
  { key: "womensAid", name: "Llanfair Women's Aid", kind: "specialist_da", email: "marac@llanfairwa.example" },
];

const USERS: { email: string; name: string; role: Role; agency?: string }[] = [
  { email: "admin@llanfair.example", name: "Alex Admin", role: "admin" },
  { email: "coordinator@llanfair.example", name: "Carys Coordinator", role: "coordinator", agency: "police" },
  { email: "chair@llanfair.example", name: "DI Dafydd Chair", role: "chair", agency: "police" },
  { email: "police@llanfair.example", name: "PC Peter Price", role: "agency_rep", agency: "police" },
  { email: "health@llanfair.example", name: "Heledd Health", role: "agency_rep", agency: "health" },
  { email: "housing@llanfair.example", name: "Huw Housing", role: "agency_rep", agency: "housing" },
  { email: "children@llanfair.example", name: "Ceri Children", role: "agency_rep", agency: "children" },
  { email: "probation@llanfair.example", name: "Pat Probation", role: "agency_rep", agency: "probation" },
  { email: "idva@llanfair.example", name: "Ifan IDVA", role: "idva", agency: "idva" },
];

export interface SeededDemo {
  password: string;
  users: { email: string; role: string }[];
}

function nextThursday(from = new Date()): string {
  const d = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + ((4 - d.getUTCDay() + 7) % 7 || 7));
  return d.toISOString().slice(0, 10);
}

function weeksBefore(iso: string, weeks: number) {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - weeks * 7);
  return d.toISOString().slice(0, 10);
}

export async function seedDemo(db: Db): Promise<SeededDemo> {
  return db.transaction(async (tx) => {
    const t = tx as unknown as Db;
    const area = await makeArea(t, {
      name: "Llanfair MARAC",
      code: DEMO_AREA_CODE,
      nation: "wales",
      // The series started months ago, so the demo has past and future meetings.
      firstMeetingOn: weeksBefore(nextThursday(), 12),
      defaultVenue: "Llanfair Police Station, Conference Room 2 (or the secure video link)",
      secureDomains: ["police.llanfair.example", "nhs.llanfair.example", "gov.llanfair.example", "cjsm.llanfair.example", "probation.llanfair.example", "fire.llanfair.example"],
    });
    const agencyIds: Record<string, string> = {};
    for (const a of AGENCIES) {
      const agency = await makeAgency(t, { areaId: area.id, name: a.name, kind: a.kind, secureEmail: a.email, isVerifier: a.verifier ?? false });
      agencyIds[a.key] = agency.id;
    }
    const neighbour = await makeArea(t, { name: "Bryn Valley MARAC", code: "BRV", nation: "wales", firstMeetingOn: nextThursday() });
    const neighbourPolice = await makeAgency(t, { areaId: neighbour.id, name: "Bryn Valley Police", kind: "police", secureEmail: "marac@police.brynvalley.example" });
    const userIds: Record<string, string> = {};
    for (const u of USERS) {
      const memberships: { areaId: string; role: Role; agencyId?: string | null }[] = [
        { areaId: area.id, role: u.role, agencyId: u.agency ? agencyIds[u.agency] : null },
      ];
      // The coordinator also serves the neighbouring panel, to show the panel switcher.
      if (u.role === "coordinator") memberships.push({ areaId: neighbour.id, role: "coordinator", agencyId: neighbourPolice.id });
      userIds[u.email] = (await makeUser(t, { email: u.email, name: u.name, password: DEMO_PASSWORD, memberships })).id;
    }
    await seedDemoCases(t, {
      area,
      agencyIds,
      coordinatorId: userIds["coordinator@llanfair.example"],
      repUserId: userIds["police@llanfair.example"],
    });
    await makeUser(t, {
      email: "brynvalley.admin@llanfair.example",
      name: "Bethan Bryn",
      password: DEMO_PASSWORD,
      memberships: [{ areaId: neighbour.id, role: "admin" }],
    });
    for (const a of [area, neighbour]) {
      await writeAudit(t, { userId: null }, { areaId: a.id, action: "area.seeded", entity: "areas", entityId: a.id, detail: { demo: true } });
    }
    return demoSignIns();
  });
}

function demoSignIns(): SeededDemo {
  return {
    password: DEMO_PASSWORD,
    users: [...USERS.map((u) => ({ email: u.email, role: u.role })), { email: "brynvalley.admin@llanfair.example", role: "admin (Bryn Valley)" }],
  };
}

/** Whether the demo panel (Llanfair) is in the database. */
export async function demoPanelExists(db: Db): Promise<boolean> {
  const [demo] = await db.select({ id: areas.id }).from(areas).where(eq(areas.code, DEMO_AREA_CODE));
  return Boolean(demo);
}

/** The demo sign-ins as printed by `npm start` and `npm run db:seed`. */
export function printDemoSignIns(demo: SeededDemo, log: (line: string) => void = console.log) {
  log("\nDemo sign-ins (a fictitious panel; every password is the same):");
  for (const user of demo.users) log(`  ${user.role.padEnd(22)} ${user.email}`);
  log(`  password: ${demo.password}\n`);
}

/** Seed the demo on an empty database. Returns the sign-ins when the demo panel exists. */
export async function seedDemoIfEmpty(db: Db): Promise<SeededDemo | null> {
  const [{ n }] = await db.select({ n: count() }).from(areas);
  if (n === 0) return seedDemo(db);
  return (await demoPanelExists(db)) ? demoSignIns() : null;
}
