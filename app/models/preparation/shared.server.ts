import { and, eq } from "drizzle-orm";
import type { Db } from "#db/client";
import { type Placeholders, statement } from "#db/statements";
import { meetingCases, meetings, type Meeting, type MeetingCase } from "#db/schema";
import { agenciesOfArea } from "../agencies.server";
import { AppError } from "../errors.server";
import type { CaseActor } from "../cases/access.server";

export const isUuid = (value: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

const meetingCaseInArea = statement((db, p: Placeholders<{ id: string; areaId: string }>) =>
  db
    .select({ mc: meetingCases, meeting: meetings })
    .from(meetingCases)
    .innerJoin(meetings, eq(meetings.id, meetingCases.meetingId))
    .where(and(eq(meetingCases.id, p.id), eq(meetings.areaId, p.areaId))),
);

/** A listed case and its meeting, in the actor's area, or 404. */
export async function loadMeetingCase(tx: Db, actor: CaseActor, meetingCaseId: string): Promise<{ mc: MeetingCase; meeting: Meeting }> {
  if (!isUuid(meetingCaseId)) throw new AppError("NOT_FOUND", "errors.notFound");
  const [row] = await meetingCaseInArea(tx, { id: meetingCaseId, areaId: actor.area.id });
  if (!row) throw new AppError("NOT_FOUND", "errors.notFound");
  return row;
}

/** The agencies expected at a panel's meetings: every active agency of the area. */
export async function attendingAgencies(tx: Db, areaId: string) {
  return agenciesOfArea(tx, areaId, "active");
}

/** Whether the end of a deadline day (London) has passed. */
export function isPastDeadline(deadline: string, today: string) {
  return today > deadline;
}
