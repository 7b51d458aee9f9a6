import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { FormAlert, SelectField, TextField } from "~/components/FormBits";
import { GuardianLinkList } from "~/components/GuardianLinkList";
import { Pager } from "~/components/Pager";
import { PupilSearch } from "~/components/PupilSearch";
import { archiveClass, assignTeacher, classDetail, moveStudent, removeTeacher } from "~/domain/classwork/classes.server";
import { parsePupilQuery } from "~/domain/people/pupils.server";
import { ValidationError } from "~/domain/foundation/errors.server";
import { guardiansOfClass, removeGuardianLink } from "~/domain/families/guardian-links.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDate, formatNumber } from "~/lib/format";
import { field, formFailure, orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/school.css?url";
import guardianLinksCss from "~/styles/guardian-links.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }, { rel: "stylesheet", href: guardianLinksCss }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

const INTENTS = ["assign", "remove", "move", "add", "archive"] as const;
type Intent = (typeof INTENTS)[number];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const title = await pageTitle(request, "classes:detailTitle");
  return orErrorPage(async () => {
    const url = new URL(request.url);
    const detail = await classDetail(actor, params.classId ?? "", parsePupilQuery(url.searchParams, { consent: "all" }));
    const done = url.searchParams.get("done");
    const page = detail.pupils;
    const guardians = await guardiansOfClass(actor, detail.klass.id);
    const { pupils: _page, ...shown } = detail;
    return {
      ...shown,
      guardians: Object.fromEntries(Object.entries(guardians).map(([id, list]) => [id, list.map((g) => ({ ...g, since: formatDate(g.linkedAt, lng) }))])),
      unlinked: new URL(request.url).searchParams.has("unlinked"),
      title: `${detail.klass.name} · ${title}`,
      archivedOn: detail.klass.archivedAt ? formatDate(detail.klass.archivedAt, lng) : null,
      pupilQuery: page.query,
      pager: {
        page: page.query.page,
        pageCount: page.pageCount,
        range: { first: formatNumber(page.first, lng), last: formatNumber(page.last, lng), total: formatNumber(page.total, lng), page: formatNumber(page.query.page, lng), pages: formatNumber(page.pageCount, lng) },
      },
      counts: { teachers: formatNumber(detail.teachers.length, lng), students: formatNumber(detail.studentCount, lng) },
      done: done && ["created", ...INTENTS].includes(done) ? done : null,
    };
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const classId = params.classId ?? "";
  const form = await request.formData();
  const intent = field(form, "intent") as Intent;
  if ((intent as string) === "unlink") {
    await orErrorPage(async () => removeGuardianLink(actor, field(form, "linkId")));
    return redirect(`/school/classes/${classId}?unlinked=1#students-title`);
  }
  const values = {
    intent,
    teacherId: field(form, "teacherId"),
    subject: field(form, "subject"),
    head: form.get("head") === "on",
    student: field(form, "student"),
    newStudent: field(form, "newStudent"),
    toClassId: field(form, "toClassId"),
  };
  try {
    switch (intent) {
      case "assign":
        await assignTeacher(actor, classId, { teacherId: values.teacherId, subject: values.subject, head: values.head });
        break;
      case "remove":
        await removeTeacher(actor, classId, values.teacherId);
        break;
      case "move":
        await moveStudent(actor, { student: values.student, toClassId: values.toClassId });
        break;
      case "add":
        await moveStudent(actor, { student: values.newStudent, toClassId: classId });
        break;
      case "archive":
        if (form.get("confirm") !== "on") throw new ValidationError({ confirm: { key: "classes:archiveConfirmRequired" } });
        await archiveClass(actor, classId);
        return redirect("/school/classes?archived=1");
      default:
        throw new ValidationError({}, "errors:invalidInput");
    }
    return redirect(`/school/classes/${classId}?done=${intent}`);
  } catch (error) {
    return formFailure(error, values);
  }
}

export default function SchoolClass() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("classes");
  const { klass } = data;
  const open = !klass.archivedAt;
  const listParams = { q: data.pupilQuery.q, consent: data.pupilQuery.consent };
  // Each form shows only its own errors: they share field names.
  const problems = (intent: Intent) => (failure?.values.intent === intent ? failure : undefined);
  const assign = problems("assign");
  const move = problems("move");
  const add = problems("add");
  const archive = problems("archive");
  return (
    <>
      {data.done ? (
        <p className="notice" role="status">
          {t(`done.${data.done}`)}
        </p>
      ) : null}
      {data.unlinked ? (
        <p className="notice" role="status">
          {t("guardianLinks:list.removed")}
        </p>
      ) : null}
      {data.archivedOn ? (
        <p className="notice" role="status">
          {t("archivedOn", { date: data.archivedOn })}
        </p>
      ) : null}
      <section className="panel" aria-labelledby="class-title">
        <p className="meta">
          <Link to="/school/classes">{t("backToList")}</Link>
        </p>
        <h1 id="class-title">{klass.name}</h1>
        <dl className="facts">
          <dt>{t("grade")}</dt>
          <dd>{t("gradeN", { grade: klass.grade })}</dd>
          <dt>{t("year")}</dt>
          <dd>{t("yearSpan", { year: klass.year, next: klass.year + 1 })}</dd>
          <dt>{t("teacherCount")}</dt>
          <dd>{data.counts.teachers}</dd>
          <dt>{t("studentCount")}</dt>
          <dd>{data.counts.students}</dd>
        </dl>
        {failure?.formError && !failure.values.intent ? <FormAlert problem={failure.formError} /> : null}
      </section>

      <section className="panel" aria-labelledby="teachers-title">
        <h2 id="teachers-title">{t("teachers")}</h2>
        {data.teachers.length === 0 ? <p>{t("noTeachers")}</p> : null}
        <ul className="member-list">
          {data.teachers.map((m) => (
            <li key={m.userId}>
              <span>
                <strong>{m.realName}</strong>
                {m.isHeadTeacher ? <span className="tag">{t("headTeacher")}</span> : null}
                {m.subject ? <span className="tag subject">{m.subject}</span> : null}
                <br />
                <span className="meta">{m.loginName}</span>
              </span>
              {open ? (
                <Form method="post" className="inline">
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="teacherId" value={m.userId} />
                  <button type="submit" className="secondary" aria-label={t("removeTeacherNamed", { name: m.realName })}>
                    {t("removeTeacher")}
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {open ? (
          <Form method="post" noValidate className="school-form sub-form" aria-labelledby="assign-title">
            <h3 id="assign-title">{t("assignTitle")}</h3>
            <FormAlert problem={assign?.formError} />
            <input type="hidden" name="intent" value="assign" />
            <SelectField name="teacherId" label={t("teacher")} required defaultValue={assign?.values.teacherId ?? ""} error={assign?.fieldErrors.teacherId}>
              <option value="">{t("chooseTeacher")}</option>
              {data.schoolTeachers.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.realName} ({x.loginName})
                </option>
              ))}
            </SelectField>
            <TextField name="subject" label={t("subject")} hint={t("subjectHint")} maxLength={30} defaultValue={assign?.values.subject} error={assign?.fieldErrors.subject} />
            <div className="check">
              <input id="f-head" type="checkbox" name="head" defaultChecked={assign?.values.head} />
              <label htmlFor="f-head">{t("makeHeadTeacher")}</label>
            </div>
            <p className="hint">{t("headTeacherHint")}</p>
            <button type="submit" className="primary">
              {t("assign")}
            </button>
          </Form>
        ) : null}
      </section>

      <section className="panel" aria-labelledby="students-title">
        <h2 id="students-title">{t("students")}</h2>
        {open ? (
          <p>
            <a href={`/classes/${klass.id}/link-codes`}>{t("guardianLinks:list.linkCodes")}</a>
          </p>
        ) : null}
        <PupilSearch action={`/school/classes/${klass.id}`} anchor="students-title" idPrefix="class-pupils" q={data.pupilQuery.q} consent={data.pupilQuery.consent} />
        {data.students.length > 0 ? <Pager path={`/school/classes/${klass.id}`} params={listParams} anchor="students-title" page={data.pager.page} pageCount={data.pager.pageCount} range={data.pager.range} /> : null}
        {data.students.length === 0 ? (
          <p>{data.pupilQuery.q || data.pupilQuery.consent !== "all" ? t("rollout:pupilList.empty") : t("noStudents")}</p>
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">{t("studentName")}</th>
                  <th scope="col">{t("loginName")}</th>
                  <th scope="col">{t("studentNumber")}</th>
                  <th scope="col">{t("guardianLinks:list.column")}</th>
                </tr>
              </thead>
              <tbody>
                {data.students.map((m) => (
                  <tr key={m.userId}>
                    <th scope="row">{m.realName}</th>
                    <td>{m.loginName}</td>
                    <td>{m.studentNumber ?? "—"}</td>
                    <td>
                      <GuardianLinkList guardians={data.guardians[m.userId] ?? []} removeIntent="unlink" />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {open && data.students.length > 0 && data.otherClasses.length > 0 ? (
          <Form method="post" noValidate className="school-form sub-form" aria-labelledby="move-title">
            <h3 id="move-title">{t("moveTitle")}</h3>
            <p className="hint">{t("moveHint")}</p>
            <FormAlert problem={move?.formError} />
            <input type="hidden" name="intent" value="move" />
            <SelectField name="student" label={t("student")} required defaultValue={move?.values.student ?? ""} error={move?.fieldErrors.student}>
              <option value="">{t("chooseStudent")}</option>
              {data.students.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.realName} ({m.loginName})
                </option>
              ))}
            </SelectField>
            <SelectField name="toClassId" label={t("toClass")} required defaultValue={move?.values.toClassId ?? ""} error={move?.fieldErrors.toClassId}>
              <option value="">{t("chooseClass")}</option>
              {data.otherClasses.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} · {t("yearSpan", { year: c.year, next: c.year + 1 })}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="primary">
              {t("move")}
            </button>
          </Form>
        ) : null}
        {open ? (
          <Form method="post" noValidate className="school-form sub-form" aria-labelledby="add-title">
            <h3 id="add-title">{t("addTitle")}</h3>
            <FormAlert problem={add?.formError ?? (add?.fieldErrors.toClassId ? { key: add.fieldErrors.toClassId.key } : null)} />
            <input type="hidden" name="intent" value="add" />
            <TextField
              name="newStudent"
              label={t("studentRef")}
              hint={t("studentRefHint")}
              autoCapitalize="none"
              spellCheck={false}
              required
              defaultValue={add?.values.newStudent}
              error={add?.fieldErrors.student}
            />
            <button type="submit" className="primary">
              {t("add")}
            </button>
          </Form>
        ) : null}
      </section>

      {open ? (
        <section className="panel" aria-labelledby="archive-title">
          <h2 id="archive-title">{t("archiveTitle")}</h2>
          <p className="hint">{t("archiveHint")}</p>
          <FormAlert problem={archive?.formError} />
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="archive" />
            <div className={archive?.fieldErrors.confirm ? "field has-error" : "field"}>
              <div className="check">
                <input id="f-confirm" type="checkbox" name="confirm" aria-describedby={archive?.fieldErrors.confirm ? "f-confirm-error" : undefined} />
                <label htmlFor="f-confirm">{t("archiveConfirm", { name: klass.name })}</label>
              </div>
              {archive?.fieldErrors.confirm ? (
                <p className="error" id="f-confirm-error">
                  {t(archive.fieldErrors.confirm.key)}
                </p>
              ) : null}
            </div>
            <button type="submit" className="primary danger">
              {t("archive")}
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
