import "@fontsource/atkinson-hyperlegible/400.css";
import "@fontsource/atkinson-hyperlegible/700.css";
import "~/styles/app.scss";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useNavigate,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useEffect, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { NotificationBanner } from "~/components/layout";
import { languageFromRequest } from "~/i18n/config";
import { readFlash } from "~/lib/flash.server";
import { useNonce } from "~/lib/nonce";
import { areaPath, getOptionalUser, permissionsFor, type Permission } from "~/policy/index.server";
import { AppLink } from "~/components/app-link";
import { setInAppNavigation } from "~/lib/in-app-navigation";

export const meta: MetaFunction = () => [{ title: "Panel" }];

interface NavItem {
  to: string;
  key: string;
}

const AREA_NAV: { path: string; key: string; permission: Permission }[] = [
  { path: "/referrals", key: "nav.referrals", permission: "case:refer" },
  { path: "/review", key: "nav.review", permission: "list:compile" },
  { path: "/meetings", key: "nav.meetings", permission: "list:read" },
  { path: "/cases", key: "nav.cases", permission: "contact:read" },
  { path: "/verification", key: "nav.verification", permission: "identity:verify" },
  { path: "/research", key: "nav.research", permission: "research:submit" },
  { path: "/actions", key: "nav.actions", permission: "action:update" },
  { path: "/tracker", key: "nav.tracker", permission: "action:track" },
  { path: "/digests", key: "nav.digests", permission: "digest:send" },
  { path: "/admin", key: "nav.admin", permission: "area:admin" },
  { path: "/audit", key: "nav.audit", permission: "audit:read" },
];

