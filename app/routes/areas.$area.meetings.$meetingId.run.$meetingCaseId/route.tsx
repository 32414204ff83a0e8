import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { z } from "zod";
import type { Action, MeetingCase } from "#db/schema";
import { Button, ErrorSummary, useErrorText } from "~/components/form";
import { BackLink, InsetText, PageHeading, SummaryList, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { createAction, reviseAction } from "~/models/actions.server";
import { inAuditedReads } from "~/models/audit.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { getMeetingRoomCase } from "~/models/meeting-room-read.server";
import { saveMinutes, setCaseOutcome } from "~/models/meeting-room.server";
import { listCaseResearch } from "~/models/preparation/research.server";
import { getContactRecord } from "~/models/preparation/victim-contact.server";
import { areaPath, can, requirePermission } from "~/policy/index.server";
import { RiskTag } from "../areas.$area.meetings._index/present";
import { firstError, Input, LongText, type Problem, Radios, Select, typedValues } from "../areas.$area.meetings.$meetingId.run._index/room";
import { AddActionSchema, DESCRIPTION_MAX, MINUTES_FIELDS, MINUTES_MAX, MinutesFormSchema, OutcomeSchema, ReviseActionSchema } from "./schema";
import { CaseTimer } from "./timer";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.case.reference ?? ""} – Panel` }];

const OUTCOME_COLOUR = { discussed: "green", deferred: "yellow", withdrawn: "grey" } as const;
const PRIORITIES = ["high", "medium", "low"] as const;

type Draft = { description: string; ownerAgencyId: string; ownerName: string; dueOn: string; priority: string; version?: number };
const draftOf = (a: Pick<Action, "description" | "ownerAgencyId" | "ownerName" | "dueOn" | "priority" | "version">): Draft => ({
  description: a.description,
  ownerAgencyId: a.ownerAgencyId,
  ownerName: a.ownerName,
  dueOn: a.dueOn,
  priority: a.priority,
  version: a.version,
});
const minutesOf = (mc: MeetingCase) => ({ ...Object.fromEntries(MINUTES_FIELDS.map((f) => [f, mc[f]])), version: mc.version }) as Record<(typeof MINUTES_FIELDS)[number], string> & { version: number };

/** One case in the meeting: everything the panel needs, the minutes, the actions and the outcome. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "meeting:run", { area: params.area });
  const language = languageFromRequest(request);
  const meetingId = params.meetingId ?? "";
  // One transaction for the page's three audited reads; the research and the victim's views are
  // read side by side once the case is known, and the three audit rows go in together at the end.
  const { room, research, victimViews } = await inAuditedReads(async (tx) => {
    const room = await getMeetingRoomCase({ actor: ctx, meetingId, meetingCaseId: params.meetingCaseId ?? "", tx });
    const readViews = async () => {
      if (!can(ctx, "contact:read") || !can(ctx, "safe_contact:read")) return null;
      const record = await getContactRecord({ actor: ctx, caseId: room.case.id, tx }).catch((error) => {
        if (error instanceof AppError && error.code === "NOT_FOUND") return null;
        throw error;
      });
      return record?.views?.views ?? null;
    };
    const [research, victimViews] = await Promise.all([listCaseResearch({ actor: ctx, meetingCaseId: room.mc.id, tx }), readViews()]);
    return { room, research, victimViews };
  });
  const base = areaPath(ctx.area.code, `/meetings/${meetingId}/run`);
  const date = (iso: string | null) => (iso ? formatLongDate(iso, language) : "");
  return {
    area: { name: ctx.area.name },
    runPath: base,
    links: {
      previous: room.previousId ? `${base}/${room.previousId}` : null,
      next: room.nextId ? `${base}/${room.nextId}` : null,
      repeatOf: room.case.repeatOf && can(ctx, "list:compile") ? areaPath(ctx.area.code, `/review/${room.case.repeatOf.id}`) : null,
    },
    meeting: { status: room.meeting.status },
    position: room.position,
    count: room.count,
    case: room.case,
    listing: { id: room.mc.id, version: room.mc.version, outcome: room.mc.outcome, plannedMinutes: room.mc.plannedMinutes },
    slot: { since: room.slotStartsAt.getTime(), time: utcToLondon(room.slotStartsAt).time },
    minutes: minutesOf(room.mc),
    verification: room.verification,
    research: research.map((r) => ({ id: r.id, agency: r.agency, status: r.status, facts: r.facts.map((f) => ({ date: formatLongDate(f.date, language), text: f.text })), opinion: r.opinion, actionsInPlace: r.actionsInPlace, suggestedActions: r.suggestedActions, late: r.late, withheld: r.withheld, hasWithheld: r.hasWithheld })),
    victimViews,
    agencies: room.agencies,
    actions: room.actions.map((a) => ({ ...draftOf(a), id: a.id, agency: a.agency, status: a.status, thisMeeting: a.thisMeeting, meetingDate: date(a.meetingDate), due: date(a.dueOn) })),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "meeting:run", { area: params.area });
  const meetingId = params.meetingId ?? "";
  const meetingCaseId = params.meetingCaseId ?? "";
  // The listing must be on this meeting of this panel; anything else is not found.
  const room = await getMeetingRoomCase({ actor: ctx, meetingId, meetingCaseId });
  const here = areaPath(ctx.area.code, `/meetings/${meetingId}/run/${meetingCaseId}`);
  const form = await request.clone().formData();
  const intent = String(form.get("intent") ?? "");
  const formId = intent === "reviseAction" ? `action-${String(form.get("actionId") ?? "")}` : intent;
  const problem = (p: Omit<Problem, "form" | "values">, status: number, current?: Record<string, unknown>) =>
    data({ problem: { ...p, form: formId, values: typedValues(form) } as Problem, current: current ?? null }, { status });
  const run = async <S extends z.ZodTypeAny>(schema: S, fn: (value: z.infer<S>) => Promise<unknown>, flash: string) => {
    const parsed = await parseForm(request, schema);
    if (!parsed.ok) return problem(firstError(parsed.submission), 400);
    try {
      await fn(parsed.value);
    } catch (error) {
      if (error instanceof AppError && error.code === "CONFLICT" && error.messageKey === "errors.stale") {
        const current = error.options.detail?.current as (MeetingCase & Action) | undefined;
        if (intent === "minutes" && current) return problem({ key: "meetingRoom:minutes.stale" }, 409, minutesOf(current));
        if (intent === "reviseAction" && current) return problem({ key: "meetingRoom:actions.stale" }, 409, draftOf(current));
        return problem({ key: "errors.stale" }, 409);
      }
      if (error instanceof AppError && (error.code === "CONFLICT" || error.code === "INVALID")) return problem({ key: error.messageKey, field: error.options.field }, error.status);
      throw error;
    }
    return redirectWithFlash(here, { key: flash });
  };
  switch (intent) {
    case "minutes":
      return run(MinutesFormSchema, ({ intent: _intent, version, ...minutes }) => saveMinutes({ actor: ctx, meetingCaseId, version, minutes }), "meetingRoom:minutes.saved");
    case "addAction":
      return run(AddActionSchema, ({ intent: _intent, ...draft }) => createAction({ actor: ctx, meetingCaseId, draft }), "meetingRoom:actions.added");
    case "reviseAction": {
      const actionId = String(form.get("actionId") ?? "");
      if (!room.actions.some((a) => a.id === actionId && a.thisMeeting)) throw new AppError("NOT_FOUND", "errors.notFound");
      return run(ReviseActionSchema, ({ intent: _intent, actionId: id, version, ...draft }) => reviseAction({ actor: ctx, actionId: id, version, draft }), "meetingRoom:actions.revised");
    }
    case "outcome":
      return run(OutcomeSchema, (v) => setCaseOutcome({ actor: ctx, meetingCaseId, version: v.version, outcome: v.outcome }), "meetingRoom:outcome.saved");
    default:
      return problem({ key: "errors.invalid" }, 400);
  }
});

function ActionFields({ prefix, values, errorFor, agencies }: { prefix: string; values: Partial<Draft>; errorFor: (field: string) => string | undefined; agencies: { id: string; name: string }[] }) {
  const { t } = useTranslation("meetingRoom");
  return (
    <>
      <LongText id={`${prefix}-description`} name="description" label={t("actions.description")} hint={t("actions.descriptionHint", { max: DESCRIPTION_MAX })} error={errorFor("description")} defaultValue={values.description} rows={3} />
      <Select
        id={`${prefix}-ownerAgencyId`}
        name="ownerAgencyId"
        label={t("actions.owner")}
        error={errorFor("ownerAgencyId")}
        defaultValue={values.ownerAgencyId ?? ""}
        options={[{ value: "", label: t("actions.chooseOwner") }, ...agencies.map((a) => ({ value: a.id, label: a.name }))]}
      />
      <Input id={`${prefix}-ownerName`} name="ownerName" label={t("actions.ownerName")} error={errorFor("ownerName")} defaultValue={values.ownerName} width="20" />
      <Input id={`${prefix}-dueOn`} name="dueOn" type="date" label={t("actions.dueOn")} hint={t("actions.dueOnHint")} error={errorFor("dueOn")} defaultValue={values.dueOn} width="10" />
      <Radios
        id={`${prefix}-priority`}
        name="priority"
        label={t("actions.priority")}
        error={errorFor("priority")}
        defaultValue={values.priority ?? "medium"}
        options={PRIORITIES.map((p) => ({ value: p, label: t(`priorities.${p}`) }))}
      />
    </>
  );
}

export default function RoomCase() {
  const { area, runPath, links, meeting, position, count, case: c, listing, slot, minutes, verification, research, victimViews, agencies, actions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const { t } = useTranslation("meetingRoom");
  const errorText = useErrorText();
  const problem = actionData && "problem" in actionData ? (actionData.problem as Problem) : null;
  const current = actionData && "current" in actionData ? (actionData.current as Record<string, string | number> | null) : null;
  const errorFor = (formId: string) => (field: string) => (problem?.form === formId && problem.field === field ? problem.key : undefined);
  const typed = (formId: string) => (problem?.form === formId && !current ? problem.values : undefined);
  const running = meeting.status === "in_progress";
  const writable = running || meeting.status === "held";
  // A refused save (bad input or a newer version) keeps what was typed in the form.
  const minutesValues = (problem?.form === "minutes" ? problem.values : undefined) ?? minutes;
  const minutesVersion = problem?.form === "minutes" && current ? Number(current.version) : minutes.version;
  const thisMeeting = actions.filter((a) => a.thisMeeting);
  const earlier = actions.filter((a) => !a.thisMeeting);
  const verificationRows = (["confirmed", "corrected", "not_known", "pending"] as const).map((s) => ({ key: t(`verification.${s}`), value: String(verification[s] ?? 0) }));
  return (
    <>
      <BackLink to={runPath}>{t("backToRun")}</BackLink>
      <ErrorSummary extra={problem ? [{ message: problem.key, href: `#${problem.form}${problem.field ? `-${problem.field}` : ""}` }] : []} />
      <PageHeading caption={t("case.caption", { area: area.name, position, count })}>{t("case.title", { reference: c.reference })}</PageHeading>
      <p className="govuk-body">
        <RiskTag level={c.riskLevel} /> {c.isRepeat ? <Tag colour="orange">{t("repeat")}</Tag> : null}{" "}
        {listing.outcome ? <Tag colour={OUTCOME_COLOUR[listing.outcome]}>{t(`outcomes.${listing.outcome}`)}</Tag> : null}
      </p>
      <SummaryList
        rows={[
          { key: t("case.reference"), value: c.reference },
          {
            key: t("case.repeatOf"),
            value: c.repeatOf ? (
              links.repeatOf ? (
                <AppLink className="govuk-link" to={links.repeatOf}>
                  {c.repeatOf.reference}
                </AppLink>
              ) : (
                c.repeatOf.reference
              )
            ) : (
              t("case.notRepeat")
            ),
          },
          { key: t("case.dash"), value: c.dashScore === null ? t("notRecorded") : t("case.dashValue", { score: c.dashScore }) },
          { key: t("case.initials"), value: c.victimInitials || t("notRecorded") },
          { key: t("case.referringAgency"), value: c.referringAgency },
          { key: t("case.plannedMinutes"), value: t("case.plannedValue", { minutes: listing.plannedMinutes, time: slot.time }) },
        ]}
      />
      <CaseTimer since={slot.since} plannedMinutes={listing.plannedMinutes} />

      <h2 className="govuk-heading-m">{t("verification.title")}</h2>
      <SummaryList rows={verificationRows} />

      <h2 className="govuk-heading-m">{t("research.title")}</h2>
      {research.length === 0 ? (
        <p className="govuk-body">{t("research.none")}</p>
      ) : (
        research.map((r) => (
          <section key={r.id} aria-labelledby={`research-${r.id}`}>
            <h3 className="govuk-heading-s" id={`research-${r.id}`}>
              {r.agency} {r.late ? <Tag colour="yellow">{t("research.late")}</Tag> : null}
            </h3>
            {r.status === "nothing_held" ? (
              <p className="govuk-body">{t("research.nothingHeld")}</p>
            ) : (
              <SummaryList
                rows={[
                  {
                    key: t("research.facts"),
                    value: r.facts.length ? (
                      <ul className="govuk-list">
                        {r.facts.map((f, i) => (
                          <li key={i}>
                            {f.date}: {f.text}
                          </li>
                        ))}
                      </ul>
                    ) : (
                      t("notRecorded")
                    ),
                  },
                  { key: t("research.opinion"), value: r.opinion || t("notRecorded") },
                  { key: t("research.actionsInPlace"), value: r.actionsInPlace || t("notRecorded") },
                  { key: t("research.suggestedActions"), value: r.suggestedActions || t("notRecorded") },
                  ...(r.withheld ? [{ key: t("research.withheld"), value: r.withheld }] : r.hasWithheld ? [{ key: t("research.withheld"), value: t("research.withheldHidden") }] : []),
                ]}
              />
            )}
          </section>
        ))
      )}

      <h2 className="govuk-heading-m">{t("views.title")}</h2>
      {victimViews ? <InsetText>{victimViews}</InsetText> : <p className="govuk-body">{t("views.none")}</p>}

      <h2 className="govuk-heading-m">{t("previous.title")}</h2>
      {earlier.length === 0 ? (
        <p className="govuk-body">{t("previous.none")}</p>
      ) : (
        <Table
          caption={t("previous.caption")}
          head={[t("previous.meeting"), t("actions.description"), t("actions.owner"), t("actions.dueOn"), t("actions.status")]}
          rows={earlier.map((a) => [a.meetingDate, a.description, a.agency, a.due, t(`statuses.${a.status}`)])}
        />
      )}

      <h2 className="govuk-heading-l">{t("minutes.title")}</h2>
      {problem?.form === "minutes" && current ? (
        <div className="govuk-inset-text" id="minutes-newer">
          <h3 className="govuk-heading-s">{t("minutes.newerTitle")}</h3>
          <SummaryList rows={MINUTES_FIELDS.map((f) => ({ key: t(`minutes.fields.${f}`), value: String(current[f] ?? "") || t("notRecorded") }))} />
        </div>
      ) : null}
      <Form method="post" id="minutes" key={`minutes-${minutes.version}-${problem?.form === "minutes" ? "typed" : "saved"}`}>
        <input type="hidden" name="intent" value="minutes" />
        <input type="hidden" name="version" value={minutesVersion} />
        {MINUTES_FIELDS.map((f) => (
          <LongText
            key={f}
            id={`minutes-${f}`}
            name={f}
            label={t(`minutes.fields.${f}`)}
            hint={f === "infoShared" ? t("minutes.hint", { max: MINUTES_MAX }) : undefined}
            error={errorFor("minutes")(f)}
            defaultValue={String((minutesValues as Record<string, string | number>)[f] ?? "")}
          />
        ))}
        <Button disabled={busy || !writable}>{t("minutes.save")}</Button>
      </Form>

      <h2 className="govuk-heading-l">{t("actions.title")}</h2>
      {thisMeeting.length === 0 ? <p className="govuk-body">{t("actions.none")}</p> : null}
      {thisMeeting.map((a) => {
        const formId = `action-${a.id}`;
        const mine = problem?.form === formId;
        const values: Partial<Draft> = mine && current ? (current as unknown as Draft) : mine ? (problem.values as Partial<Draft>) : a;
        const version = mine && current ? Number(current.version) : a.version;
        return (
          <div key={`${a.id}-${a.version}-${mine ? "p" : ""}`} className="govuk-summary-card">
            <div className="govuk-summary-card__title-wrapper">
              <h3 className="govuk-summary-card__title">
                {a.description} <Tag colour="blue">{t(`statuses.${a.status}`)}</Tag>
              </h3>
            </div>
            <div className="govuk-summary-card__content">
              <SummaryList
                rows={[
                  { key: t("actions.owner"), value: a.ownerName ? `${a.agency} (${a.ownerName})` : a.agency },
                  { key: t("actions.dueOn"), value: a.due },
                  { key: t("actions.priority"), value: t(`priorities.${a.priority}`) },
                ]}
              />
              <details className="govuk-details" open={mine}>
                <summary className="govuk-details__summary">
                  <span className="govuk-details__summary-text">
                    {t("actions.edit")}
                    <span className="govuk-visually-hidden"> {a.description}</span>
                  </span>
                </summary>
                <div className="govuk-details__text">
                  {mine && current ? <p className="govuk-body govuk-!-font-weight-bold">{t("actions.newerShown")}</p> : null}
                  <Form method="post" id={formId}>
                    <input type="hidden" name="intent" value="reviseAction" />
                    <input type="hidden" name="actionId" value={a.id} />
                    <input type="hidden" name="version" value={version} />
                    <ActionFields prefix={formId} values={values} errorFor={errorFor(formId)} agencies={agencies} />
                    <Button secondary disabled={busy || !writable}>
                      {t("actions.saveEdit")}
                    </Button>
                  </Form>
                </div>
              </details>
            </div>
          </div>
        );
      })}
      <h3 className="govuk-heading-m">{t("actions.addTitle")}</h3>
      <Form method="post" id="addAction" key={`add-${thisMeeting.length}`}>
        <input type="hidden" name="intent" value="addAction" />
        <ActionFields prefix="addAction" values={typed("addAction") ?? {}} errorFor={errorFor("addAction")} agencies={agencies} />
        <Button secondary disabled={busy || !writable}>
          {t("actions.add")}
        </Button>
      </Form>

      <h2 className="govuk-heading-l">{t("outcome.title")}</h2>
      {problem?.form === "outcome" ? (
        <p className="govuk-error-message" id="outcome-message">
          {errorText(problem.key)}
        </p>
      ) : null}
      <Form method="post" id="outcome">
        <input type="hidden" name="intent" value="outcome" />
        <input type="hidden" name="version" value={listing.version} />
        <div className="govuk-button-group">
          {(["discussed", "deferred", "withdrawn"] as const).map((o) => (
            <Button key={o} secondary={o !== "discussed"} name="outcome" value={o} disabled={busy || !running}>
              {t(`outcome.${o}`)}
            </Button>
          ))}
        </div>
      </Form>

      <nav className="govuk-pagination" aria-label={t("case.pagination")}>
        {links.previous ? (
          <div className="govuk-pagination__prev">
            <AppLink className="govuk-link govuk-pagination__link" to={links.previous} rel="prev">
              <span className="govuk-pagination__link-title">{t("case.previous")}</span>
            </AppLink>
          </div>
        ) : null}
        {links.next ? (
          <div className="govuk-pagination__next">
            <AppLink className="govuk-link govuk-pagination__link" to={links.next} rel="next">
              <span className="govuk-pagination__link-title">{t("case.next")}</span>
            </AppLink>
          </div>
        ) : null}
      </nav>
    </>
  );
}
