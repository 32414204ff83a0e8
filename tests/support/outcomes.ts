import { expect } from "vitest";
import { getDb } from "#db/client";
import { makeReferral } from "#db/factories";
import type { Agency } from "#db/schema";
import { formatLongDate } from "~/lib/london-time";
import { AppError } from "~/models/errors.server";
import type { World } from "./world";

/** "ok" when the promise resolves, else the AppError's code (or the error as text). */
export async function errorCode(promise: Promise<unknown>) {
  return promise.then(
    () => "ok",
    (e) => (e instanceof AppError ? e.code : String(e)),
  );
}

/** None of the needles in the text, in any case (plain-text emails show headings in capitals). */
export function expectAbsent(text: string, needles: string[]) {
  for (const n of needles) expect(text.toLowerCase(), n).not.toContain(n.toLowerCase());
}

/** A date as the emails write it. */
export const emailDay = (iso: string) => formatLongDate(iso, "en", { weekday: true });

export type ReferralPerson = Parameters<typeof makeReferral>[1]["victim"];

/** A case referred by the agency and already listed, in the world's home area. */
export async function listedReferral(world: World, agency: Agency, victim: ReferralPerson, perpetrator?: ReferralPerson) {
  const made = await makeReferral(getDb(), {
    areaId: world.home.area.id,
    areaCode: world.home.area.code,
    agencyId: agency.id,
    userId: world.home.users.coordinator.id,
    status: "listed",
    referralDate: "2026-11-02",
    victim,
    perpetrator,
  });
  return made.case;
}
