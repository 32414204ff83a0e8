import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { Button, ErrorSummary, useErrorText } from "~/components/form";
import { BackLink, InsetText, PageHeading, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { getRunSheet } from "~/models/meeting-room-read.server";
import { closeMeeting, listAttendance, recordAttendance, startMeeting } from "~/models/meeting-room.server";
import { areaPath, requirePermission } from "~/policy/index.server";
import { MeetingStatusTag, presentMeeting, RiskTag } from "../areas.$area.meetings._index/present";
import { Checkbox, firstError, Input, type Problem, Radios, typedValues } from "./room";
import { AttendanceSchema, CloseSchema, NAME_MAX, ObserverSchema, StartSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meeting.shortDate ?? ""} – Panel` }];

const OUTCOME_COLOUR = { discussed: "green", deferred: "yellow", withdrawn: "grey" } as const;

/** The chair's run sheet: attendance with the confidentiality statement, the cases in order, and closing. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "meeting:run", { area: params.area });
  const meetingId = params.meetingId ?? "";
  const sheet = await getRunSheet({ actor: ctx, meetingId });
  const attendance = await listAttendance({ actor: ctx, meetingId });
  const base = areaPath(ctx.area.code, `/meetings/${meetingId}`);
  const byAgency = new Map(attendance.filter((a) => a.row.agencyId).map((a) => [a.row.agencyId!, a.row]));
  return {
    area: { name: ctx.area.name, statement: ctx.area.confidentialityStatement },
    meetingPath: base,
    casePath: `${base}/run/`,
    meeting: { ...presentMeeting(sheet.meeting, languageFromRequest(request)) },
    agencies: sheet.agencies.map((a) => {
      const row = byAgency.get(a.id);
      return {
        id: a.id,
        name: a.name,
        attendance: row
          ? { id: row.id, version: row.version, status: row.status, personName: row.personName, infoSent: row.infoSent, confirmed: row.confidentialityConfirmedAt !== null }
          : null,
      };
    }),
    observers: attendance
      .filter((a) => !a.row.agencyId)
      .map((a) => ({ id: a.row.id, personName: a.row.personName, organisation: a.row.observerOrganisation, confirmed: a.row.confidentialityConfirmedAt !== null })),
    cases: sheet.cases,
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "meeting:run", { area: params.area });
  const meetingId = params.meetingId ?? "";
  const here = areaPath(ctx.area.code, `/meetings/${meetingId}/run`);
  const form = await request.clone().formData();
  const intent = String(form.get("intent") ?? "");
  const formId = intent === "attendance" ? `attendance-${String(form.get("agencyId") ?? "")}` : intent;
  const problem = (p: Omit<Problem, "form" | "values">, status: number) => data({ problem: { ...p, form: formId, values: typedValues(form) } as Problem }, { status });
  const run = async <S extends z.ZodTypeAny>(schema: S, fn: (value: z.infer<S>) => Promise<unknown>, flash: string, to = here) => {
    const parsed = await parseForm(request, schema);
    if (!parsed.ok) return problem(firstError(parsed.submission), 400);
    try {
      await fn(parsed.value);
    } catch (error) {
      if (error instanceof AppError && error.code === "CONFLICT" && error.messageKey === "cases:meetingRoom.errors.casesOpen") {
        return problem({ key: `cases:meetingRoom.errors.casesOpen|${JSON.stringify({ count: Number(error.options.detail?.open ?? 0) })}` }, 409);
      }
      if (error instanceof AppError && (error.code === "CONFLICT" || error.code === "INVALID")) return problem({ key: error.messageKey, field: error.options.field }, error.status);
      throw error;
    }
    return redirectWithFlash(to, { key: flash });
  };
  switch (intent) {
    case "start":
      return run(StartSchema, (v) => startMeeting({ actor: ctx, meetingId, version: v.version }), "meetingRoom:start.started");
    case "attendance": {
      const { agencies } = await getRunSheet({ actor: ctx, meetingId });
      const agencyId = String(form.get("agencyId") ?? "");
      // Only this panel's active agencies have a row; anything else is refused on the form.
      if (!agencies.some((a) => a.id === agencyId)) return problem({ key: "meetingRoom:errors.agency", field: "agencyId" }, 400);
      return run(
        AttendanceSchema,
        (v) =>
          recordAttendance({
            actor: ctx,
            meetingId,
            attendanceId: v.attendanceId,
            version: v.attendanceVersion,
            input: { agencyId: v.agencyId, personName: v.personName, status: v.status, infoSent: v.infoSent, confirmConfidentiality: v.confirmConfidentiality },
          }),
        "meetingRoom:attendance.saved",
      );
    }
    case "observer":
      return run(
        ObserverSchema,
        (v) =>
          recordAttendance({
            actor: ctx,
            meetingId,
            input: { agencyId: null, personName: v.personName, observerOrganisation: v.observerOrganisation, status: "present", infoSent: false, confirmConfidentiality: v.confirmConfidentiality },
          }),
        "meetingRoom:attendance.observerAdded",
      );
    case "close":
      return run(CloseSchema, (v) => closeMeeting({ actor: ctx, meetingId, version: v.version }), "meetingRoom:close.closed", areaPath(ctx.area.code, `/meetings/${meetingId}`));
    default:
      return problem({ key: "errors.invalid" }, 400);
  }
});

export default function RunMeeting() {
  const { area, meetingPath, casePath, meeting, agencies, observers, cases } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("meetingRoom");
  const problem = actionData && "problem" in actionData ? (actionData.problem as Problem) : null;
  const errorFor = (formId: string, field: string) => (problem?.form === formId && problem.field === field ? problem.key : undefined);
  const typed = (formId: string, field: string) => (problem?.form === formId ? problem.values?.[field] : undefined);
  const errorText = useErrorText();
  const summaryHref = problem ? `#${problem.form}${problem.field ? `-${problem.field}` : ""}` : undefined;
  const summaryMessage = problem?.key;
  const running = meeting.status === "in_progress";
  const open = ["circulated", "in_progress", "held"].includes(meeting.status);
  return (
    <>
      <BackLink to={meetingPath}>{t("backToMeeting")}</BackLink>
      <ErrorSummary extra={problem && summaryMessage ? [{ message: summaryMessage, href: summaryHref }] : []} />
      <PageHeading caption={area.name}>{t("run.title", { when: meeting.when })}</PageHeading>
      <p className="govuk-body">
        <MeetingStatusTag status={meeting.status} />
      </p>
      {meeting.status === "circulated" ? (
        <Form method="post" id="start">
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="version" value={meeting.version} />
          <Button disabled={busy}>{t("start.button")}</Button>
        </Form>
      ) : null}

      <h2 className="govuk-heading-l">{t("attendance.title")}</h2>
      <h3 className="govuk-heading-s">{t("attendance.statementTitle")}</h3>
      <InsetText>{area.statement || t("attendance.noStatement")}</InsetText>
      {agencies.map((a) => {
        const formId = `attendance-${a.id}`;
        const current = a.attendance;
        return (
          <Form method="post" key={`${a.id}-${current?.version ?? 0}`} id={formId} className="govuk-!-margin-bottom-6">
            <h3 className="govuk-heading-m">{a.name}</h3>
            {current ? <p className="govuk-body-s">{t(`attendance.recorded.${current.status}`)}{current.confirmed ? ` · ${t("attendance.confirmedTag")}` : ""}</p> : null}
            <input type="hidden" name="intent" value="attendance" />
            <input type="hidden" name="agencyId" value={a.id} />
            {current ? (
              <>
                <input type="hidden" name="attendanceId" value={current.id} />
                <input type="hidden" name="attendanceVersion" value={current.version} />
              </>
            ) : null}
            <Radios
              id={`${formId}-status`}
              name="status"
              label={t("attendance.status", { agency: a.name })}
              error={errorFor(formId, "status")}
              defaultValue={typed(formId, "status") ?? current?.status}
              options={(["present", "apologies", "absent"] as const).map((s) => ({ value: s, label: t(`attendance.statuses.${s}`) }))}
            />
            <Input
              id={`${formId}-personName`}
              name="personName"
              label={t("attendance.personName", { agency: a.name })}
              hint={t("attendance.personNameHint", { max: NAME_MAX })}
              error={errorFor(formId, "personName")}
              defaultValue={typed(formId, "personName") ?? current?.personName}
              width="20"
            />
            <Checkbox id={`${formId}-infoSent`} name="infoSent" label={t("attendance.infoSent", { agency: a.name })} error={errorFor(formId, "infoSent")} defaultChecked={current?.infoSent} />
            <Checkbox
              id={`${formId}-confirmConfidentiality`}
              name="confirmConfidentiality"
              label={t("attendance.confirm", { agency: a.name })}
              error={errorFor(formId, "confirmConfidentiality")}
              defaultChecked={current?.confirmed}
            />
            {errorFor(formId, "agencyId") || (problem?.form === formId && !problem.field) ? (
              <p className="govuk-error-message" id={`${formId}-agencyId`}>
                {errorText(problem!.key)}
              </p>
            ) : null}
            <Button secondary disabled={busy || !open}>
              {t("attendance.save")}
              <span className="govuk-visually-hidden"> {a.name}</span>
            </Button>
          </Form>
        );
      })}

      <h3 className="govuk-heading-m">{t("observers.title")}</h3>
      {observers.length ? (
        <Table
          caption={t("observers.caption")}
          head={[t("observers.name"), t("observers.organisation"), t("observers.confirmed")]}
          rows={observers.map((o) => [o.personName, o.organisation, o.confirmed ? t("common:yes") : t("common:no")])}
        />
      ) : (
        <p className="govuk-body">{t("observers.none")}</p>
      )}
      <Form method="post" id="observer">
        <input type="hidden" name="intent" value="observer" />
        <Input id="observer-personName" name="personName" label={t("observers.name")} error={errorFor("observer", "personName")} defaultValue={typed("observer", "personName")} width="20" />
        <Input
          id="observer-observerOrganisation"
          name="observerOrganisation"
          label={t("observers.organisation")}
          error={errorFor("observer", "observerOrganisation")}
          defaultValue={typed("observer", "observerOrganisation")}
          width="20"
        />
        <Checkbox id="observer-confirmConfidentiality" name="confirmConfidentiality" label={t("observers.confirm")} error={errorFor("observer", "confirmConfidentiality")} />
        <Button secondary disabled={busy || !open}>
          {t("observers.add")}
        </Button>
      </Form>

      <h2 className="govuk-heading-l">{t("cases.title")}</h2>
      {cases.length === 0 ? (
        <p className="govuk-body">{t("cases.none")}</p>
      ) : (
        <Table
          caption={t("cases.caption", { count: cases.length })}
          head={[t("cases.number"), t("cases.reference"), t("cases.initials"), t("cases.risk"), t("cases.minutes"), t("cases.outcome")]}
          rows={cases.map((c, i) => [
            String(i + 1),
            <AppLink key="link" className="govuk-link" to={`${casePath}${c.meetingCaseId}`}>
              {c.reference}
            </AppLink>,
            c.victimInitials,
            <span key="risk">
              <RiskTag level={c.riskLevel} /> {c.isRepeat ? <Tag colour="orange">{t("repeat")}</Tag> : null}
            </span>,
            String(c.plannedMinutes),
            c.outcome ? <Tag colour={OUTCOME_COLOUR[c.outcome]}>{t(`outcomes.${c.outcome}`)}</Tag> : t("cases.noOutcome"),
          ])}
        />
      )}
      {running ? (
        <Form method="post" id="close">
          <input type="hidden" name="intent" value="close" />
          <input type="hidden" name="version" value={meeting.version} />
          <Button disabled={busy}>{t("close.button")}</Button>
        </Form>
      ) : null}
    </>
  );
}
