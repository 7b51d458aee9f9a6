import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, TextField } from "~/components/FormBits";
import { createClass, currentSchoolYear, schoolClasses } from "~/domain/classwork/classes.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/school.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const title = await pageTitle(request, "classes:listTitle");
  return orErrorPage(async () => {
    const { school, gradeMax, classes } = await schoolClasses(actor);
    return {
      title,
      schoolName: school.name,
      gradeMax,
      year: currentSchoolYear(),
      archived: new URL(request.url).searchParams.has("archived"),
      classes: classes.map((c) => ({ ...c, studentsText: formatNumber(c.students, lng), teachersText: formatNumber(c.teachers, lng) })),
    };
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  const values = { grade: field(form, "grade"), name: field(form, "name"), year: field(form, "year") };
  try {
    const klass = await createClass(actor, values);
    return redirect(`/school/classes/${klass.id}?done=created`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function SchoolClasses() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("classes");
  return (
    <>
      {data.archived ? (
        <p className="notice" role="status">
          {t("archivedNotice")}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="classes-title">
        <p className="meta">{data.schoolName}</p>
        <h1 id="classes-title">{t("listTitle")}</h1>
        <nav className="admin-nav" aria-label={t("rollout:adminNav")}>
          <a href="/school/rollout">{t("rollout:title")}</a>
          <a href="/school/names">{t("localNames.title")}</a>
          <a href="/audit">{t("audit:title")}</a>
        </nav>
        {data.classes.length === 0 ? (
          <p>{t("none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="stack-table">
              <caption>{t("listCaption")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("name")}</th>
                  <th scope="col">{t("grade")}</th>
                  <th scope="col">{t("year")}</th>
                  <th scope="col">{t("headTeacher")}</th>
                  <th scope="col">{t("teacherCount")}</th>
                  <th scope="col">{t("studentCount")}</th>
                </tr>
              </thead>
              <tbody>
                {data.classes.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/school/classes/${c.id}`}>{c.name}</Link>
                    </th>
                    <td data-label={t("grade")}>
                      <div>{t("gradeN", { grade: c.grade })}</div>
                    </td>
                    <td data-label={t("year")}>
                      <div>{t("yearSpan", { year: c.year, next: c.year + 1 })}</div>
                    </td>
                    <td data-label={t("headTeacher")}>
                      <div>{c.headTeacher ?? <span className="meta">{t("noHeadTeacher")}</span>}</div>
                    </td>
                    <td data-label={t("teacherCount")} className="num">
                      <div>{c.teachersText}</div>
                    </td>
                    <td data-label={t("studentCount")} className="num">
                      <div>{c.studentsText}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="panel" aria-labelledby="create-title">
        <h2 id="create-title">{t("createTitle")}</h2>
        <FormAlert problem={failure?.formError} />
        <Form method="post" noValidate className="school-form">
          <TextField
            name="grade"
            label={t("grade")}
            hint={t("gradeHint", { max: data.gradeMax })}
            type="number"
            inputMode="numeric"
            min={1}
            max={data.gradeMax}
            required
            defaultValue={failure?.values.grade}
            error={failure?.fieldErrors.grade}
          />
          <TextField name="name" label={t("name")} hint={t("nameHint")} required maxLength={40} defaultValue={failure?.values.name} error={failure?.fieldErrors.name} />
          {failure?.fieldErrors.name?.key === "classes:sameAsExisting" ? (
            <p>
              <a href={`/school/classes/${String(failure.fieldErrors.name.params?.classId)}`}>{t("openExisting", { name: failure.fieldErrors.name.params?.name })}</a>
            </p>
          ) : null}
          <TextField
            name="year"
            label={t("year")}
            hint={t("yearHint")}
            type="number"
            inputMode="numeric"
            required
            defaultValue={failure?.values.year ?? String(data.year)}
            error={failure?.fieldErrors.year}
          />
          <button type="submit" className="primary">
            {t("create")}
          </button>
        </Form>
      </section>
    </>
  );
}
