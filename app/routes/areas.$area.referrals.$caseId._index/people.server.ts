import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { parseWithZod } from "@conform-to/zod";
import { data } from "@remix-run/node";
import { z } from "zod";
import type { PersonRole } from "#db/schema";
import { redirectWithFlash } from "~/lib/flash.server";
import { version } from "~/lib/validation";
import { removePerson, savePerson } from "~/models/cases/referrals.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { HouseholdSchema, PerpetratorSchema, personFormValues } from "./person-schema";
import { loadEditableReferral, referralPaths, replyWithReferralError, requirePersonId, requireReferrer } from "./referral.server";
import { ukDate } from "./fields";

/** Perpetrators and the household share one "add another" pattern. */
export const PEOPLE_GROUPS = {
  perpetrators: { roles: ["perpetrator"] as PersonRole[], schema: PerpetratorSchema, next: "children" },
  children: { roles: ["child", "other"] as PersonRole[], schema: HouseholdSchema, next: "dash" },
} as const;
export type PeopleGroup = keyof typeof PEOPLE_GROUPS;

const RemoveSchema = z.object({ intent: z.literal("remove"), version });

/** The list page: everyone in the group, with Change and Remove links. */
export function peopleListLoader(group: PeopleGroup) {
  return withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
    const { view, paths, title, area } = await loadEditableReferral(request, params, `referrals:sections.${group}`);
    const people = view.people
      .filter((p) => (PEOPLE_GROUPS[group].roles as string[]).includes(p.role))
      .map((p) => ({ id: p.id, role: p.role, name: `${p.firstName} ${p.lastName}`.trim(), dob: ukDate(p.dobs[0]), relationship: p.relationshipToVictim }));
    return { title, area, paths, group, next: PEOPLE_GROUPS[group].next, people };
  });
}

function personIdFrom(params: LoaderFunctionArgs["params"]) {
  return params.personId === "new" ? null : requirePersonId(params.personId);
}

/** Add or change one person; `?remove` asks to confirm removing them. */
export function personLoader(group: PeopleGroup) {
  return withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
    const personId = personIdFrom(params);
    const isNew = personId === null;
    const titleKey = `referrals:people.${isNew ? "new" : "edit"}${group === "perpetrators" ? "Perpetrator" : "Child"}`;
    const { view, paths, title, area } = await loadEditableReferral(request, params, titleKey);
    const person = isNew ? null : view.people.find((p) => p.id === personId && (PEOPLE_GROUPS[group].roles as string[]).includes(p.role));
    if (!isNew && !person) throw new AppError("NOT_FOUND", "errors.notFound");
    return {
      title,
      area,
      paths,
      group,
      listPath: `${paths.base}/${group}`,
      version: view.case.version,
      personId,
      name: person ? `${person.firstName} ${person.lastName}`.trim() : "",
      remove: !isNew && new URL(request.url).searchParams.has("remove"),
      values: person ? personFormValues(person) : ({} as Record<string, string>),
    };
  });
}

export function personAction(group: PeopleGroup) {
  return withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
    const ctx = await requireReferrer(request, params);
    const caseId = params.caseId ?? "";
    const personId = personIdFrom(params);
    const listPath = `${referralPaths(ctx.area.code, caseId).base}/${group}`;
    const formData = await request.formData();
    if (formData.get("intent") === "remove") {
      const submission = parseWithZod(formData, { schema: RemoveSchema });
      if (submission.status !== "success" || personId === null) return data({ result: submission.reply() }, { status: 400 });
      try {
        await removePerson({ actor: ctx, caseId, caseVersion: submission.value.version, personId });
      } catch (error) {
        return replyWithReferralError(submission, error);
      }
      // No names in the flash cookie: it is signed, not encrypted.
      return redirectWithFlash(listPath, { key: "referrals:people.removed" });
    }
    const submission = parseWithZod(formData, { schema: PEOPLE_GROUPS[group].schema });
    if (submission.status !== "success") return data({ result: submission.reply() }, { status: 400 });
    const { version: caseVersion, personVersion, ...rest } = submission.value;
    const role: PersonRole = "role" in rest ? rest.role : "perpetrator";
    const values = { ...rest } as Record<string, unknown>;
    delete values.role;
    try {
      await savePerson({ actor: ctx, caseId, caseVersion, personId: personId ?? undefined, personVersion, role, values });
    } catch (error) {
      return replyWithReferralError(submission, error);
    }
    return redirect(listPath);
  });
}
