import type postgres from "postgres";
import type { Db } from "../../db/client";
import { createSession, SESSION_COOKIE } from "../../app/models/auth/sessions.server";

/** One area's pages and the people who open them. */
export interface AreaTargets {
  code: string;
  coordinatorCookie: string;
  chairCookie: string;
  agencyCookie: string;
  nextMeetingId: string;
  lastMeetingId: string;
  lastMeetingCaseId: string;
}

export interface PageTarget {
  path: string;
  cookie: string;
}

/** The four pages of the issue, one URL per area. */
export const PAGES = {
  readiness: { label: "Coordinator: next meeting's readiness grid", target: (a: AreaTargets): PageTarget => ({ path: `/areas/${a.code.toLowerCase()}/meetings/${a.nextMeetingId}/readiness`, cookie: a.coordinatorCookie }) },
  case: { label: "Chair: case page (meeting room)", target: (a: AreaTargets): PageTarget => ({ path: `/areas/${a.code.toLowerCase()}/meetings/${a.lastMeetingId}/run/${a.lastMeetingCaseId}`, cookie: a.chairCookie }) },
  agencyActions: { label: "Agency (police): action list", target: (a: AreaTargets): PageTarget => ({ path: `/areas/${a.code.toLowerCase()}/actions`, cookie: a.agencyCookie }) },
  trackerOverdue: { label: "Chair: action tracker, overdue", target: (a: AreaTargets): PageTarget => ({ path: `/areas/${a.code.toLowerCase()}/tracker?overdue=on`, cookie: a.chairCookie }) },
} as const;
export type PageKey = keyof typeof PAGES;

async function cookieFor(db: Db, userId: string) {
  // Straight into the sessions table through the domain function: no argon2 per sign-in.
  const { token } = await createSession({ userId, twoFactorVerified: true, db });
  return `${SESSION_COOKIE}=${token}`;
}

/**
 * Up to `limit` areas (by code) with their next meeting, last held meeting and
 * one case on it, and a fresh session for the coordinator, the chair and the police rep.
 */
export async function findTargets(sql: postgres.Sql, db: Db, today: string, limit: number): Promise<AreaTargets[]> {
  const rows = await sql<{ id: string; code: string; coordinator: string; chair: string; police: string; next: string; last: string; mc: string }[]>`
    select a.id, a.code,
      (select user_id from memberships where area_id = a.id and role = 'coordinator' limit 1) as coordinator,
      (select user_id from memberships where area_id = a.id and role = 'chair' limit 1) as chair,
      (select m.user_id from memberships m join agencies g on g.id = m.agency_id where m.area_id = a.id and m.role = 'agency_rep' and g.kind = 'police' limit 1) as police,
      (select id from meetings where area_id = a.id and series_date >= ${today} and status <> 'cancelled' order by starts_at limit 1) as next,
      (select id from meetings where area_id = a.id and status = 'minutes_circulated' order by starts_at desc limit 1) as last
    from areas a order by a.code limit ${limit}`;
  const out: AreaTargets[] = [];
  for (const r of rows) {
    if (!r.coordinator || !r.chair || !r.police || !r.next || !r.last) continue;
    const [mc] = await sql<{ id: string }[]>`select id from meeting_cases where meeting_id = ${r.last} order by position limit 1`;
    out.push({
      code: r.code,
      coordinatorCookie: await cookieFor(db, r.coordinator),
      chairCookie: await cookieFor(db, r.chair),
      agencyCookie: await cookieFor(db, r.police),
      nextMeetingId: r.next,
      lastMeetingId: r.last,
      lastMeetingCaseId: mc.id,
    });
  }
  return out;
}

/** The held meeting with the most cases (the seed gives the first area one of 40), for the PDFs. */
export async function findBigMeeting(sql: postgres.Sql, db: Db) {
  const [row] = await sql<{ id: string; code: string; cases: number; coordinator: string }[]>`
    select m.id, a.code, count(mc.id)::int as cases,
      (select user_id from memberships where area_id = a.id and role = 'coordinator' limit 1) as coordinator
    from meetings m join areas a on a.id = m.area_id join meeting_cases mc on mc.meeting_id = m.id
    where m.status = 'minutes_circulated' and a.code = (select min(code) from areas)
    group by m.id, a.code, a.id order by count(mc.id) desc limit 1`;
  return { meetingId: row.id, code: row.code, cases: row.cases, cookie: await cookieFor(db, row.coordinator) };
}
