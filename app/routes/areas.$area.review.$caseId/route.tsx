import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Meeting } from "#db/schema";
import { Button, ErrorSummary, TextArea, useSchemaForm } from "~/components/form";
import { BackLink, PageHeading, SummaryList, Table, Tag } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { DASH_QUESTIONS } from "~/lib/dash";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithAppError } from "~/lib/forms.server";
import { formatLongDate, utcToLondon } from "~/lib/london-time";
import { decideMatch, decideReferral, getReferral, listMatchCandidates } from "~/models/cases/referrals.server";
import { withAppErrors } from "~/models/errors.server";
import { placeCaseOnNextMeeting } from "~/models/meetings.server";
import { areaPath, can, requirePermission } from "~/policy/index.server";
import { RiskTag } from "../areas.$area.meetings._index/present";
import { AcceptSchema, MatchDecisionSchema, REASON_MAX, ReturnSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.referral.reference ?? ""} – Panel` }];

type Value = string | number | boolean | string[] | null;
type Row = [key: string, value: Value];

const PERSON_FIELDS = {
  victim: ["aliases", "dobs", "gender", "address", "confidentialAddress", "phone", "safeToCall", "contactNotes", "language", "interpreterNeeded", "pregnant", "ethnicity", "disability", "sexualOrientation", "genderIdentity", "age"],
  perpetrator: ["aliases", "dobs", "gender", "relationshipToVictim", "address", "phone"],
  child: ["dobs", "relationshipToVictim", "relationshipToPerpetrator", "school"],
  other: ["aliases", "dobs", "relationshipToVictim", "address"],
} as const;

/** One referral, read-only, with its possible earlier cases and the decision. The read is audited. */
export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const language = languageFromRequest(request);
  const caseId = params.caseId ?? "";
  const view = await getReferral({ actor: ctx, caseId });
  const candidates = await listMatchCandidates({ actor: ctx, caseId });
  const c = view.case;
  const date = (iso: string | null) => (iso ? formatLongDate(iso, language) : null);
  const sections: { key: string; title?: string; rows: Row[] }[] = [
    {
      key: "referrer",
      rows: [
        ["agency", view.referringAgencyName],
        ["referrerName", c.referrerName],
        ["referrerPhone", c.referrerPhone],
        ["referrerEmail", c.referrerEmail],
        ["referralDate", date(c.referralDate)],
        ["submittedAt", c.submittedAt ? date(utcToLondon(c.submittedAt).date) : null],
      ],
    },
    {
      key: "criteria",
      rows: [
        ["dashScore", c.dashScore],
        ["criteriaVisibleHighRisk", c.criteriaVisibleHighRisk],
        ["criteriaProfessionalJudgement", c.criteriaProfessionalJudgement],
        ["professionalJudgementRationale", c.professionalJudgementRationale],
        ["criteriaEscalation", c.criteriaEscalation],
        ["escalationIncidentCount", c.escalationIncidentCount],
        ["criteriaRepeat", c.criteriaRepeat],
      ],
    },
    {
      key: "dash",
      rows: [
        ...DASH_QUESTIONS.map((q): Row => {
          const entry = c.dashAnswers?.[q.id];
          return [`cases:dash.questions.${q.id}`, entry ? `cases:dash.answers.${entry.answer}${entry.source ? `|${entry.source}` : ""}` : null];
        }),
        ["dashFears", c.dashFears],
      ],
    },
    ...view.people.map((p) => ({
      key: p.role,
      title: `${p.firstName} ${p.lastName}`.trim(),
      rows: PERSON_FIELDS[p.role].map((f): Row => {
        const value = p[f];
        return [f, f === "dobs" ? (value as string[]).map((d) => date(d) ?? d) : (value as Value)];
      }),
    })),
    {
      key: "consent",
      rows: [
        ["victimAware", c.victimAware],
        ["victimNotAwareReason", c.victimNotAwareReason],
        ["consentGiven", c.consentGiven],
        ["noConsentLawfulBasis", c.noConsentLawfulBasis],
        ["whoVictimFears", c.whoVictimFears],
        ["safeToTalkTo", c.safeToTalkTo],
        ["notSafeToTalkTo", c.notSafeToTalkTo],
        ["victimWants", c.victimWants],
        ["previousMaracElsewhere", c.previousMaracElsewhere],
        ["previousMaracDetails", c.previousMaracDetails],
      ],
    },
  ];
  if (view.safeContact && can(ctx, "safe_contact:read")) {
    const s = view.safeContact;
    sections.push({
      key: "safeContact",
      rows: [
        ["safeNumber", s.safeNumber],
        ["safeTimes", s.safeTimes],
        ["noMessages", s.noMessages],
        ["mustNotKnow", s.mustNotKnow],
        ["safeContactNotes", s.notes],
      ],
    });
  }
  return {
    area: { name: ctx.area.name },
    queue: areaPath(ctx.area.code, "/review"),
    referral: {
      id: c.id,
      reference: c.reference ?? "",
      status: c.status,
      version: c.version,
      riskLevel: c.riskLevel,
      isRepeat: c.isRepeat,
      returnedReason: c.returnedReason,
    },
    sections,
    candidates: candidates.map((m) => ({
      id: m.id,
      reference: m.reference ?? "",
      referralDate: date(m.candidateReferralDate),
      percent: Math.round(m.score * 100),
      reasons: m.reasons,
      withinTwelveMonths: m.withinTwelveMonths,
      decision: m.decision,
    })),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requirePermission(request, "list:compile", { area: params.area });
  const caseId = params.caseId ?? "";
  const here = areaPath(ctx.area.code, `/review/${caseId}`);
  const intent = (await request.clone().formData()).get("intent");
  if (intent === "match") {
    const parsed = await parseForm(request, MatchDecisionSchema);
    if (!parsed.ok) return parsed.response;
    const { repeat } = await decideMatch({ actor: ctx, caseId, candidateId: parsed.value.candidateId, decision: parsed.value.decision });
    const key = parsed.value.decision === "rejected" ? "meetings:review.matchRejected" : repeat ? "meetings:review.matchRepeat" : "meetings:review.matchHistory";
    return redirectWithFlash(here, { key });
  }
  if (intent === "return") {
    const parsed = await parseForm(request, ReturnSchema);
    if (!parsed.ok) return parsed.response;
    try {
      const row = await decideReferral({ actor: ctx, caseId, version: parsed.value.version, decision: "return", reason: parsed.value.reason });
      return redirectWithFlash(areaPath(ctx.area.code, "/review"), { key: "meetings:review.returned", values: { reference: row.reference ?? "" } });
    } catch (error) {
      return replyWithAppError(parsed.submission, error);
    }
  }
  const parsed = await parseForm(request, AcceptSchema);
  if (!parsed.ok) return parsed.response;
  try {
    let listedOn: Meeting | null = null;
    const row = await decideReferral({
      actor: ctx,
      caseId,
      version: parsed.value.version,
      decision: "accept",
      placeOnMeeting: async (tx, accepted) => {
        listedOn = await placeCaseOnNextMeeting(tx, ctx, accepted);
      },
    });
    const meeting = listedOn as Meeting | null;
    const when = meeting ? formatLongDate(utcToLondon(meeting.startsAt).date, languageFromRequest(request)) : "";
    return redirectWithFlash(areaPath(ctx.area.code, "/review"), { key: "meetings:review.accepted", values: { reference: row.reference ?? "", date: when } });
  } catch (error) {
    return replyWithAppError(parsed.submission, error);
  }
});

function display(t: (key: string, options?: Record<string, unknown>) => string, value: Value) {
  if (value === null || value === "" || (Array.isArray(value) && value.length === 0)) return t("notRecorded");
  if (typeof value === "boolean") return value ? t("common:yes") : t("common:no");
  if (Array.isArray(value)) return value.join(", ");
  return String(value);
}

export default function ReviewReferral() {
  const { area, queue, referral, sections, candidates } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { t } = useTranslation("meetings");
  const [form, fields] = useSchemaForm(ReturnSchema, {
    id: `return-${referral.version}`,
    lastResult: actionData && "result" in actionData ? actionData.result : undefined,
  });
  const conflict = actionData && "conflict" in actionData ? [{ message: actionData.conflict }] : [];
  const busy = navigation.state === "submitting";
  const answer = (value: Value) => {
    if (typeof value === "string" && value.startsWith("cases:dash.answers.")) {
      const [key, source] = value.split("|");
      return source ? t("review.answerFrom", { answer: t(key), source }) : t(key);
    }
    return display(t, value);
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={queue}>{t("review.title")}</BackLink>
        <ErrorSummary form={form} extra={conflict} />
        <PageHeading caption={area.name}>{t("review.caseTitle", { reference: referral.reference })}</PageHeading>
        <p className="govuk-body">
          <RiskTag level={referral.riskLevel} /> {referral.isRepeat ? <Tag colour="orange">{t("review.repeat")}</Tag> : null}{" "}
          <Tag colour="grey">{t(`review.statuses.${referral.status}`)}</Tag>
        </p>
        {sections.map((s, i) => (
          <section key={i} aria-labelledby={`section-${i}`}>
            <h2 className="govuk-heading-m" id={`section-${i}`}>
              {s.title ? t(`review.sections.${s.key}Named`, { name: s.title }) : t(`review.sections.${s.key}`)}
            </h2>
            <SummaryList rows={s.rows.map(([key, value]) => ({ key: key.includes(":") ? t(key) : t(`review.fields.${key}`), value: answer(value) }))} />
          </section>
        ))}
        <h2 className="govuk-heading-m">{t("cases:matching.title")}</h2>
        {candidates.length === 0 ? (
          <p className="govuk-body">{t("review.noMatches")}</p>
        ) : (
          <Table
            caption={t("review.matchesCaption")}
            head={[t("review.columns.reference"), t("review.columns.earlierDate"), t("review.columns.strength"), t("review.columns.reasons"), t("review.columns.link"), t("review.columns.decision")]}
            rows={candidates.map((m) => [
              m.reference,
              m.referralDate ?? t("notRecorded"),
              t("review.percent", { percent: m.percent }),
              <ul key="reasons" className="govuk-list govuk-body-s">
                {m.reasons.map((r) => (
                  <li key={r}>{t(`cases:matching.reasons.${r}`)}</li>
                ))}
              </ul>,
              m.withinTwelveMonths ? <Tag colour="orange">{t("review.withinTwelveMonths")}</Tag> : <Tag colour="grey">{t("review.older")}</Tag>,
              m.decision === "pending" && referral.status === "referred" ? (
                <Form method="post" key="decide">
                  <input type="hidden" name="intent" value="match" />
                  <input type="hidden" name="candidateId" value={m.id} />
                  <div className="govuk-button-group">
                    <Button secondary name="decision" value="confirmed" disabled={busy}>
                      {t("review.confirmMatch")}
                      <span className="govuk-visually-hidden"> {m.reference}</span>
                    </Button>
                    <Button secondary name="decision" value="rejected" disabled={busy}>
                      {t("review.rejectMatch")}
                      <span className="govuk-visually-hidden"> {m.reference}</span>
                    </Button>
                  </div>
                </Form>
              ) : (
                t(`review.matchDecisions.${m.decision}`)
              ),
            ])}
          />
        )}
        {referral.status === "referred" ? (
          <>
            <h2 className="govuk-heading-m">{t("review.decisionTitle")}</h2>
            <Form method="post">
              <input type="hidden" name="version" value={referral.version} />
              <Button name="intent" value="accept" disabled={busy}>
                {t("review.accept")}
              </Button>
            </Form>
            <Form method="post" {...getFormProps(form)}>
              <input type="hidden" name="version" value={referral.version} />
              <TextArea field={fields.reason} label={t("review.reasonLabel")} hint={t("review.reasonHint", { max: REASON_MAX })} labelClass="govuk-label--s" />
              <Button secondary name="intent" value="return" disabled={busy}>
                {t("review.return")}
              </Button>
            </Form>
          </>
        ) : referral.returnedReason ? (
          <p className="govuk-body">{t("review.returnedBecause", { reason: referral.returnedReason })}</p>
        ) : null}
      </div>
    </div>
  );
}
