import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { PrefixedTextField, OptionsField, TagFields, schoolFormValues, tagsOf } from "~/components/RegionFields";
import { createRegion, regionTree, renameRegion, setRegionCeiling } from "~/domain/places/regions.server";
import { createSchool, KNOWN_SCHOOL_TAGS } from "~/domain/places/schools.server";
import { autonyms, supportedLngs } from "~/i18n";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/region.css?url";

export const links = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const STAGE_KEYS = ["preschool", "primary", "junior", "senior", "vocational", "higher", "continuing", "special"] as const;
const DONE = ["regionCreated", "regionRenamed", "ceilingSet", "schoolCreated", "schoolSaved"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const tree = await orErrorPage(async () => regionTree(actor));
  const url = new URL(request.url);
  const done = DONE.find((d) => d === url.searchParams.get("done"));
  return {
    title: await pageTitle(request, "regions:title"),
    path: tree.path.map((r) => r.name).reverse(),
    cap: tree.cap,
    regions: tree.regions,
    knownTags: [...KNOWN_SCHOOL_TAGS] as string[],
    done: done ? { key: done, name: url.searchParams.get("name") ?? "" } : null,
  };
}

type Intent = "createRegion" | "renameRegion" | "setCeiling" | "createSchool";

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const intent = field(form, "intent") as Intent;
  const target = field(form, "regionId");
  // Every answer carries the same fields, so the page can show each form's typed values and errors.
  const typed = { ...schoolFormValues(form), intent, target, parentId: field(form, "parentId"), ceiling: field(form, "ceiling") };
  const back = (done: (typeof DONE)[number], name: string, anchor: string) => redirect(`/region/schools?done=${done}&name=${encodeURIComponent(name)}#${anchor}`);
  switch (intent) {
    case "createRegion": {
      const values = { ...typed, target: "" };
      try {
        const region = await createRegion(actor, { parentId: values.parentId, name: values.name });
        return back("regionCreated", region.name, `region-${region.id}`);
      } catch (error) {
        return formFailure(error, values);
      }
    }
    case "renameRegion": {
      const values = typed;
      try {
        const region = await renameRegion(actor, target, { name: values.name });
        return back("regionRenamed", region.name, `region-${region.id}`);
      } catch (error) {
        return formFailure(error, values);
      }
    }
    case "setCeiling": {
      const values = typed;
      try {
        const { region } = await setRegionCeiling(actor, target, { ceiling: values.ceiling });
        return back("ceilingSet", region.name, `region-${region.id}`);
      } catch (error) {
        return formFailure(error, values);
      }
    }
    case "createSchool": {
      const values = { ...typed, target: "" };
      try {
        const school = await createSchool(actor, typed.regionId, { name: typed.name, stage: typed.stage, defaultLocale: typed.defaultLocale, tags: tagsOf(typed), loginPrefix: typed.loginPrefix });
        return back("schoolCreated", school.name, `region-${school.regionId}`);
      } catch (error) {
        return formFailure(error, values);
      }
    }
    default:
      throw new Response(null, { status: 400 });
  }
}

