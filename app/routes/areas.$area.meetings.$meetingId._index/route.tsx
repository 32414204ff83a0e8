import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import { Button, ErrorSummary, useErrorText } from "~/components/form";
import { BackLink, PageHeading, SummaryList, Table, Tag, WarningText } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { circulateList, getAgenda, listMeetings, moveCaseToMeeting, reorderAgenda, setPlannedMinutes } from "~/models/meetings.server";
import { sendListForVerification } from "~/models/preparation/verification.server";
import { carryForwardIncompleteActions } from "~/models/actions.server";
import { circulateMinutes } from "~/models/meeting-room.server";
import { areaPath, can, requirePermission } from "~/policy/index.server";
import { MeetingStatusTag, presentMeeting, RiskTag } from "../areas.$area.meetings._index/present";
import { CirculateSchema, MinutesSchema, MoveRowSchema, MoveToMeetingSchema, PDF_PASSWORD_MIN, ReorderSchema, SendForVerificationSchema } from "./schema";
import { CarryForwardSchema, CirculateMinutesSchema } from "./schema";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.meeting.shortDate ?? ""} – Panel` }];

const OPEN = ["planned", "verification"];

/** A meeting, its timetable and its numbered case list; the coordinator compiles the list here. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:read", { area: params.area });
  const language = languageFromRequest(request);
  const { meeting, agenda, chairName } = await getAgenda({ actor: ctx, meetingId: params.meetingId ?? "" });
  const compile = can(ctx, "list:compile");
  const targets = compile
    ? (await listMeetings({ actor: ctx })).filter((r) => r.meeting.id !== meeting.id && OPEN.includes(r.meeting.status) && r.meeting.startsAt >= new Date())
    : [];
  const base = areaPath(ctx.area.code, `/meetings/${meeting.id}`);
  return {
    area: { name: ctx.area.name },
    list: areaPath(ctx.area.code, "/meetings"),
    meeting: { ...presentMeeting(meeting, language), chairName },
    agenda,
    compile,
    editable: compile && OPEN.includes(meeting.status),
    targets: targets.map((r) => ({ value: r.meeting.id, label: presentMeeting(r.meeting, language).when })),
    links: {
      edit: `${base}/edit`,
      pdf: `${base}/agenda.pdf`,
      corrections: compile && meeting.status === "verification" ? `${base}/corrections` : null,
      research: can(ctx, "research:read") ? `${base}/cases/` : null,
    },
    pdfError: new URL(request.url).searchParams.get("pdfError") ? "meetings:pdfPassword.errors.tooShort" : null,
    readiness: can(ctx, "list:compile") || can(ctx, "meeting:run") ? areaPath(ctx.area.code, `/meetings/${meeting.id}/readiness`) : null,
    afterMeeting: {
      carry: compile && OPEN.includes(meeting.status),
      circulateMinutes: compile && meeting.status === "held",
      minutesDue: meeting.status === "held" ? presentMeeting(meeting, language).timetable.minutesDue : null,
      minutesCirculated: meeting.status === "minutes_circulated",
      // Agencies get the minutes once circulated (ADR 010); the coordinator and chair as soon as the meeting is held.
      minutesPdf:
        (compile || can(ctx, "meeting:run") ? ["held", "minutes_circulated"].includes(meeting.status) : meeting.status === "minutes_circulated" && can(ctx, "minutes:read"))
          ? `${base}/minutes.pdf`
          : null,
    },
    run: can(ctx, "meeting:run") && ["circulated", "in_progress", "held"].includes(meeting.status) ? `${base}/run` : null,
  };
});

type Problem = { key: string; meetingCaseId?: string; field?: string };

function firstError(submission: { error?: Record<string, string[] | null> | null }): { field?: string; key: string } {
  for (const [field, errors] of Object.entries(submission.error ?? {})) if (errors?.length) return { field: field || undefined, key: errors[0] };
  return { key: "errors.invalid" };
}

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const meetingId = params.meetingId ?? "";
  const here = areaPath(ctx.area.code, `/meetings/${meetingId}`);
  const form = await request.clone().formData();
  const intent = form.get("intent");
  const rowId = typeof form.get("meetingCaseId") === "string" ? String(form.get("meetingCaseId")) : undefined;
  const problem = (p: Problem, status: number) => data({ problem: p }, { status });
  const run = async <S extends z.ZodTypeAny>(schema: S, fn: (value: z.infer<S>) => Promise<unknown>, flash: string) => {
    const parsed = await parseForm(request, schema);
    if (!parsed.ok) return problem({ ...firstError(parsed.submission), meetingCaseId: rowId }, 400);
    try {
      await fn(parsed.value);
    } catch (error) {
      if (error instanceof AppError && (error.code === "CONFLICT" || error.code === "INVALID")) {
        return problem({ key: error.messageKey, meetingCaseId: rowId, field: error.options.field }, error.status);
      }
      throw error;
    }
    return redirectWithFlash(here, { key: flash });
  };
  switch (intent) {
    case "reorder":
      return run(ReorderSchema, (v) => reorderAgenda({ actor: ctx, meetingId, version: v.version, mode: { kind: v.mode } }), "meetings:meeting.reordered");
    case "move":
      return run(
        MoveRowSchema,
        (v) => reorderAgenda({ actor: ctx, meetingId, version: v.version, mode: { kind: "move", meetingCaseId: v.meetingCaseId, direction: v.direction } }),
        "meetings:meeting.reordered",
      );
    case "minutes":
      return run(MinutesSchema, (v) => setPlannedMinutes({ actor: ctx, meetingCaseId: v.meetingCaseId, version: v.version, minutes: v.minutes }), "meetings:meeting.minutesSaved");
    case "moveToMeeting": {
      // The case must be on this meeting: a row id from elsewhere is not found here.
      const { agenda } = await getAgenda({ actor: ctx, meetingId });
      if (rowId && !agenda.some((r) => r.meetingCaseId === rowId)) throw new AppError("NOT_FOUND", "errors.notFound");
      return run(MoveToMeetingSchema, (v) => moveCaseToMeeting({ actor: ctx, meetingCaseId: v.meetingCaseId, targetMeetingId: v.targetMeetingId }), "meetings:meeting.caseMoved");
    }
    case "sendForVerification": {
      const parsed = await parseForm(request, SendForVerificationSchema);
      if (!parsed.ok) return problem(firstError(parsed.submission), 400);
      try {
        const sent = await sendListForVerification({ actor: ctx, meetingId, version: parsed.value.version });
        return redirectWithFlash(here, { key: "preparation:sendForVerification.sent", values: { count: sent.verifierAgencyIds.length } });
      } catch (error) {
        if (error instanceof AppError && error.code === "CONFLICT") return problem({ key: error.messageKey }, 409);
        throw error;
      }
    }
    case "carryForward": {
      const parsed = await parseForm(request, CarryForwardSchema);
      if (!parsed.ok) return problem(firstError(parsed.submission), 400);
      try {
        const carried = await carryForwardIncompleteActions({ actor: ctx, nextMeetingId: meetingId });
        return redirectWithFlash(here, { key: "actions:meeting.carried", values: { count: carried.cases } });
      } catch (error) {
        if (error instanceof AppError && error.code === "CONFLICT") return problem({ key: error.messageKey }, 409);
        throw error;
      }
    }
    case "circulateMinutes":
      return run(CirculateMinutesSchema, (v) => circulateMinutes({ actor: ctx, meetingId, version: v.version }), "actions:meeting.circulated");
    case "circulate":
      return run(CirculateSchema, (v) => circulateList({ actor: ctx, meetingId, version: v.version }), "meetings:meeting.circulated");
    default:
      return problem({ key: "errors.invalid" }, 400);
  }
});

export default function MeetingPage() {
  const { area, list, meeting, agenda, compile, editable, targets, links, pdfError, readiness, run } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { afterMeeting } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const { t } = useTranslation("meetings");
  const errorText = useErrorText();
  const problem = actionData && "problem" in actionData ? actionData.problem : null;
  const summary = [
    ...(problem ? [{ message: problem.key, href: problem.meetingCaseId ? `#row-${problem.meetingCaseId}` : undefined }] : []),
    ...(pdfError ? [{ message: pdfError, href: "#pdf-password" }] : []),
  ];
  const rowError = (id: string): ReactNode =>
    problem?.meetingCaseId === id ? (
      <p className="govuk-error-message">
        <span className="govuk-visually-hidden">{t("common:errorPrefix")}</span> {errorText(problem.key)}
      </p>
    ) : null;
  const head = [
    t("meeting.columns.number"),
    t("meeting.columns.time"),
    t("meeting.columns.reference"),
    t("meeting.columns.initials"),
    t("meeting.columns.repeat"),
    t("meeting.columns.risk"),
    t("meeting.columns.agency"),
    t("meeting.columns.minutes"),
    ...(links.research ? [t("preparation:caseResearch.column")] : []),
    ...(editable ? [t("meeting.columns.actions")] : []),
  ];
  return (
    <>
      <BackLink to={list}>{t("list.title")}</BackLink>
      <ErrorSummary extra={summary} />
      <PageHeading caption={area.name}>{t("meeting.title", { when: meeting.when })}</PageHeading>
      <p className="govuk-body">
        <MeetingStatusTag status={meeting.status} />
      </p>
      {run && meeting.status === "circulated" ? (
        <Form method="post" action={run}>
          <input type="hidden" name="intent" value="start" />
          <input type="hidden" name="version" value={meeting.version} />
          <Button disabled={busy}>{t("meetingRoom:start.button")}</Button>
        </Form>
      ) : null}
      {run && meeting.status !== "circulated" ? (
        <p className="govuk-body">
          <AppLink className="govuk-link govuk-!-font-weight-bold" to={run}>
            {t("meetingRoom:start.link")}
          </AppLink>
        </p>
      ) : null}
      {meeting.onHoliday ? <WarningText>{t("list.onHoliday")}</WarningText> : null}
      {meeting.status === "cancelled" ? <p className="govuk-body">{t("meeting.cancelledBecause", { reason: meeting.cancelledReason })}</p> : null}
      <div className="govuk-grid-row">
        <div className="govuk-grid-column-two-thirds">
          <SummaryList
            rows={[
              { key: t("meeting.fields.venue"), value: meeting.venue || t("notSet") },
              { key: t("meeting.fields.chair"), value: meeting.chairName ?? t("notSet") },
            ]}
          />
          <h2 className="govuk-heading-m">{t("cases:timetable.title")}</h2>
          <SummaryList
            rows={(["referralCutoff", "verificationSent", "verificationDue", "circulation", "researchDue", "minutesDue"] as const).map((k) => ({
              key: t(`cases:timetable.${k}`),
              value: meeting.timetable[k],
            }))}
          />
          {compile && meeting.status !== "cancelled" ? (
            <p className="govuk-body">
              <AppLink className="govuk-link" to={links.edit}>
                {t("meeting.editLink")}
              </AppLink>
            </p>
          ) : null}
        </div>
      </div>
      <h2 className="govuk-heading-m">{t("meeting.listTitle")}</h2>
      {readiness ? (
        <p className="govuk-body">
          <AppLink className="govuk-link" to={readiness}>
            {t("contact:readiness.link")}
          </AppLink>
        </p>
      ) : null}
      {editable ? (
        <div className="govuk-button-group">
          <Form method="post" className="panel-inline-form">
            <input type="hidden" name="intent" value="reorder" />
            <input type="hidden" name="version" value={meeting.version} />
            <Button secondary name="mode" value="repeats_first" disabled={busy}>
              {t("meeting.repeatsFirst")}
            </Button>{" "}
            <Button secondary name="mode" value="risk" disabled={busy}>
              {t("meeting.byRisk")}
            </Button>
          </Form>
        </div>
      ) : null}
      {agenda.length === 0 ? (
        <p className="govuk-body">{t("meeting.noCases")}</p>
      ) : (
        <Table
          caption={t("meeting.listCaption", { count: agenda.length })}
          head={head}
          rows={agenda.map((r, i) => [
            String(i + 1),
            r.startsAt,
            r.reference,
            r.victimInitials,
            <>
              {r.isRepeat ? <Tag colour="orange">{t("meeting.repeat")}</Tag> : null}
              {r.carried ? (
                <>
                  {r.isRepeat ? " " : null}
                  <Tag colour="purple">{t("meeting.carried")}</Tag>
                </>
              ) : null}
            </>,
            <RiskTag key="risk" level={r.riskLevel} />,
            r.referringAgency,
            editable ? (
              <Form method="post" key="minutes" id={`row-${r.meetingCaseId}`}>
                <input type="hidden" name="intent" value="minutes" />
                <input type="hidden" name="meetingCaseId" value={r.meetingCaseId} />
                <input type="hidden" name="version" value={r.version} />
                <div className={`govuk-form-group${problem?.meetingCaseId === r.meetingCaseId ? " govuk-form-group--error" : ""}`}>
                  <label className="govuk-label govuk-body-s" htmlFor={`minutes-${r.meetingCaseId}`}>
                    {t("meeting.minutesLabel")}
                    <span className="govuk-visually-hidden"> {r.reference}</span>
                  </label>
                  {rowError(r.meetingCaseId)}
                  <input
                    // Keyed by the case so that, after a reorder, the box shows this case's minutes.
                    key={`${r.meetingCaseId}-${r.version}`}
                    className="govuk-input govuk-input--width-2"
                    id={`minutes-${r.meetingCaseId}`}
                    name="minutes"
                    inputMode="numeric"
                    defaultValue={r.plannedMinutes}
                  />
                </div>
                <Button secondary disabled={busy}>
                  {t("meeting.setMinutes")}
                  <span className="govuk-visually-hidden"> {r.reference}</span>
                </Button>
              </Form>
            ) : (
              String(r.plannedMinutes)
            ),
            ...(links.research
              ? [
                  <AppLink key="research" className="govuk-link" to={`${links.research}${r.meetingCaseId}/research`}>
                    {t("preparation:caseResearch.link")}
                    <span className="govuk-visually-hidden"> {r.reference}</span>
                  </AppLink>,
                ]
              : []),
            ...(editable
              ? [
                  <div key="actions">
                    <Form method="post">
                      <input type="hidden" name="intent" value="move" />
                      <input type="hidden" name="meetingCaseId" value={r.meetingCaseId} />
                      <input type="hidden" name="version" value={meeting.version} />
                      {i > 0 ? (
                        <Button secondary name="direction" value="up" disabled={busy}>
                          {t("meeting.moveUp")}
                          <span className="govuk-visually-hidden"> {r.reference}</span>
                        </Button>
                      ) : null}{" "}
                      {i < agenda.length - 1 ? (
                        <Button secondary name="direction" value="down" disabled={busy}>
                          {t("meeting.moveDown")}
                          <span className="govuk-visually-hidden"> {r.reference}</span>
                        </Button>
                      ) : null}
                    </Form>
                    {targets.length ? (
                      <Form method="post">
                        <input type="hidden" name="intent" value="moveToMeeting" />
                        <input type="hidden" name="meetingCaseId" value={r.meetingCaseId} />
                        <div className="govuk-form-group">
                          <label className="govuk-label govuk-body-s" htmlFor={`target-${r.meetingCaseId}`}>
                            {t("meeting.moveToLabel")}
                            <span className="govuk-visually-hidden"> {r.reference}</span>
                          </label>
                          <select className="govuk-select" id={`target-${r.meetingCaseId}`} name="targetMeetingId">
                            {targets.map((m) => (
                              <option key={m.value} value={m.value}>
                                {m.label}
                              </option>
                            ))}
                          </select>
                        </div>
                        <Button secondary disabled={busy}>
                          {t("meeting.move")}
                          <span className="govuk-visually-hidden"> {r.reference}</span>
                        </Button>
                      </Form>
                    ) : null}
                  </div>,
                ]
              : []),
          ])}
        />
      )}
      {editable ? (
        <Form method="post">
          <input type="hidden" name="intent" value="sendForVerification" />
          <input type="hidden" name="version" value={meeting.version} />
          <Button secondary disabled={busy}>
            {t("preparation:sendForVerification.button")}
          </Button>
        </Form>
      ) : null}
      {links.corrections ? (
        <p className="govuk-body">
          <AppLink className="govuk-link" to={links.corrections}>
            {t("preparation:sendForVerification.reviewLink")}
          </AppLink>
        </p>
      ) : null}
      {editable ? (
        <Form method="post">
          <input type="hidden" name="intent" value="circulate" />
          <input type="hidden" name="version" value={meeting.version} />
          <Button disabled={busy}>{t("meeting.circulate")}</Button>
        </Form>
      ) : null}
      {afterMeeting.carry ? (
        <>
          <h2 className="govuk-heading-m">{t("actions:meeting.carryTitle")}</h2>
          <p className="govuk-body">{t("actions:meeting.carryIntro")}</p>
          <Form method="post">
            <input type="hidden" name="intent" value="carryForward" />
            <Button secondary disabled={busy}>
              {t("actions:meeting.carry")}
            </Button>
          </Form>
        </>
      ) : null}
      {afterMeeting.minutesPdf ? (
        <>
          <h2 className="govuk-heading-m">{t("actions:meeting.minutesTitle")}</h2>
          {afterMeeting.minutesDue ? <p className="govuk-body">{t("actions:meeting.minutesDue", { date: afterMeeting.minutesDue })}</p> : null}
          {afterMeeting.minutesCirculated ? <p className="govuk-body">{t("actions:meeting.minutesCirculatedOn")}</p> : null}
          <p className="govuk-body">
            <a className="govuk-link" href={afterMeeting.minutesPdf} download>
              {t("actions:meeting.minutesPdf")}
            </a>
          </p>
          {afterMeeting.circulateMinutes ? (
            <Form method="post">
              <input type="hidden" name="intent" value="circulateMinutes" />
              <input type="hidden" name="version" value={meeting.version} />
              <Button disabled={busy}>{t("actions:meeting.circulate")}</Button>
            </Form>
          ) : null}
        </>
      ) : null}
      <h2 className="govuk-heading-m">{t("pdfPassword.title")}</h2>
      <p className="govuk-body">
        <a className="govuk-link" href={links.pdf} download>
          {t("pdfPassword.download")}
        </a>
      </p>
      <form method="post" action={links.pdf}>
        <div className={`govuk-form-group${pdfError ? " govuk-form-group--error" : ""}`}>
          <label className="govuk-label" htmlFor="pdf-password">
            {t("pdfPassword.label")}
          </label>
          <div className="govuk-hint" id="pdf-password-hint">
            {t("pdfPassword.hint", { min: PDF_PASSWORD_MIN })}
          </div>
          {pdfError ? (
            <p className="govuk-error-message" id="pdf-password-error">
              <span className="govuk-visually-hidden">{t("common:errorPrefix")}</span> {errorText(pdfError)}
            </p>
          ) : null}
          <input
            className={`govuk-input govuk-input--width-20${pdfError ? " govuk-input--error" : ""}`}
            id="pdf-password"
            name="password"
            type="password"
            autoComplete="new-password"
            aria-describedby={`pdf-password-hint${pdfError ? " pdf-password-error" : ""}`}
          />
        </div>
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          {t("pdfPassword.submit")}
        </button>
      </form>
    </>
  );
}
