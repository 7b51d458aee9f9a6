import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { OptionsField, TagFields, schoolFormValues, tagsOf } from "~/components/RegionFields";
import { KNOWN_SCHOOL_TAGS, schoolForEdit, updateSchool } from "~/domain/schools.server";
import { autonyms, supportedLngs } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/region.css?url";

export const links = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const STAGE_KEYS = ["preschool", "primary", "junior", "senior", "vocational", "higher", "continuing", "special"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const view = await orErrorPage(() => schoolForEdit(actor, params.id ?? ""));
  const known: string[] = [...KNOWN_SCHOOL_TAGS];
  return {
    title: await pageTitle(request, "regions:title"),
    school: {
      id: view.school.id,
      name: view.school.name,
      stage: view.school.stage,
      defaultLocale: view.school.defaultLocale,
      tags: view.school.tags,
      loginPrefix: view.school.loginPrefix ?? "",
      phase: view.school.phase,
    },
    regionPath: view.regionPath,
    ceiling: view.ceiling,
    effectivePhase: view.effectivePhase,
    knownTags: known,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = requireActor(request);
  const values = schoolFormValues(await request.formData());
  try {
    const school = updateSchool(actor, params.id ?? "", { name: values.name, stage: values.stage, defaultLocale: values.defaultLocale, tags: tagsOf(values), loginPrefix: values.loginPrefix });
    return redirect(`/region/schools?done=schoolSaved&name=${encodeURIComponent(school.name)}#region-${school.regionId}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function EditSchool() {
  const { school, regionPath, ceiling, effectivePhase, knownTags } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("regions");
  const v = failure?.values;
  const errors = failure?.fieldErrors;
  const phaseName = (p: number) => t(`common:phases.${p}`);
  return (
    <div className="region-admin">
      <p>
        <a href="/region/schools">{t("back")}</a>
      </p>
      <section className="panel narrow" aria-labelledby="edit-title">
        <h1 id="edit-title">{t("editSchool", { name: school.name })}</h1>
        <dl className="facts">
          <dt>{t("fields.region")}</dt>
          <dd>{regionPath.join(" › ")}</dd>
          <dt>{t("phase")}</dt>
          <dd>{phaseName(school.phase)}</dd>
          <dt>{t("fields.ceiling")}</dt>
          <dd>{ceiling === null ? t("ceilingNone") : phaseName(ceiling)}</dd>
          <dt>{t("effectivePhase")}</dt>
          <dd>{phaseName(effectivePhase)}</dd>
        </dl>
        <p>
          <a href={`/school/adoption?school=${school.id}`}>{t("adoptionLink")}</a>
        </p>
        <FormAlert problem={failure?.formError} />
        <Form method="post" noValidate>
          <TextField name="name" label={t("fields.schoolName")} defaultValue={v?.name ?? school.name} error={errors?.name} required />
          <OptionsField
            name="stage"
            label={t("fields.stage")}
            defaultValue={v?.stage ?? school.stage}
            error={errors?.stage}
            options={STAGE_KEYS.map((s) => ({ value: s, label: t(`common:stages.${s}`) }))}
          />
          <OptionsField
            name="defaultLocale"
            label={t("fields.defaultLocale")}
            hint={t("fields.defaultLocaleHint")}
            defaultValue={v?.defaultLocale ?? school.defaultLocale}
            error={errors?.defaultLocale}
            options={supportedLngs.map((l) => ({ value: l, label: autonyms[l] }))}
          />
          <TagFields
            known={knownTags}
            selected={v ? v.tag : school.tags.filter((tag) => knownTags.includes(tag))}
            more={v ? v.moreTags : school.tags.filter((tag) => !knownTags.includes(tag)).join(" ")}
            error={errors?.tags}
          />
          <TextField
            name="loginPrefix"
            label={t("fields.loginPrefix")}
            hint={t("fields.loginPrefixHint")}
            defaultValue={v?.loginPrefix ?? school.loginPrefix}
            error={errors?.loginPrefix}
            autoCapitalize="none"
            spellCheck={false}
            required
          />
          <button type="submit" className="primary">
            {t("save")}
          </button>
        </Form>
      </section>
    </div>
  );
}
