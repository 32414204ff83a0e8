import { sql } from "drizzle-orm";
import type { Db } from "#db/client";
import { caseSequences } from "#db/schema";

/** The next human reference for an area, e.g. CDF-2026-0142. Atomic under concurrency. */
export async function nextCaseReference(tx: Db, area: { id: string; code: string }, year: number): Promise<string> {
  const [row] = await tx
    .insert(caseSequences)
    .values({ areaId: area.id, year, last: 1 })
    .onConflictDoUpdate({ target: [caseSequences.areaId, caseSequences.year], set: { last: sql`${caseSequences.last} + 1` } })
    .returning({ last: caseSequences.last });
  return formatCaseReference(area.code, year, row.last);
}

export function formatCaseReference(code: string, year: number, n: number) {
  return `${code.toUpperCase()}-${year}-${String(n).padStart(4, "0")}`;
}

/** Initials for lists and emails, e.g. "J.S."; never the full name. */
export function initialsOf(person: { firstName: string; lastName: string } | undefined | null): string {
  if (!person) return "";
  const letters = [person.firstName, person.lastName].map((p) => p.trim().charAt(0).toUpperCase()).filter(Boolean);
  return letters.map((l) => `${l}.`).join("");
}
