import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, ErrorSummary } from "~/components/form";
import { BackLink, PageHeading, SummaryList } from "~/components/layout";
import { scoreDash } from "~/lib/dash";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm } from "~/lib/forms.server";
import { referralProblems, submitReferral } from "~/models/cases/referrals.server";
import { AppError, withAppErrors } from "~/models/errors.server";
import { ukDate } from "../areas.$area.referrals.$caseId._index/fields";
import { loadEditableReferral, referralPaths, replyWithReferralError, requireReferrer } from "../areas.$area.referrals.$caseId._index/referral.server";
import { revalidateOnConflict, useActionParts } from "../areas.$area.referrals.$caseId._index/ui";
import { SubmitSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];
export const shouldRevalidate = revalidateOnConflict;

export const loader = withAppErrors(async ({ request, params }: LoaderFunctionArgs) => {
  const { view, paths, title, area } = await loadEditableReferral(request, params, "referrals:sections.check");
  const c = view.case;
  const dash = scoreDash(c.dashAnswers);
  const person = (p: (typeof view.people)[number]) => ({
    id: p.id,
    role: p.role,
    name: `${p.firstName} ${p.lastName}`.trim(),
    aliases: p.aliases,
    dobs: p.dobs.map(ukDate),
    address: p.address,
    confidentialAddress: p.confidentialAddress,
    phone: p.phone,
    relationshipToVictim: p.relationshipToVictim,
    relationshipToPerpetrator: p.relationshipToPerpetrator,
    school: p.school,
  });
  return {
    title,
    area,
    paths,
    version: c.version,
    agency: view.referringAgencyName,
    referrer: { name: c.referrerName, phone: c.referrerPhone, email: c.referrerEmail, date: ukDate(c.referralDate) },
    victim: view.people.filter((p) => p.role === "victim").map(person)[0] ?? null,
    perpetrators: view.people.filter((p) => p.role === "perpetrator").map(person),
    household: view.people.filter((p) => p.role === "child" || p.role === "other").map(person),
    safeContact: view.safeContact,
    dash: { score: dash.score, answered: dash.answered, band: dash.band, fears: c.dashFears },
    criteria: {
      visibleHighRisk: c.criteriaVisibleHighRisk,
      professionalJudgement: c.criteriaProfessionalJudgement,
      rationale: c.professionalJudgementRationale,
      escalation: c.criteriaEscalation,
      incidents: c.escalationIncidentCount,
      repeat: c.criteriaRepeat,
      previousMarac: c.previousMaracElsewhere,
      previousMaracDetails: c.previousMaracDetails,
    },
    consent: {
      victimAware: c.victimAware,
      notAwareReason: c.victimNotAwareReason,
      consentGiven: c.consentGiven,
      lawfulBasis: c.noConsentLawfulBasis,
      whoVictimFears: c.whoVictimFears,
      safeToTalkTo: c.safeToTalkTo,
      notSafeToTalkTo: c.notSafeToTalkTo,
      victimWants: c.victimWants,
    },
    problems: referralProblems(view),
  };
});

export const action = withAppErrors(async ({ request, params }: ActionFunctionArgs) => {
  const ctx = await requireReferrer(request, params);
  const parsed = await parseForm(request, SubmitSchema);
  if (!parsed.ok) return parsed.response;
  const caseId = params.caseId ?? "";
  try {
    const { case: row } = await submitReferral({ actor: ctx, caseId, version: parsed.value.version });
    return redirectWithFlash(referralPaths(ctx.area.code, caseId).list, { key: "referrals:list.submittedFlash", values: { reference: row.reference ?? "" } });
  } catch (error) {
    if (error instanceof AppError && error.code === "INVALID" && error.options.detail?.problems) {
      return data({ problems: error.options.detail.problems as { section: string; key: string }[] }, { status: 400 });
    }
    return replyWithReferralError(parsed.submission, error);
  }
});

