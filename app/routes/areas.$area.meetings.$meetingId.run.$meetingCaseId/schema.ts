import { z } from "zod";
import { required, uuid, version } from "~/lib/validation";
import { oneOf, plainText } from "../areas.$area.meetings.$meetingId.run._index/schema";

export const MINUTES_MAX = 5000;
export const DESCRIPTION_MAX = 1000;
export const OWNER_NAME_MAX = 200;

export const MINUTES_FIELDS = ["infoShared", "risksVictim", "risksChildren", "risksOthers", "risksStaff", "safetyPlanning", "crimesReported", "decisions"] as const;

const minutesText = plainText(MINUTES_MAX);

export const MinutesFormSchema = z.object({
  intent: z.literal("minutes", required("errors.invalid")),
  version,
  infoShared: minutesText,
  risksVictim: minutesText,
  risksChildren: minutesText,
  risksOthers: minutesText,
  risksStaff: minutesText,
  safetyPlanning: minutesText,
  crimesReported: minutesText,
  decisions: minutesText,
});

const isoDate = z
  .string(required("cases:actions.errors.due"))
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "cases:actions.errors.due")
  .refine((v) => {
    const d = new Date(`${v}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
  }, "cases:actions.errors.due");

const draft = {
  description: plainText(DESCRIPTION_MAX, "cases:actions.errors.description"),
  ownerAgencyId: uuid("cases:actions.errors.owner"),
  ownerName: plainText(OWNER_NAME_MAX),
  dueOn: isoDate,
  priority: oneOf(["low", "medium", "high"], "meetingRoom:errors.priority"),
};

export const AddActionSchema = z.object({ intent: z.literal("addAction", required("errors.invalid")), ...draft });

export const ReviseActionSchema = z.object({ intent: z.literal("reviseAction", required("errors.invalid")), actionId: uuid(), version, ...draft });

export const OutcomeSchema = z.object({
  intent: z.literal("outcome", required("errors.invalid")),
  version,
  outcome: oneOf(["discussed", "deferred", "withdrawn"], "meetingRoom:errors.outcome"),
});
