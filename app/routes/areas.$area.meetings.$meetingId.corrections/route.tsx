import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary } from "~/components/form";
import { BackLink, InsetText, PageHeading, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { getAgenda } from "~/models/meetings.server";
import { decideCorrection, listCorrectionsForReview } from "~/models/preparation/verification.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { presentMeeting } from "../areas.$area.meetings._index/present";
import { DecideSchema } from "./schema";

export const meta: MetaFunction = () => [{ title: "Corrections – Panel" }];

/** Corrections proposed by verifier agencies, side by side with the list, to accept or reject field by field. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const meetingId = params.meetingId ?? "";
  const { meeting } = await getAgenda({ actor: ctx, meetingId });
  const corrections = await listCorrectionsForReview({ actor: ctx, meetingId });
  return {
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, `/meetings/${meeting.id}`),
    when: presentMeeting(meeting, languageFromRequest(request)).when,
    corrections,
    allDecided: corrections.length > 0 && corrections.every((c) => c.fields.every((f) => f.decision)),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const meetingId = params.meetingId ?? "";
  const parsed = await parseForm(request, DecideSchema);
  if (!parsed.ok) return data({ problem: "errors.invalid" }, { status: 400 });
  const { checkId, version, field, decision } = parsed.value;
  // The check must belong to this meeting.
  const listed = await listCorrectionsForReview({ actor: ctx, meetingId });
  if (!listed.some((c) => c.checkId === checkId)) throw new AppError("NOT_FOUND", "errors.notFound");
  try {
    await decideCorrection({ actor: ctx, checkId, version, field, decision });
  } catch (error) {
    if (error instanceof AppError && error.code === "CONFLICT") return data({ problem: error.messageKey }, { status: 409 });
    throw error;
  }
  return redirectWithFlash(areaPath(ctx.area.code, `/meetings/${meetingId}/corrections`), { key: `preparation:corrections.${decision}` });
});

export default function CorrectionsPage() {
  const { area, back, when, corrections, allDecided } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("preparation");
  const multiline = (value: string) => (value ? <span className="panel-pre-line">{value}</span> : t("empty"));
  return (
    <>
      <BackLink to={back}>{t("meetings:meeting.title", { when })}</BackLink>
      <ErrorSummary extra={actionData?.problem ? [{ message: actionData.problem }] : []} />
      <PageHeading caption={area.name}>{t("corrections.title")}</PageHeading>
      {corrections.length === 0 ? <p className="govuk-body">{t("corrections.none")}</p> : null}
      {allDecided ? <InsetText>{t("corrections.allDecided")}</InsetText> : null}
      {corrections.map((c) => (
        <Table
          key={c.checkId}
          caption={t("corrections.caption", { reference: c.reference, role: t(`roles.${c.role}`).toLowerCase(), agency: c.agency })}
          head={[t("corrections.columns.field"), t("corrections.columns.current"), t("corrections.columns.proposed"), t("corrections.columns.decision")]}
          rows={c.fields.map((f) => [
            <span key="field">
              {t(`fields.${f.field}`)} {f.conflict ? <Tag colour="red">{t("corrections.conflict")}</Tag> : null}
            </span>,
            multiline(f.current),
            multiline(f.proposed),
            f.decision ? (
              <Tag key="decision" colour={f.decision === "accepted" ? "green" : "grey"}>
                {t(`corrections.decisions.${f.decision}`)}
              </Tag>
            ) : (
              <Form method="post" key="decide">
                <input type="hidden" name="checkId" value={c.checkId} />
                <input type="hidden" name="version" value={c.version} />
                <input type="hidden" name="field" value={f.field} />
                <div className="govuk-button-group">
                  <Button secondary name="decision" value="accepted" disabled={busy}>
                    {t("corrections.accept")}
                    <span className="govuk-visually-hidden">
                      {" "}
                      {t(`fields.${f.field}`)} {c.reference} {c.agency}
                    </span>
                  </Button>
                  <Button secondary name="decision" value="rejected" disabled={busy}>
                    {t("corrections.reject")}
                    <span className="govuk-visually-hidden">
                      {" "}
                      {t(`fields.${f.field}`)} {c.reference} {c.agency}
                    </span>
                  </Button>
                </div>
              </Form>
            ),
          ])}
        />
      ))}
    </>
  );
}