export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const { flash, headers } = await readFlash(request);
  const lang = languageFromRequest(request);
  const fullySignedIn = user && (!user.hasTwoFactor || user.twoFactorVerified);
  let area: { code: string; name: string } | null = null;
  const nav: NavItem[] = [];
  const areas: { code: string; name: string }[] = [];
  if (user && fullySignedIn) {
    for (const m of user.memberships) if (!areas.some((a) => a.code === m.areaCode)) areas.push({ code: m.areaCode, name: m.areaName });
    const code = (params.area ?? "").toUpperCase();
    const current =
      user.memberships.find((m) => m.areaCode === code) ?? user.memberships.find((m) => m.areaId === user.currentAreaId) ?? user.memberships[0];
    if (current) {
      area = { code: current.areaCode, name: current.areaName };
      const perms = permissionsFor(user.memberships.filter((m) => m.areaId === current.areaId).map((m) => m.role));
      nav.push({ to: areaPath(current.areaCode), key: "nav.home" });
      for (const item of AREA_NAV) if (perms.has(item.permission)) nav.push({ to: areaPath(current.areaCode, item.path), key: item.key });
    }
  }
  return data(
    {
      lang,
      nonce: context.cspNonce ?? "",
      user: user && fullySignedIn ? { name: user.name, email: user.email } : null,
      area,
      areas,
      nav,
      flash,
    },
    { headers },
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const root = useRouteLoaderData<typeof loader>("root");
  const nonce = useNonce();
  const { t } = useTranslation();
  const lang = root?.lang ?? "en";
  const location = useLocation();
  // Once a page is on screen, the body names the history entry it was rendered for: after a
  // client-side navigation or form submission, tools (and the tests' accessibility check) can
  // tell when the new page has replaced the old one. Set after commit, so it is never early.
  useEffect(() => {
    document.body.dataset.renderedKey = location.key;
  }, [location.key]);
  // Hydrated: every AppLink now opens its page in place, through this one navigator (decision 023).
  const navigate = useNavigate();
  useEffect(() => {
    setInAppNavigation((to, options) => navigate(to, options));
    return () => setInAppNavigation(null);
  }, [navigate]);
  return (
    <html lang={lang} className="govuk-template govuk-template--rebranded">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <Meta />
        <Links />
      </head>
      <body className="govuk-template__body">
        <a href="#main-content" className="govuk-skip-link" data-module="govuk-skip-link">
          {t("skipToContent")}
        </a>
        <Header />
        <div className="govuk-width-container">
          <div className="govuk-phase-banner">
            <p className="govuk-phase-banner__content">
              <strong className="govuk-tag govuk-phase-banner__content__tag panel-marking">{t("officialSensitive")}</strong>
              <span className="govuk-phase-banner__text">{t("phaseBanner")}</span>
            </p>
          </div>
          <main className="govuk-main-wrapper" id="main-content" tabIndex={-1}>
            {root?.flash ? (
              <NotificationBanner success={root.flash.kind !== "info"} title={t("flash.success")}>
                {t(root.flash.key, root.flash.values)}
              </NotificationBanner>
            ) : null}
            {children}
          </main>
        </div>
        <footer className="govuk-footer">
          <div className="govuk-width-container">
            <div className="govuk-footer__meta">
              <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
                <LanguageSwitch lang={lang} />
              </div>
            </div>
          </div>
        </footer>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

function LanguageSwitch({ lang }: { lang: string }) {
  const { t } = useTranslation();
  const location = useLocation();
  const target = lang === "cy" ? "en" : "cy";
  return (
    <Form method="post" action="/language" className="panel-inline-form">
      <input type="hidden" name="lang" value={target} />
      <input type="hidden" name="redirectTo" value={`${location.pathname}${location.search}`} />
      <button type="submit" className="panel-link-button govuk-footer__link" lang={target} aria-label={t(target === "cy" ? "language.switchToLabel" : "language.switchBackLabel")}>
        {t(target === "cy" ? "language.switchTo" : "language.switchBack")}
      </button>
    </Form>
  );
}

function Header() {
  const root = useRouteLoaderData<typeof loader>("root");
  const { t } = useTranslation();
  const location = useLocation();
  return (
    <>
      <header className="govuk-header" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__logo">
            <AppLink to="/" className="govuk-header__link govuk-header__link--homepage panel-header__product">
              {t("serviceName")}
              {root?.area ? <span className="govuk-visually-hidden">: {root.area.name}</span> : null}
            </AppLink>
          </div>
        </div>
      </header>
      {root?.user ? (
        <section aria-label={t("nav.label")} className="govuk-service-navigation" data-module="govuk-service-navigation">
          <div className="govuk-width-container">
            <div className="govuk-service-navigation__container">
              {root.area ? <span className="govuk-service-navigation__service-name">{root.area.name}</span> : null}
              <nav aria-label={t("nav.label")} className="govuk-service-navigation__wrapper">
                <ul className="govuk-service-navigation__list" id="navigation">
                  {root.nav.map((item) => {
                    const active = location.pathname === item.to || (item.key !== "nav.home" && location.pathname.startsWith(item.to));
                    return (
                      <li key={item.to} className={`govuk-service-navigation__item${active ? " govuk-service-navigation__item--active" : ""}`}>
                        <AppLink className="govuk-service-navigation__link" to={item.to} aria-current={active ? "page" : undefined}>
                          {t(item.key)}
                        </AppLink>
                      </li>
                    );
                  })}
                  {root.areas.length > 1 ? (
                    <li className="govuk-service-navigation__item">
                      <AppLink className="govuk-service-navigation__link" to="/areas">
                        {t("nav.change")}
                      </AppLink>
                    </li>
                  ) : null}
                  <li className="govuk-service-navigation__item">
                    <AppLink className="govuk-service-navigation__link" to="/account">
                      {t("nav.account")}
                    </AppLink>
                  </li>
                  <li className="govuk-service-navigation__item">
                    <Form method="post" action="/sign-out" className="panel-inline-form">
                      <button type="submit" className="panel-link-button govuk-service-navigation__link">
                        {t("nav.signOut")}
                      </button>
                    </Form>
                  </li>
                </ul>
              </nav>
            </div>
            <p className="govuk-body-s govuk-!-margin-bottom-1">{t("nav.signedInAs", { name: root.user.name })}</p>
          </div>
        </section>
      ) : null}
    </>
  );
}

export default function App() {
  useLoaderData<typeof loader>();
  useEffect(() => {
    // Progressive enhancement only: every page works without JavaScript.
    document.body.classList.add("js-enabled", "govuk-frontend-supported");
  }, []);
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t } = useTranslation();
  let title = t("errors.serverError");
  let body = t("errors.serverErrorBody");
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = t("errors.notFound");
      body = t("errors.notFoundBody");
    } else if (error.status === 403) {
      title = t("errors.forbidden");
      body = t("errors.forbiddenBody");
    } else if (error.status === 409) {
      title = t("errors.conflict");
      body = t("errors.conflictBody");
    } else if (error.status === 429) {
      title = t("errors.tooManyRequests");
      body = "";
    }
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{title}</h1>
        {body ? <p className="govuk-body">{body}</p> : null}
        <p className="govuk-body">
          <AppLink className="govuk-link" to="/">
            {t("nav.home")}
          </AppLink>
        </p>
      </div>
    </div>
  );
}