export default function RegionSchools() {
  const { path, cap, regions, knownTags, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("regions");
  const phaseName = (p: number) => t(`common:phases.${p}`);
  const failed = (intent: Intent, target = "") => (failure && failure.values.intent === intent && failure.values.target === target ? failure : null);
  const regionFail = failed("createRegion");
  const schoolFail = failed("createSchool");
  const schoolValues = schoolFail?.values;
  const stageOptions = STAGE_KEYS.map((s) => ({ value: s, label: t(`common:stages.${s}`) }));
  const localeOptions = supportedLngs.map((l) => ({ value: l, label: autonyms[l] }));
  return (
    <div className="region-admin">
      {done ? (
        <p className="notice" role="status">
          {t(`done.${done.key}`, { name: done.name })}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="schools-title">
        <h1 id="schools-title">{t("title")}</h1>
        {path.length ? <p className="meta">{path.join(" › ")}</p> : null}
        <p>{t("intro")}</p>
        <p>
          <a href="/region/adoption">{t("adoptionLink")}</a>
        </p>
      </section>
      <section className="panel" aria-labelledby="tree-title">
        <h2 id="tree-title">{t("treeTitle")}</h2>
        <ul className="region-tree">
          {regions.map((r) => {
            const renameFail = failed("renameRegion", r.id);
            const ceilingFail = failed("setCeiling", r.id);
            return (
              <li key={r.id} id={`region-${r.id}`} className={`region depth-${Math.min(r.depth, 3)}`}>
                <h3>
                  {r.name} <span className="tag">{t(`levels.${r.level}`)}</span>
                </h3>
                <p className="meta">
                  {r.ceiling === null ? t("ceilingNone") : t("ceilingSet", { phase: phaseName(r.ceiling) })} ·{" "}
                  {r.effectiveCeiling === null ? t("noCeilingInForce") : t("ceilingInForce", { phase: phaseName(r.effectiveCeiling) })}
                </p>
                {r.schools.length ? (
                  <ul className="school-list">
                    {r.schools.map((s) => (
                      <li key={s.id}>
                        <a href={`/region/schools/${s.id}`}>{s.name}</a>
                        <span className="meta">
                          {" "}
                          · {t(`common:stages.${s.stage}`)} · {autonyms[s.defaultLocale]} · {s.loginPrefix}
                        </span>
                        <br />
                        <span className="phase">
                          {t("phase")}: {s.phase === s.effectivePhase ? phaseName(s.phase) : t("phaseWithEffect", { phase: phaseName(s.phase), effective: phaseName(s.effectivePhase) })}
                          {s.ceiling !== null ? ` · ${t("ceilingFrom.school", { n: s.ceiling })}` : ""}
                        </span>
                        {s.tags.map((tag) => (
                          <span className="tag" key={tag}>
                            {knownTags.includes(tag) ? t(`tagNames.${tag}`) : tag}
                          </span>
                        ))}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <p className="meta">{t("noSchools")}</p>
                )}
                {r.manageable ? (
                  <details open={Boolean(renameFail || ceilingFail)}>
                    <summary>
                      {t("manage")}
                      <span className="visually-hidden">: {r.name}</span>
                    </summary>
                    <Form method="post" className="small-form">
                      <input type="hidden" name="intent" value="renameRegion" />
                      <input type="hidden" name="regionId" value={r.id} />
                      <PrefixedTextField idPrefix={`rn-${r.id}`} name="name" label={t("fields.newName")} defaultValue={renameFail?.values.name ?? r.name} error={renameFail?.fieldErrors.name} required />
                      <button type="submit" className="secondary">
                        {t("rename")}
                      </button>
                    </Form>
                    <Form method="post" className="small-form">
                      <input type="hidden" name="intent" value="setCeiling" />
                      <input type="hidden" name="regionId" value={r.id} />
                      <OptionsField
                        idPrefix={`ce-${r.id}`}
                        name="ceiling"
                        label={t("fields.ceiling")}
                        hint={t("ceilingHint", { phase: phaseName(cap) })}
                        defaultValue={ceilingFail?.values.ceiling ?? (r.ceiling === null ? "none" : String(r.ceiling))}
                        error={ceilingFail?.fieldErrors.ceiling}
                        options={[{ value: "none", label: t("ceilingNone") }, ...[0, 1, 2, 3].filter((p) => p <= cap).map((p) => ({ value: String(p), label: phaseName(p) }))]}
                      />
                      <button type="submit" className="secondary">
                        {t("setCeiling")}
                      </button>
                    </Form>
                  </details>
                ) : null}
              </li>
            );
          })}
        </ul>
      </section>
      <div className="create-forms">
        <section className="panel" aria-labelledby="new-region-title">
          <h2 id="new-region-title">{t("createRegion")}</h2>
          <p className="hint">{t("createRegionHint")}</p>
          <FormAlert problem={regionFail?.formError} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="createRegion" />
            <OptionsField
              idPrefix="cr"
              name="parentId"
              label={t("fields.parent")}
              placeholder={t("choose")}
              defaultValue={regionFail?.values.parentId}
              error={regionFail?.fieldErrors.parentId}
              options={regions.filter((r) => r.canHaveChildren).map((r) => ({ value: r.id, label: `${"—".repeat(r.depth)}${r.depth ? " " : ""}${r.name}` }))}
            />
            <PrefixedTextField idPrefix="cr" name="name" label={t("fields.name")} defaultValue={regionFail?.values.name} error={regionFail?.fieldErrors.name} required />
            <button type="submit" className="primary">
              {t("createRegion")}
            </button>
          </Form>
        </section>
        <section className="panel" aria-labelledby="new-school-title">
          <h2 id="new-school-title">{t("createSchool")}</h2>
          <p className="hint">{t("createSchoolHint")}</p>
          <FormAlert problem={schoolFail?.formError} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="createSchool" />
            <OptionsField
              idPrefix="cs"
              name="regionId"
              label={t("fields.region")}
              placeholder={t("choose")}
              defaultValue={schoolValues?.regionId}
              error={schoolFail?.fieldErrors.regionId}
              options={regions.map((r) => ({ value: r.id, label: `${"—".repeat(r.depth)}${r.depth ? " " : ""}${r.name}` }))}
            />
            <TextField name="name" label={t("fields.schoolName")} defaultValue={schoolValues?.name} error={schoolFail?.fieldErrors.name} required />
            <OptionsField idPrefix="cs" name="stage" label={t("fields.stage")} placeholder={t("choose")} defaultValue={schoolValues?.stage} error={schoolFail?.fieldErrors.stage} options={stageOptions} />
            <OptionsField
              idPrefix="cs"
              name="defaultLocale"
              label={t("fields.defaultLocale")}
              hint={t("fields.defaultLocaleHint")}
              defaultValue={schoolValues?.defaultLocale ?? "zh-Hans"}
              error={schoolFail?.fieldErrors.defaultLocale}
              options={localeOptions}
            />
            <TagFields idPrefix="cs" known={knownTags} selected={schoolValues?.tag ?? []} more={schoolValues?.moreTags ?? ""} error={schoolFail?.fieldErrors.tags} />
            <TextField
              name="loginPrefix"
              label={t("fields.loginPrefix")}
              hint={t("fields.loginPrefixHint")}
              defaultValue={schoolValues?.loginPrefix}
              error={schoolFail?.fieldErrors.loginPrefix}
              autoCapitalize="none"
              spellCheck={false}
              required
            />
            <button type="submit" className="primary">
              {t("createSchool")}
            </button>
          </Form>
        </section>
      </div>
    </div>
  );
}
