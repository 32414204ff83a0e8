import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary, TextArea, TextField, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError, replyWithErrors } from "~/lib/forms.server";
import { todayInLondon } from "~/lib/london-time";
import { withAppErrors } from "~/models/errors.server";
import { cancelMeeting, getAgenda, rescheduleMeeting } from "~/models/meetings.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { presentMeeting } from "../areas.$area.meetings._index/present";
import { CancelSchema, REASON_MAX, RescheduleSchema, VENUE_MAX } from "./schema";

export const meta: MetaFunction = () => [{ title: "Reschedule or cancel a meeting – Panel" }];

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const { meeting } = await getAgenda({ actor: ctx, meetingId: params.meetingId ?? "" });
  return {
    area: { name: ctx.area.name },
    back: areaPath(ctx.area.code, `/meetings/${meeting.id}`),
    meeting: presentMeeting(meeting, languageFromRequest(request)),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const meetingId = params.meetingId ?? "";
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "cancel") {
    const parsed = await parseForm(request, CancelSchema);
    if (!parsed.ok) return parsed.response;
    try {
      await cancelMeeting({ actor: ctx, meetingId, version: parsed.value.version, reason: parsed.value.reason });
    } catch (error) {
      return replyWithAppError(parsed.submission, error);
    }
    return redirectWithFlash(areaPath(ctx.area.code, "/meetings"), { key: "meetings:edit.cancelled" });
  }
  const parsed = await parseForm(request, RescheduleSchema);
  if (!parsed.ok) return parsed.response;
  if (parsed.value.date < todayInLondon()) return replyWithErrors(parsed.submission, { fieldErrors: { date: ["meetings:edit.errors.datePast"] } });
  try {
    await rescheduleMeeting({ actor: ctx, meetingId, version: parsed.value.version, date: parsed.value.date, time: parsed.value.time, venue: parsed.value.venue ?? "" });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
  return redirectWithFlash(areaPath(ctx.area.code, `/meetings/${meetingId}`), { key: "meetings:edit.rescheduled" });
});

export default function EditMeeting() {
  const { area, back, meeting } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("meetings");
  const busy = navigation.state === "submitting";
  const lastResult = actionData && "result" in actionData ? actionData.result : undefined;
  const [reschedule, rf] = useSchemaForm(RescheduleSchema, {
    id: `reschedule-${meeting.version}`,
    lastResult: lastResult && (lastResult as { initialValue?: { intent?: string } }).initialValue?.intent !== "cancel" ? lastResult : undefined,
    defaultValue: { date: meeting.date, time: meeting.time, venue: meeting.venue },
  });
  const [cancel, cf] = useSchemaForm(CancelSchema, {
    id: `cancel-${meeting.version}`,
    lastResult: lastResult && (lastResult as { initialValue?: { intent?: string } }).initialValue?.intent === "cancel" ? lastResult : undefined,
  });
  const conflict = actionData && "conflict" in actionData ? [{ message: actionData.conflict }] : [];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={back}>{meeting.when}</BackLink>
        <ErrorSummary form={reschedule} extra={conflict} />
        <ErrorSummary form={cancel} />
        <PageHeading caption={area.name}>{t("edit.title", { when: meeting.when })}</PageHeading>
        <h2 className="govuk-heading-m">{t("edit.rescheduleTitle")}</h2>
        <Form method="post" {...getFormProps(reschedule)}>
          <input type="hidden" name="intent" value="reschedule" />
          <input type="hidden" name="version" value={meeting.version} />
          <TextField field={rf.date} type="date" label={t("edit.date")} hint={t("edit.dateHint")} />
          <TextField field={rf.time} type="time" label={t("edit.time")} hint={t("edit.timeHint")} width="5" />
          <TextField field={rf.venue} label={t("edit.venue")} hint={t("edit.venueHint", { max: VENUE_MAX })} />
          <Button disabled={busy}>{t("edit.reschedule")}</Button>
        </Form>
        <h2 className="govuk-heading-m">{t("edit.cancelTitle")}</h2>
        <p className="govuk-body">{t("edit.cancelBody")}</p>
        <Form method="post" {...getFormProps(cancel)}>
          <input type="hidden" name="intent" value="cancel" />
          <input type="hidden" name="version" value={meeting.version} />
          <TextArea field={cf.reason} label={t("edit.reason")} hint={t("edit.reasonHint", { max: REASON_MAX })} />
          <Button warning disabled={busy}>
            {t("edit.cancel")}
          </Button>
        </Form>
      </div>
    </div>
  );
}
