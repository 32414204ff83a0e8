import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { AppLink } from "~/components/app-link";

export function PageHeading({ caption, children }: { caption?: ReactNode; children: ReactNode }) {
  return (
    <>
      {caption ? <span className="govuk-caption-l">{caption}</span> : null}
      <h1 className="govuk-heading-l">{children}</h1>
    </>
  );
}

export function BackLink({ to, children }: { to: string; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <AppLink to={to} className="govuk-back-link">
      {children ?? t("actions.back")}
    </AppLink>
  );
}

export function Tag({ children, colour }: { children: ReactNode; colour?: "grey" | "green" | "red" | "yellow" | "blue" | "orange" | "purple" }) {
  return <strong className={`govuk-tag${colour ? ` govuk-tag--${colour}` : ""}`}>{children}</strong>;
}

export function SummaryList({ rows }: { rows: { key: ReactNode; value: ReactNode; action?: { to: string; label: string; hidden: string } }[] }) {
  return (
    <dl className="govuk-summary-list">
      {rows.map((row, i) => (
        <div className="govuk-summary-list__row" key={i}>
          <dt className="govuk-summary-list__key">{row.key}</dt>
          <dd className="govuk-summary-list__value">{row.value}</dd>
          {row.action ? (
            <dd className="govuk-summary-list__actions">
              <AppLink className="govuk-link" to={row.action.to}>
                {row.action.label}
                <span className="govuk-visually-hidden"> {row.action.hidden}</span>
              </AppLink>
            </dd>
          ) : null}
        </div>
      ))}
    </dl>
  );
}

export function Table({ caption, head, rows }: { caption: ReactNode; head: ReactNode[]; rows: ReactNode[][] }) {
  return (
    <table className="govuk-table">
      <caption className="govuk-table__caption govuk-table__caption--m">{caption}</caption>
      <thead className="govuk-table__head">
        <tr className="govuk-table__row">
          {head.map((h, i) => (
            <th scope="col" className="govuk-table__header" key={i}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody className="govuk-table__body">
        {rows.map((r, i) => (
          <tr className="govuk-table__row" key={i}>
            {r.map((c, j) =>
              j === 0 ? (
                <th scope="row" className="govuk-table__header" key={j}>
                  {c}
                </th>
              ) : (
                <td className="govuk-table__cell" key={j}>
                  {c}
                </td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function NotificationBanner({ title, children, success }: { title: ReactNode; children: ReactNode; success?: boolean }) {
  return (
    <div
      className={`govuk-notification-banner${success ? " govuk-notification-banner--success" : ""}`}
      role={success ? "alert" : "region"}
      aria-labelledby="notification-banner-title"
      data-module="govuk-notification-banner"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="notification-banner-title">
          {title}
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{children}</p>
      </div>
    </div>
  );
}

export function InsetText({ children }: { children: ReactNode }) {
  return <div className="govuk-inset-text">{children}</div>;
}

export function WarningText({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">{t("warning")}</span>
        {children}
      </strong>
    </div>
  );
}

/**
 * GOV.UK pagination with a link to the previous and to the next page of a list, either of which
 * may be absent; nothing at all when there are neither.
 */
export function Pagination({ label, previous, next }: { label: string; previous?: { to: string; text: string } | null; next?: { to: string; text: string } | null }) {
  if (!previous && !next) return null;
  return (
    <nav className="govuk-pagination" aria-label={label}>
      {previous ? (
        <div className="govuk-pagination__prev">
          <AppLink className="govuk-link govuk-pagination__link" to={previous.to} rel="prev">
            <svg className="govuk-pagination__icon govuk-pagination__icon--prev" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
              <path d="m6.5938-0.0078125-6.7266 6.7266 6.7441 6.4062 1.377-1.449-4.1856-3.9768h12.896v-2h-12.984l4.2931-4.293-1.414-1.414z" />
            </svg>
            <span className="govuk-pagination__link-title">{previous.text}</span>
          </AppLink>
        </div>
      ) : null}
      {next ? (
        <div className="govuk-pagination__next">
          <AppLink className="govuk-link govuk-pagination__link" to={next.to} rel="next">
            <span className="govuk-pagination__link-title">{next.text}</span>
            <svg className="govuk-pagination__icon govuk-pagination__icon--next" xmlns="http://www.w3.org/2000/svg" height="13" width="15" aria-hidden="true" focusable="false" viewBox="0 0 15 13">
              <path d="m8.107-0.0078125-1.4136 1.414 4.2926 4.293h-12.986v2h12.896l-4.1855 3.9766 1.377 1.4492 6.7441-6.4062-6.7246-6.7266z" />
            </svg>
          </AppLink>
        </div>
      ) : null}
    </nav>
  );
}
