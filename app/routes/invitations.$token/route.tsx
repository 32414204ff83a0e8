import { getFormProps } from "@conform-to/react";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import type { Role } from "#db/schema";
import { Button, ErrorSummary, TextField, useSchemaForm } from "~/components/form";
import { PageHeading, SummaryList } from "~/components/layout";
import { createI18n, languageFromRequest } from "~/i18n/config";
import { redirectWithFlash } from "~/lib/flash.server";
import { parseForm, replyWithErrors } from "~/lib/forms.server";
import { createSession, invalidateSession, sessionCookie } from "~/models/auth/sessions.server";
import { AppError } from "~/models/errors.server";
import { acceptInvitationAsExistingUser, acceptInvitationAsNewUser, findInvitation, type InvitationView } from "~/models/users.server";
import { areaPath, clientIp, getOptionalUser, requireUser } from "~/policy/index.server";
import { AcceptSchema, NewAccountSchema } from "./schema";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.title ?? ""} – Panel` }];

type Offer = { area: string; role: Role; agency: string | null; email: string; name: string };

/** Why a link cannot be used, as the page shows it (unknown tokens answer 404). */
function unusable(request: Request, state: "unknown" | "expired" | "used" | "revoked" | "wrongAccount") {
  const t = createI18n(languageFromRequest(request)).t;
  const title = state === "wrongAccount" ? t("admin:invitation.wrongAccountTitle") : t("admin:invitation.invalidTitle");
  const status = state === "unknown" ? 404 : state === "wrongAccount" ? 403 : 410;
  return data({ state, title, offer: null as Offer | null }, { status });
}

function offerOf(view: InvitationView): Offer {
  const { invitation } = view;
  return { area: view.areaName, role: invitation.role, agency: view.agencyName, email: invitation.email, name: invitation.name };
}

/**
 * Public: the invited person may have no account. An invitation for an email
 * that already has an account is accepted only by that account, signed in.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const view = await findInvitation({ token });
  if (!view) return unusable(request, "unknown");
  if (view.state !== "valid") return unusable(request, view.state);
  const title = createI18n(languageFromRequest(request)).t("admin:invitation.title", { area: view.areaName });
  if (view.existingUserId) {
    const user = await requireUser(request, { allowMissingEnrolment: true });
    if (user.id !== view.existingUserId) return unusable(request, "wrongAccount");
    return data({ state: "existing" as const, title, offer: offerOf(view) });
  }
  return data({ state: "new" as const, title, offer: offerOf(view) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const view = await findInvitation({ token });
  if (!view) return unusable(request, "unknown");
  if (view.state !== "valid") return unusable(request, view.state);
  const ip = clientIp(request);
  try {
    if (view.existingUserId) {
      const user = await requireUser(request, { allowMissingEnrolment: true });
      const parsed = await parseForm(request, AcceptSchema);
      if (!parsed.ok) return parsed.response;
      const { areaCode } = await acceptInvitationAsExistingUser({ actor: user.actor, token });
      return redirectWithFlash(areaPath(areaCode), { key: "admin:invitation.accepted", values: { area: view.areaName } });
    }
    const parsed = await parseForm(request, NewAccountSchema);
    // Passwords are never echoed back into the page.
    if (!parsed.ok) return replyWithErrors(parsed.submission, { hideFields: ["password", "confirmPassword"] });
    const { userId, areaCode } = await acceptInvitationAsNewUser({ actor: { userId: null, ip }, token, name: parsed.value.name, password: parsed.value.password });
    // Whoever was signed in on this browser before is signed out: it is the new account now.
    const previous = await getOptionalUser(request);
    if (previous) await invalidateSession(previous.sessionId);
    const session = await createSession({ userId, twoFactorVerified: false, ip });
    return redirectWithFlash(
      areaPath(areaCode),
      { key: "admin:invitation.accepted", values: { area: view.areaName } },
      { headers: { "Set-Cookie": sessionCookie(session.token) } },
    );
  } catch (error) {
    if (error instanceof AppError && error.messageKey === "admin:invitation.signInFirst") {
      throw redirect(`/sign-in?redirectTo=${encodeURIComponent(`/invitations/${token}`)}`);
    }
    if (error instanceof AppError && error.code === "FORBIDDEN") return unusable(request, "wrongAccount");
    if (error instanceof AppError && error.code === "INVALID") return unusable(request, "used");
    throw error;
  }
}

export default function Invitation() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { t } = useTranslation("admin");
  const state = actionData && "state" in actionData ? actionData.state : loaderData.state;
  const offer = loaderData.offer;
  if (state === "wrongAccount") {
    return <Message title={t("invitation.wrongAccountTitle")} body={t("invitation.wrongAccount")} />;
  }
  if (!offer || (state !== "new" && state !== "existing")) {
    return <Message title={t("invitation.invalidTitle")} body={t("invitation.invalidBody")} />;
  }
  const role = t(`common:roles.${offer.role}`);
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        {state === "new" ? <NewAccountForm offer={offer} result={actionData && "result" in actionData ? actionData.result : undefined} /> : null}
        {state === "existing" ? (
          <>
            <PageHeading>{t("invitation.title", { area: offer.area })}</PageHeading>
            <p className="govuk-body">
              {offer.agency ? t("invitation.introAgency", { area: offer.area, role, agency: offer.agency }) : t("invitation.intro", { area: offer.area, role })}
            </p>
            <p className="govuk-body">{t("invitation.existingBody", { email: offer.email })}</p>
            <Form method="post">
              <Button name="intent" value="accept">
                {t("invitation.accept")}
              </Button>
            </Form>
          </>
        ) : null}
      </div>
    </div>
  );
}

function NewAccountForm({ offer, result }: { offer: Offer; result: any }) {
  const { t } = useTranslation("admin");
  const navigation = useNavigation();
  const role = t(`common:roles.${offer.role}`);
  const [form, fields] = useSchemaForm(NewAccountSchema, {
    id: "invitation",
    lastResult: result,
    defaultValue: { name: offer.name },
  });
  return (
    <>
      <ErrorSummary form={form} />
      <PageHeading>{t("invitation.title", { area: offer.area })}</PageHeading>
      <p className="govuk-body">
        {offer.agency ? t("invitation.introAgency", { area: offer.area, role, agency: offer.agency }) : t("invitation.intro", { area: offer.area, role })}
      </p>
      <h2 className="govuk-heading-m">{t("invitation.newAccount")}</h2>
      <SummaryList rows={[{ key: t("invitation.email"), value: offer.email }]} />
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="intent" value="create" />
        <input type="hidden" name="username" value={offer.email} autoComplete="username" />
        <TextField field={fields.name} label={t("invitation.nameLabel")} autoComplete="name" spellCheck={false} />
        <TextField field={fields.password} label={t("invitation.passwordLabel")} hint={t("invitation.passwordHint")} type="password" autoComplete="new-password" />
        <TextField field={fields.confirmPassword} label={t("invitation.confirmLabel")} type="password" autoComplete="new-password" />
        <Button disabled={navigation.state === "submitting"}>{t("invitation.create")}</Button>
      </Form>
    </>
  );
}

function Message({ title, body }: { title: string; body: string }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <PageHeading>{title}</PageHeading>
        <p className="govuk-body">{body}</p>
      </div>
    </div>
  );
}
