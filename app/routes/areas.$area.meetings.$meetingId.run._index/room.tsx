import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useErrorText } from "~/components/form";

/**
 * The meeting room has many small forms on one page (one per agency, one per
 * action), so each reports its problem by form id rather than through conform.
 */
export interface Problem {
  form: string;
  key: string;
  field?: string;
  values?: Record<string, string>;
}

/** The first zod message of a failed parse, with its field. */
export function firstError(submission: { error?: Record<string, string[] | null> | null }): { field?: string; key: string } {
  for (const [field, errors] of Object.entries(submission.error ?? {})) if (errors?.length) return { field: field || undefined, key: errors[0] };
  return { key: "errors.invalid" };
}

/** What was typed, so a refused form keeps it. */
export function typedValues(form: FormData): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "intent") values[k] = v;
  return values;
}

function ErrorLine({ id, error }: { id: string; error?: string }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (!error) return null;
  return (
    <p id={`${id}-error`} className="govuk-error-message">
      <span className="govuk-visually-hidden">{t("errorPrefix")}</span> {errorText(error)}
    </p>
  );
}

interface Common {
  id: string;
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
}

function described(id: string, hint: unknown, error: unknown) {
  return [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
}

function Hint({ id, hint }: { id: string; hint?: ReactNode }) {
  return hint ? (
    <div id={`${id}-hint`} className="govuk-hint">
      {hint}
    </div>
  ) : null;
}

export function Input({ id, name, label, hint, error, defaultValue, type = "text", width }: Common & { defaultValue?: string; type?: "text" | "date"; width?: string }) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id} hint={hint} />
      <ErrorLine id={id} error={error} />
      <input
        className={`govuk-input${width ? ` govuk-input--width-${width}` : ""}${error ? " govuk-input--error" : ""}`}
        id={id}
        name={name}
        type={type}
        defaultValue={defaultValue}
        aria-describedby={described(id, hint, error)}
      />
    </div>
  );
}

export function LongText({ id, name, label, hint, error, defaultValue, rows = 4 }: Common & { defaultValue?: string; rows?: number }) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {label}
      </label>
      <Hint id={id} hint={hint} />
      <ErrorLine id={id} error={error} />
      <textarea className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`} id={id} name={name} rows={rows} defaultValue={defaultValue} aria-describedby={described(id, hint, error)} />
    </div>
  );
}

export function Select({ id, name, label, hint, error, defaultValue, options }: Common & { defaultValue?: string; options: { value: string; label: string }[] }) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label" htmlFor={id}>
        {label}
      </label>
      <Hint id={id} hint={hint} />
      <ErrorLine id={id} error={error} />
      <select className={`govuk-select${error ? " govuk-select--error" : ""}`} id={id} name={name} defaultValue={defaultValue} aria-describedby={described(id, hint, error)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function Radios({ id, name, label, error, defaultValue, options }: Common & { defaultValue?: string; options: { value: string; label: string }[] }) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>
        <ErrorLine id={id} error={error} />
        <div className="govuk-radios govuk-radios--small govuk-radios--inline">
          {options.map((o, i) => (
            <div className="govuk-radios__item" key={o.value}>
              <input className="govuk-radios__input" id={i === 0 ? id : `${id}-${o.value}`} name={name} type="radio" value={o.value} defaultChecked={defaultValue === o.value} />
              <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? id : `${id}-${o.value}`}>
                {o.label}
              </label>
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Checkbox({ id, name, label, error, defaultChecked }: Common & { defaultChecked?: boolean }) {
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <ErrorLine id={id} error={error} />
      <div className="govuk-checkboxes govuk-checkboxes--small">
        <div className="govuk-checkboxes__item">
          <input className="govuk-checkboxes__input" id={id} name={name} type="checkbox" value="on" defaultChecked={defaultChecked} aria-describedby={error ? `${id}-error` : undefined} />
          <label className="govuk-label govuk-checkboxes__label" htmlFor={id}>
            {label}
          </label>
        </div>
      </div>
    </div>
  );
}
