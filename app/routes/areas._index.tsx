import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { PageHeading } from "~/components/layout";
import { areaPath, requireUser } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";

export const meta: MetaFunction = () => [{ title: "Choose a panel – Panel" }];

/** The panel switcher: every panel the user belongs to, with their roles there. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const byArea = new Map<string, { code: string; name: string; roles: string[]; href: string }>();
  for (const m of user.memberships) {
    const entry = byArea.get(m.areaId) ?? { code: m.areaCode, name: m.areaName, roles: [], href: areaPath(m.areaCode) };
    entry.roles.push(m.role);
    byArea.set(m.areaId, entry);
  }
  return { areas: [...byArea.values()] };
}

export default function ChooseArea() {
  const { areas } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (areas.length === 0) {
    return (
      <>
        <PageHeading>{t("home.noAreas")}</PageHeading>
        <p className="govuk-body">{t("home.noAreasBody")}</p>
      </>
    );
  }
  return (
    <>
      <PageHeading>{t("home.chooseArea")}</PageHeading>
      <ul className="govuk-list govuk-list--spaced">
        {areas.map((a) => (
          <li key={a.code}>
            <AppLink className="govuk-link govuk-!-font-weight-bold" to={a.href}>
              {a.name}
            </AppLink>{" "}
            <span className="govuk-hint govuk-!-display-inline">({a.roles.map((r) => t(`roles.${r}`)).join(", ")})</span>
          </li>
        ))}
      </ul>
    </>
  );
}
