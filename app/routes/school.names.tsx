import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField, type Problem } from "~/components/FormBits";
import { localNamesForm, saveLocalNames } from "~/domain/places/local-names.server";
import { autonyms } from "~/i18n";
import { formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import { fieldOf, LOCAL_NAME_LOCALES, LOCAL_NAME_MAX, type LocalNames } from "~/lib/local-names";
import cssUrl from "~/styles/school.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** The school's, its classes' and its subjects' names in Tibetan, Yi and English (school admin of that school only). */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const title = await pageTitle(request, "classes:localNames.title");
  const url = new URL(request.url);
  return orErrorPage(async () => {
    const form = await localNamesForm(actor);
    const saved = url.searchParams.get("saved");
    return { title, ...form, saved: saved === null ? null : Math.max(0, Number(saved) || 0) };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const values: Record<string, string> = {};
  for (const [key, value] of form) if (typeof value === "string") values[key] = value;
  try {
    const { changed } = await saveLocalNames(actor, values);
    return redirect(`/school/names?saved=${changed}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

type Row = { legend: string; fieldName: (lng: (typeof LOCAL_NAME_LOCALES)[number]) => string; names: LocalNames };

function NameRow({ row, values, errors, hidden }: { row: Row; values: Record<string, string> | undefined; errors: Record<string, Problem> | undefined; hidden?: { name: string; value: string } }) {
  return (
    <fieldset className="local-names">
      <legend>{row.legend}</legend>
      {hidden ? <input type="hidden" name={hidden.name} value={hidden.value} /> : null}
      {LOCAL_NAME_LOCALES.map((lng) => {
        const name = row.fieldName(lng);
        return (
          <TextField
            key={lng}
            name={name}
            label={autonyms[lng]}
            lang={lng}
            maxLength={LOCAL_NAME_MAX}
            defaultValue={values ? (values[name] ?? "") : (row.names[lng] ?? "")}
            error={errors?.[name]}
          />
        );
      })}
    </fieldset>
  );
}

export default function SchoolNames() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("classes");
  const values = failure?.values;
  const errors = failure?.fieldErrors;
  return (
    <>
      {data.saved !== null && !failure ? (
        <p className="notice" role="status">
          {data.saved ? t("localNames.saved", { n: data.saved }) : t("localNames.savedNone")}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="names-title">
        <p className="meta">{data.school.name}</p>
        <h1 id="names-title">{t("localNames.title")}</h1>
        <nav className="admin-nav" aria-label={t("rollout:adminNav")}>
          <a href="/school/classes">{t("listTitle")}</a>
          <a href="/audit">{t("audit:title")}</a>
        </nav>
        <p className="hint">{t("localNames.intro")}</p>
        <FormAlert problem={failure?.formError ?? (errors && Object.keys(errors).length ? { key: "classes:localNames.fixErrors" } : null)} />
        <Form method="post" noValidate className="names-form">
          <h2>{t("localNames.schoolTitle")}</h2>
          <NameRow row={{ legend: data.school.name, fieldName: fieldOf.school, names: data.school.names }} values={values} errors={errors} />
          <h2>{t("localNames.classesTitle")}</h2>
          {data.classes.length ? (
            data.classes.map((k) => <NameRow key={k.id} row={{ legend: k.name, fieldName: (lng) => fieldOf.klass(k.id, lng), names: k.names }} values={values} errors={errors} />)
          ) : (
            <p>{t("none")}</p>
          )}
          <h2>{t("localNames.subjectsTitle")}</h2>
          {data.subjects.length ? (
            data.subjects.map((s, n) => (
              <NameRow
                key={s.name}
                row={{ legend: s.name, fieldName: (lng) => fieldOf.subject(n, lng), names: s.names }}
                values={values}
                errors={errors}
                hidden={{ name: fieldOf.subject(n, "name"), value: s.name }}
              />
            ))
          ) : (
            <p>{t("localNames.noSubjects")}</p>
          )}
          <button type="submit" className="primary">
            {t("localNames.save")}
          </button>
        </Form>
      </section>
    </>
  );
}
