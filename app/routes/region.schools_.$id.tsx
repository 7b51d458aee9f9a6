import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { OptionsField, TagFields, schoolFormValues, tagsOf } from "~/components/RegionFields";
import { requireRegionScope, scopeCeilingCap, setSchoolCeiling } from "~/domain/places/regions.server";
import { KNOWN_SCHOOL_TAGS, schoolForEdit, updateSchool } from "~/domain/places/schools.server";
import { autonyms, supportedLngs } from "~/i18n";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/region.css?url";

export const links = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const STAGE_KEYS = ["preschool", "primary", "junior", "senior", "vocational", "higher", "continuing", "special"] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const view = await orErrorPage(async () => schoolForEdit(actor, params.id ?? ""));
  const cap = await scopeCeilingCap(requireRegionScope(actor));
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
      ceiling: view.school.phaseCeiling,
    },
    regionPath: view.regionPath,
    ceiling: view.ceiling,
    ceilingSource: view.ceilingSource,
    cap,
    ceilingSaved: new URL(request.url).searchParams.get("done") === "ceiling",
    effectivePhase: view.effectivePhase,
    knownTags: known,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  if (field(form, "intent") === "ceiling") {
    const values = { intent: "ceiling", ceiling: field(form, "ceiling") };
    try {
      await setSchoolCeiling(actor, params.id ?? "", { ceiling: values.ceiling });
      return redirect(`/region/schools/${params.id}?done=ceiling`);
    } catch (error) {
      return formFailure(error, values);
    }
  }
  const values = { intent: "school", ...schoolFormValues(form) };
  try {
    const school = await updateSchool(actor, params.id ?? "", { name: values.name, stage: values.stage, defaultLocale: values.defaultLocale, tags: tagsOf(values), loginPrefix: values.loginPrefix });
    return redirect(`/region/schools?done=schoolSaved&name=${encodeURIComponent(school.name)}#region-${school.regionId}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function EditSchool() {
  const { school, regionPath, ceiling, ceilingSource, cap, ceilingSaved, effectivePhase, knownTags } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const { t } = useTranslation("regions");
  const ceilingFailure = failed && "ceiling" in failed.values ? { ...failed, values: failed.values } : undefined;
  const failure = failed && "name" in failed.values ? { ...failed, values: failed.values } : undefined;
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
          <dd>
            {ceiling === null ? t("ceilingNone") : phaseName(ceiling)}
            {ceilingSource ? (
              <span className="meta">
                {" "}
                ({ceilingSource.kind === "school" ? t("ceilingFrom.school", { n: ceiling }) : t("ceilingFrom.region", { region: ceilingSource.regionName, n: ceiling })})
              </span>
            ) : null}
          </dd>
          <dt>{t("effectivePhase")}</dt>
          <dd>{phaseName(effectivePhase)}</dd>
        </dl>
        <p>
          <a href={`/school/adoption?school=${school.id}`}>{t("adoptionLink")}</a>
        </p>
      </section>
      <section className="panel narrow" aria-labelledby="ceiling-title">
        <h2 id="ceiling-title">{t("schoolCeiling.title")}</h2>
        {ceilingSaved ? (
          <p className="notice" role="status">
            {t("schoolCeiling.saved")}
          </p>
        ) : null}
        <FormAlert problem={ceilingFailure?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="ceiling" />
          <OptionsField
            name="ceiling"
            label={t("schoolCeiling.field")}
            hint={t("schoolCeiling.hint", { phase: phaseName(cap) })}
            defaultValue={ceilingFailure?.values.ceiling ?? (school.ceiling === null ? "none" : String(school.ceiling))}
            error={ceilingFailure?.fieldErrors.ceiling}
            options={[{ value: "none", label: t("ceilingNone") }, ...[0, 1, 2, 3].filter((p) => p <= cap).map((p) => ({ value: String(p), label: phaseName(p) }))]}
          />
          <button type="submit">{t("schoolCeiling.save")}</button>
        </Form>
      </section>
      <section className="panel narrow" aria-labelledby="school-form-title">
        <h2 id="school-form-title" className="visually-hidden">
          {t("editSchool", { name: school.name })}
        </h2>
        <FormAlert problem={failure?.formError} />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="school" />
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
