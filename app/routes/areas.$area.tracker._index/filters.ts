import { actionStatuses, type ActionStatus } from "#db/schema";
import type { ActionFilter } from "~/models/actions.server";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The tracker's GET filters. Values that are not a valid choice are dropped, so the page still answers. */
export function trackerFilterFromUrl(url: URL): ActionFilter {
  const p = url.searchParams;
  const id = (name: string) => {
    const v = p.get(name) ?? "";
    return UUID.test(v) ? v : undefined;
  };
  const status = p.get("status") ?? "";
  return {
    meetingId: id("meeting"),
    agencyId: id("agency"),
    status: (actionStatuses as readonly string[]).includes(status) ? (status as ActionStatus) : undefined,
    overdue: p.get("overdue") === "on" || undefined,
    escalated: p.get("escalated") === "on" || undefined,
  };
}

/** The same filters as a query string (for the CSV link). */
export function trackerFilterQuery(filter: ActionFilter) {
  const q = new URLSearchParams();
  if (filter.meetingId) q.set("meeting", filter.meetingId);
  if (filter.agencyId) q.set("agency", filter.agencyId);
  if (filter.status) q.set("status", filter.status);
  if (filter.overdue) q.set("overdue", "on");
  if (filter.escalated) q.set("escalated", "on");
  const s = q.toString();
  return s ? `?${s}` : "";
}

export const CSV_COLUMNS = ["reference", "meetingDate", "description", "agency", "owner", "due", "priority", "status", "reason", "completedOn", "overdue", "escalated", "note"] as const;
