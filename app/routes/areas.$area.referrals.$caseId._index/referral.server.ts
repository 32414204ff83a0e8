import type { Params } from "@remix-run/react";
import { data, redirect } from "@remix-run/node";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { replyWithAppError } from "~/lib/forms.server";
import { getReferral } from "~/models/cases/referrals.server";
import { AppError } from "~/models/errors.server";
import { areaPath, requirePermission } from "~/policy/index.server";

const EDITABLE = new Set(["draft", "returned"]);

/** The policy check every referral page starts with. */
export function requireReferrer(request: Request, params: Params) {
  return requirePermission(request, "case:refer", { area: params.area });
}

/** Paths of one referral's pages. */
export function referralPaths(areaCode: string, caseId: string) {
  const list = areaPath(areaCode, "/referrals");
  return { list, base: `${list}/${caseId}` };
}

/**
 * For the section pages: policy, then the audited read. A referral that has
 * been submitted is no longer edited here, so its pages go back to the list.
 */
export async function loadEditableReferral(request: Request, params: Params, titleKey: string) {
  const ctx = await requireReferrer(request, params);
  const view = await getReferral({ actor: ctx, caseId: params.caseId ?? "" });
  const paths = referralPaths(ctx.area.code, view.case.id);
  if (!EDITABLE.has(view.case.status)) throw redirect(paths.list);
  const title = createI18n(languageFromRequest(request)).t(titleKey);
  return { ctx, view, paths, title, area: { name: ctx.area.name } };
}

/** A domain error on a referral form: a stale version says someone else changed the referral. */
export function replyWithReferralError(submission: Parameters<typeof replyWithAppError>[0], error: unknown) {
  if (error instanceof AppError && error.code === "CONFLICT" && error.messageKey === "errors.stale") {
    return data({ conflict: "referrals:errors.stale" }, { status: 409 });
  }
  return replyWithAppError(submission, error);
}

/** Where "Save and continue" goes: the next section, or the task list. */
export function afterSave(paths: { base: string }, next: string | null) {
  return redirect(next ? `${paths.base}/${next}` : paths.base);
}

/** A person id from a form or URL: anything that is not an id cannot be on this referral. */
export function requirePersonId(value: string | undefined) {
  if (!value || !/^[0-9a-f-]{36}$/i.test(value)) throw new AppError("NOT_FOUND", "errors.notFound");
  return value;
}
