import { getFormProps, useForm } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Button, RadiosField, TextArea, TextField } from "~/components/form";
import type { peopleListLoader, personLoader } from "./people.server";
import { HouseholdSchema, PerpetratorSchema } from "./person-schema";
import { SectionFrame, useActionParts } from "./ui";
import { AppLink } from "~/components/app-link";

/** GOV.UK "add another": the people added so far, each with Change and Remove. */
export function PeopleListPage() {
  const { title, area, paths, group, next, people } = useLoaderData<ReturnType<typeof peopleListLoader>>();
  const { t } = useTranslation("referrals");
  const perpetrators = group === "perpetrators";
  return (
    <SectionFrame base={paths.base} caption={area.name} title={title}>
      <p className="govuk-body">{t(perpetrators ? "people.perpetratorsIntro" : "people.childrenIntro")}</p>
      {people.length === 0 ? (
        <p className="govuk-body">{t(perpetrators ? "people.noPerpetrators" : "people.noChildren")}</p>
      ) : (
        <dl className="govuk-summary-list govuk-summary-list--long-key">
          {people.map((p) => (
            <div className="govuk-summary-list__row" key={p.id}>
              <dt className="govuk-summary-list__key">{p.name}</dt>
              <dd className="govuk-summary-list__value">
                {[p.dob, p.relationship, perpetrators ? "" : t(`person.roles.${p.role}`)].filter(Boolean).join(", ")}
              </dd>
              <dd className="govuk-summary-list__actions">
                <ul className="govuk-summary-list__actions-list">
                  <li className="govuk-summary-list__actions-list-item">
                    <AppLink className="govuk-link" to={`${paths.base}/${group}/${p.id}`}>
                      {t("people.change")}
                      <span className="govuk-visually-hidden"> {p.name}</span>
                    </AppLink>
                  </li>
                  <li className="govuk-summary-list__actions-list-item">
                    <AppLink className="govuk-link" to={`${paths.base}/${group}/${p.id}?remove`}>
                      {t("people.remove")}
                      <span className="govuk-visually-hidden"> {p.name}</span>
                    </AppLink>
                  </li>
                </ul>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className="govuk-button-group">
        <AppLink className="govuk-button govuk-button--secondary" to={`${paths.base}/${group}/new`}>
          {people.length === 0
            ? t(perpetrators ? "people.addPerpetrator" : "people.addChild")
            : t(perpetrators ? "people.addAnotherPerpetrator" : "people.addAnotherChild")}
        </AppLink>
        <AppLink className="govuk-button" to={`${paths.base}/${next}`}>
          {t("people.done")}
        </AppLink>
      </div>
    </SectionFrame>
  );
}

/** Add or change one perpetrator, child or household member; or confirm removing them. */
export function PersonPage() {
  const { title, area, listPath, group, version, personId, name, remove, values } = useLoaderData<ReturnType<typeof personLoader>>();
  const { result, conflict } = useActionParts(useActionData());
  const navigation = useNavigation();
  const { t } = useTranslation("referrals");
  const schema = group === "perpetrators" ? PerpetratorSchema : HouseholdSchema;
  const [form, fields] = useForm({
    id: `${group}-${personId ?? "new"}-${version}`,
    lastResult: remove ? undefined : result,
    defaultValue: values,
    onValidate: ({ formData }) => parseWithZod(formData, { schema }),
    shouldValidate: "onSubmit",
  });
  if (remove) {
    return (
      <SectionFrame base={listPath} caption={area.name} title={t("people.removeTitle", { name })} conflict={conflict}>
        <Form method="post">
          <input type="hidden" name="version" value={version} />
          <div className="govuk-button-group">
            <Button warning name="intent" value="remove">
              {t("people.removeConfirm")}
            </Button>
            <AppLink className="govuk-link" to={listPath}>
              {t("people.removeCancel")}
            </AppLink>
          </div>
        </Form>
      </SectionFrame>
    );
  }
  return (
    <SectionFrame base={listPath} caption={area.name} title={title} form={form} conflict={conflict}>
      <Form method="post" {...getFormProps(form)}>
        <input type="hidden" name="version" value={version} />
        {personId ? <input type="hidden" name="personVersion" value={values.personVersion} /> : null}
        {group === "children" ? (
          personId ? (
            <input type="hidden" name="role" value={values.role} />
          ) : (
            <RadiosField
              field={fields.role}
              legend={t("person.householdRole")}
              options={(["child", "other"] as const).map((r) => ({ value: r, label: t(`person.roles.${r}`) }))}
            />
          )
        ) : null}
        <TextField field={fields.firstName} label={t("person.firstName")} labelClass="govuk-label--s" spellCheck={false} autoComplete="off" />
        <TextField field={fields.lastName} label={t("person.lastName")} labelClass="govuk-label--s" spellCheck={false} autoComplete="off" />
        <TextArea field={fields.aliases} label={t("person.aliases")} hint={t("person.aliasesHint")} labelClass="govuk-label--s" rows={3} />
        <TextArea field={fields.dobs} label={t("person.dobs")} hint={t("person.dobsHint")} labelClass="govuk-label--s" rows={2} />
        {group === "perpetrators" ? (
          <>
            <TextField field={fields.gender} label={t("person.gender")} labelClass="govuk-label--s" width="20" />
            <TextField field={fields.relationshipToVictim} label={t("person.relationshipToVictim")} hint={t("person.relationshipToVictimHint")} labelClass="govuk-label--s" width="20" />
            <TextArea field={fields.address} label={t("person.address")} labelClass="govuk-label--s" rows={3} />
          </>
        ) : (
          <>
            <TextField field={fields.relationshipToVictim} label={t("person.relationshipToVictim")} labelClass="govuk-label--s" width="20" />
            <TextField field={fields.relationshipToPerpetrator} label={t("person.relationshipToPerpetrator")} labelClass="govuk-label--s" width="20" />
            <TextField field={fields.school} label={t("person.school")} labelClass="govuk-label--s" />
          </>
        )}
        <Button disabled={navigation.state === "submitting"}>{t("save")}</Button>
      </Form>
    </SectionFrame>
  );
}
