import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { agencies, areas, memberships, users, type AgencyKind, type Role } from "./schema";
import { hashPassword } from "../app/lib/crypto.server";

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