export default function CheckAnswers() {
  const loaded = useLoaderData<typeof loader>();
  const { title, area, paths, version, agency, referrer, victim, perpetrators, household, safeContact, dash, criteria, consent } = loaded;
  const actionData = useActionData<typeof action>();
  const { conflict } = useActionParts(actionData);
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const submitted = actionData && "problems" in actionData ? actionData.problems : null;
  const problems = submitted ?? loaded.problems;
  const yn = (v: boolean | null) => (v === null ? t("notGiven") : v ? t("common:yes") : t("common:no"));
  const text = (v: string | null | undefined) => (v ? v : t("notGiven"));
  const change = (section: string, hidden: string) => ({ to: `${paths.base}/${section}`, label: t("common:actions.change"), hidden });
  const errors = [
    ...(conflict ? [{ message: conflict }] : []),
    ...(submitted ?? []).map((p) => ({ href: `${paths.base}/${p.section}`, message: p.key })),
  ];
  const personRows = (p: NonNullable<typeof victim>, section: string) => [
    { key: t("people.name"), value: p.name, action: change(section, p.name) },
    { key: t("person.aliases"), value: p.aliases.join(", ") || t("notGiven") },
    { key: t("people.dob"), value: p.dobs.join(", ") || t("notGiven") },
  ];
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <BackLink to={paths.base}>{t("taskList.back")}</BackLink>
        <ErrorSummary extra={errors} />
        <PageHeading caption={area.name}>{title}</PageHeading>

        <h2 className="govuk-heading-m">{t("sections.referrer")}</h2>
        <SummaryList
          rows={[
            { key: t("referrer.name"), value: text(referrer.name), action: change("referrer", t("referrer.name")) },
            { key: t("list.title"), value: agency },
            { key: t("referrer.phone"), value: text(referrer.phone), action: change("referrer", t("referrer.phone")) },
            { key: t("referrer.email"), value: text(referrer.email), action: change("referrer", t("referrer.email")) },
            { key: t("referrer.date"), value: text(referrer.date), action: change("referrer", t("referrer.date")) },
          ]}
        />

        <h2 className="govuk-heading-m">{t("sections.victim")}</h2>
        {victim ? (
          <SummaryList
            rows={[
              ...personRows(victim, "victim"),
              { key: t("person.address"), value: victim.address ? `${victim.address}${victim.confidentialAddress ? ` (${t("check.confidential")})` : ""}` : t("notGiven") },
              { key: t("person.phone"), value: text(victim.phone) },
            ]}
          />
        ) : (
          <SummaryList rows={[{ key: t("people.name"), value: t("notGiven"), action: change("victim", t("sections.victim")) }]} />
        )}

        <h2 className="govuk-heading-m">{t("sections.safe-contact")}</h2>
        <SummaryList
          rows={[
            { key: t("safeContact.safeNumber"), value: text(safeContact?.safeNumber), action: change("safe-contact", t("safeContact.safeNumber")) },
            { key: t("safeContact.safeTimes"), value: text(safeContact?.safeTimes) },
            { key: t("safeContact.noMessages"), value: safeContact?.noMessages ? t("common:yes") : t("common:no") },
          ]}
        />

        <h2 className="govuk-heading-m">{t("sections.perpetrators")}</h2>
        {perpetrators.length ? (
          perpetrators.map((p) => <SummaryList key={p.id} rows={[...personRows(p, `perpetrators/${p.id}`), { key: t("people.relationship"), value: text(p.relationshipToVictim) }]} />)
        ) : (
          <SummaryList rows={[{ key: t("sections.perpetrators"), value: t("check.none"), action: change("perpetrators", t("sections.perpetrators")) }]} />
        )}

        <h2 className="govuk-heading-m">{t("sections.children")}</h2>
        {household.length ? (
          household.map((p) => <SummaryList key={p.id} rows={[...personRows(p, `children/${p.id}`), { key: t("people.relationship"), value: text(p.relationshipToVictim) }]} />)
        ) : (
          <SummaryList rows={[{ key: t("sections.children"), value: t("check.none"), action: change("children", t("sections.children")) }]} />
        )}

        <h2 className="govuk-heading-m">{t("sections.dash")}</h2>
        <SummaryList
          rows={[
            {
              key: t("sections.dash"),
              value: dash.answered ? `${t("dash.scoreLine", { score: dash.score, band: t(`dash.bands.${dash.band}`) })}. ${t("dash.answered", { answered: dash.answered })}` : t("dash.notScored"),
              action: change("dash", t("sections.dash")),
            },
            { key: t("cases:dash.fears.label"), value: text(dash.fears) },
          ]}
        />

        <h2 className="govuk-heading-m">{t("sections.criteria")}</h2>
        <SummaryList
          rows={[
            { key: t("criteria.visibleHighRisk"), value: yn(criteria.visibleHighRisk) },
            { key: t("criteria.professionalJudgement"), value: criteria.professionalJudgement ? `${t("common:yes")}: ${criteria.rationale}` : t("common:no"), action: change("criteria", t("criteria.professionalJudgement")) },
            { key: t("criteria.escalation"), value: criteria.escalation ? `${t("common:yes")}: ${criteria.incidents ?? ""}` : t("common:no") },
            { key: t("criteria.repeat"), value: yn(criteria.repeat) },
            { key: t("criteria.previousMarac"), value: criteria.previousMarac ? `${t("common:yes")}${criteria.previousMaracDetails ? `: ${criteria.previousMaracDetails}` : ""}` : yn(criteria.previousMarac) },
          ]}
        />

        <h2 className="govuk-heading-m">{t("sections.consent")}</h2>
        <SummaryList
          rows={[
            { key: t("consent.victimAware"), value: consent.victimAware === false ? `${t("common:no")}: ${consent.notAwareReason}` : yn(consent.victimAware), action: change("consent", t("consent.victimAware")) },
            { key: t("consent.consentGiven"), value: consent.consentGiven === false ? `${t("common:no")}: ${consent.lawfulBasis}` : yn(consent.consentGiven) },
            { key: t("consent.whoVictimFears"), value: text(consent.whoVictimFears) },
            { key: t("consent.safeToTalkTo"), value: text(consent.safeToTalkTo) },
            { key: t("consent.notSafeToTalkTo"), value: text(consent.notSafeToTalkTo) },
            { key: t("consent.victimWants"), value: text(consent.victimWants) },
          ]}
        />

        {problems.length ? (
          <>
            <h2 className="govuk-heading-m">{t("check.problemsTitle")}</h2>
            <ul className="govuk-list govuk-list--bullet">
              {problems.map((p, i) => (
                <li key={i}>
                  <a className="govuk-link" href={`${paths.base}/${p.section}`}>
                    {t(p.key)}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : (
          <>
            <h2 className="govuk-heading-m">{t("check.submitHeading")}</h2>
            <p className="govuk-body">{t("check.submitBody")}</p>
            <Form method="post">
              <input type="hidden" name="version" value={version} />
              <Button disabled={navigation.state === "submitting"}>{t("check.submit")}</Button>
            </Form>
          </>
        )}
      </div>
    </div>
  );
}
