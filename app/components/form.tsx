import type { FieldMetadata, FormMetadata } from "@conform-to/react";
import { getInputProps, getSelectProps, getTextareaProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import type { z } from "zod";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";

type FormOptions = Parameters<typeof useForm>[0];

/**
 * conform's useForm with the form's zod schema checked in the browser when the
 * form is submitted; the server checks the same schema again.
 */
export function useSchemaForm<S extends z.ZodTypeAny>(schema: S, options: Omit<FormOptions, "onValidate" | "shouldValidate">) {
  return useForm<z.input<S>, z.output<S>>({
    ...(options as object),
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
  });
}

/** Form errors hold i18n keys, optionally "key|{json values}". */
export function useErrorText() {
  const { t } = useTranslation();
  return (error: string) => {
    const [key, values] = error.split("|");
    return t(key, values ? JSON.parse(values) : undefined) as string;
  };
}

export function ErrorSummary({ form, extra }: { form?: FormMetadata<any, string[]>; extra?: { href?: string; message: string }[] }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const items: { href?: string; text: string }[] = [];
  if (form) {
    for (const message of form.errors ?? []) items.push({ text: errorText(message) });
    for (const [name, errors] of Object.entries(form.allErrors)) {
      if (name === "" || name === form.id || !errors?.length) continue;
      items.push({ href: `#${form.id}-${name}`, text: errorText(errors[0]) });
    }
  }
  for (const e of extra ?? []) items.push({ href: e.href, text: errorText(e.message) });
  if (items.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" role="alert" tabIndex={-1} ref={(el) => el?.focus()}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">{t("errorSummary.title")}</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {items.map((item, i) => (
              <li key={i}>{item.href ? <a href={item.href}>{item.text}</a> : item.text}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

function FieldError({ field }: { field: FieldMetadata<any> }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  if (!field.errors?.length) return null;
  return (
    <p id={field.errorId} className="govuk-error-message">
      <span className="govuk-visually-hidden">{t("errorPrefix")}</span> {errorText(field.errors[0])}
    </p>
  );
}

interface FieldProps {
  field: FieldMetadata<any>;
  label: ReactNode;
  hint?: ReactNode;
  labelClass?: string;
}

function describedBy(field: FieldMetadata<any>, hint: unknown) {
  return [hint ? `${field.id}-hint` : null, field.errors?.length ? field.errorId : null].filter(Boolean).join(" ") || undefined;
}

export function TextField({
  field,
  label,
  hint,
  labelClass,
  type = "text",
  width,
  autoComplete,
  spellCheck,
  inputMode,
}: FieldProps & {
  type?: "text" | "email" | "password" | "number" | "date" | "time" | "tel";
  width?: "2" | "3" | "4" | "5" | "10" | "20" | "30";
  autoComplete?: string;
  spellCheck?: boolean;
  inputMode?: "numeric" | "text" | "email" | "tel";
}) {
  const invalid = Boolean(field.errors?.length);
  const { key, ...props } = getInputProps(field, { type, ariaDescribedBy: describedBy(field, hint) });
  return (
    <div className={`govuk-form-group${invalid ? " govuk-form-group--error" : ""}`}>
      <label className={`govuk-label ${labelClass ?? ""}`} htmlFor={field.id}>
        {label}
      </label>
      {hint ? (
        <div id={`${field.id}-hint`} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      <FieldError field={field} />
      <input
        key={key}
        {...props}
        // Constraint validation is left to the server so that messages are ours and consistent.
        required={undefined}
        className={`govuk-input${width ? ` govuk-input--width-${width}` : ""}${invalid ? " govuk-input--error" : ""}`}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        inputMode={inputMode}
      />
    </div>
  );
}

export function TextArea({ field, label, hint, labelClass, rows = 5 }: FieldProps & { rows?: number }) {
  const invalid = Boolean(field.errors?.length);
  const { key, ...props } = getTextareaProps(field, { ariaDescribedBy: describedBy(field, hint) });
  return (
    <div className={`govuk-form-group${invalid ? " govuk-form-group--error" : ""}`}>
      <label className={`govuk-label ${labelClass ?? ""}`} htmlFor={field.id}>
        {label}
      </label>
      {hint ? (
        <div id={`${field.id}-hint`} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      <FieldError field={field} />
      <textarea key={key} {...props} required={undefined} rows={rows} className={`govuk-textarea${invalid ? " govuk-textarea--error" : ""}`} />
    </div>
  );
}

export function SelectField({
  field,
  label,
  hint,
  labelClass,
  options,
  placeholder,
}: FieldProps & { options: { value: string; label: string }[]; placeholder?: string }) {
  const invalid = Boolean(field.errors?.length);
  const { key, ...props } = getSelectProps(field, { ariaDescribedBy: describedBy(field, hint) });
  return (
    <div className={`govuk-form-group${invalid ? " govuk-form-group--error" : ""}`}>
      <label className={`govuk-label ${labelClass ?? ""}`} htmlFor={field.id}>
        {label}
      </label>
      {hint ? (
        <div id={`${field.id}-hint`} className="govuk-hint">
          {hint}
        </div>
      ) : null}
      <FieldError field={field} />
      <select key={key} {...props} required={undefined} className={`govuk-select${invalid ? " govuk-select--error" : ""}`}>
        {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A single yes/no checkbox (e.g. "verifier agency"). */
export function CheckboxField({ field, label, hint }: FieldProps) {
  const invalid = Boolean(field.errors?.length);
  const { key, ...props } = getInputProps(field, { type: "checkbox", value: "on", ariaDescribedBy: describedBy(field, hint) });
  return (
    <div className={`govuk-form-group${invalid ? " govuk-form-group--error" : ""}`}>
      <FieldError field={field} />
      <div className="govuk-checkboxes govuk-checkboxes--small">
        <div className="govuk-checkboxes__item">
          <input key={key} {...props} required={undefined} className="govuk-checkboxes__input" />
          <label className="govuk-label govuk-checkboxes__label" htmlFor={field.id}>
            {label}
          </label>
          {hint ? (
            <div id={`${field.id}-hint`} className="govuk-hint govuk-checkboxes__hint">
              {hint}
            </div>
          ) : null}
        </div>
      </div>
    </div>
  );
}

export function RadiosField({
  field,
  legend,
  hint,
  options,
  inline,
}: {
  field: FieldMetadata<any>;
  legend: ReactNode;
  hint?: ReactNode;
  options: { value: string; label: string; hint?: string }[];
  inline?: boolean;
}) {
  const invalid = Boolean(field.errors?.length);
  return (
    <div className={`govuk-form-group${invalid ? " govuk-form-group--error" : ""}`}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(field, hint)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div id={`${field.id}-hint`} className="govuk-hint">
            {hint}
          </div>
        ) : null}
        <FieldError field={field} />
        <div className={`govuk-radios${inline ? " govuk-radios--inline" : ""}`}>
          {options.map((o, i) => (
            <div className="govuk-radios__item" key={o.value}>
              <input
                className="govuk-radios__input"
                id={i === 0 ? field.id : `${field.id}-${o.value}`}
                name={field.name}
                type="radio"
                value={o.value}
                defaultChecked={field.initialValue === o.value}
                aria-describedby={o.hint ? `${field.id}-${o.value}-hint` : undefined}
              />
              <label className="govuk-label govuk-radios__label" htmlFor={i === 0 ? field.id : `${field.id}-${o.value}`}>
                {o.label}
              </label>
              {o.hint ? (
                <div id={`${field.id}-${o.value}-hint`} className="govuk-hint govuk-radios__hint">
                  {o.hint}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Button({
  children,
  secondary,
  warning,
  name,
  value,
  disabled,
}: {
  children: ReactNode;
  secondary?: boolean;
  warning?: boolean;
  name?: string;
  value?: string;
  disabled?: boolean;
}) {
  const cls = `govuk-button${secondary ? " govuk-button--secondary" : ""}${warning ? " govuk-button--warning" : ""}`;
  return (
    <button type="submit" className={cls} data-module="govuk-button" name={name} value={value} disabled={disabled}>
      {children}
    </button>
  );
}
