import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Acknowledgers } from "~/components/Acknowledgers";
import { StateTag } from "~/components/AssignmentTags";
import { FormAlert, TextAreaField } from "~/components/FormBits";
import { uploadProgressLinks, UploadProgressScript } from "~/components/UploadProgress";
import { acknowledgersOf, type Acknowledger } from "~/domain/grading/acknowledgements.server";
import { deleteAnnouncement, postAnnouncement, requireAnnouncer, setAnnouncementPinned } from "~/domain/classwork/announcements.server";
import { classSpace } from "~/domain/overviews/class-space.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime, formatList, formatNumber } from "~/lib/format";
import { formFailure, orErrorPage, requireActor } from "~/lib/http.server";
import { i18next } from "~/i18next.server";
import spaceCss from "~/styles/space.css?url";
import cssUrl from "~/styles/class-space.css?url";
import assignmentsCss from "~/styles/assignments.css?url";

// A read page: no hydration. The announcement form is a plain multipart form (textarea + files).
export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }, { rel: "stylesheet", href: assignmentsCss }, ...uploadProgressLinks()];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const space = await orErrorPage(async () => classSpace(actor, params.id ?? "", undefined, lng));
  const t = await i18next.getFixedT(request);
  const kb = (size: number) => formatNumber(Math.max(1, Math.round(size / 1024)), lng);
  // 家长已阅: the class's teachers and the school's admins see which parents have read each announcement.
  const acks = space.standing === "student" ? new Map<string, Acknowledger[]>() : await acknowledgersOf(actor, space.klass.id, "announcement", space.announcements.map((a) => a.id));
  const readBy = (id: string) => formatList((acks.get(id) ?? []).map((a) => t("classSpace:acknowledger", { guardian: a.guardianName, student: a.studentName })), lng) || null;
  return {
    title: `${space.klass.name} · ${t("classSpace:title")} · ${t("common:appName")}`,
    space: {
      ...space,
      announcements: space.announcements.map((a) => ({ ...a, readBy: readBy(a.id), at: formatDateTime(a.createdAt, lng), files: a.files.map((f) => ({ ...f, sizeText: kb(f.size) })) })),
      lessons: space.lessons.map((l) => ({ ...l, at: formatDateTime(l.publishAt, lng) })),
      assignments: space.assignments.map((a) => ({ id: a.id, title: a.title, state: a.state, due: formatDateTime(a.dueAt, lng) })),
      recentPosts: space.recentPosts.map((p) => ({ ...p, atText: formatDateTime(p.at, lng) })),
    },
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const classId = params.id ?? "";
  // Only the class's teachers reach the upload: anyone else is refused before a byte is received.
  await orErrorPage(async () => requireAnnouncer(actor, classId));
  let body = "";
  try {
    const { fields, files } = await receiveUploadForm(actor, request, { accept: "any", maxFiles: 10 });
    const intent = fields.get("intent") ?? "";
    const announcementId = fields.get("announcementId") ?? "";
    body = fields.get("body") ?? "";
    const uploaded = (files.get("files") ?? []).map((f) => f.id);
    if (intent === "announce") await postAnnouncement(actor, classId, fields, uploaded);
    else if (intent === "pin" || intent === "unpin") await setAnnouncementPinned(actor, classId, announcementId, intent === "pin");
    else if (intent === "delete") await deleteAnnouncement(actor, classId, announcementId);
    return redirect(`/classes/${classId}#announcements`);
  } catch (error) {
    return formFailure(error, { body });
  }
}

type Person = { id: string; handle: string; realName: string; avatarUrl: string | null; isHeadTeacher: boolean; subject: string | null; canVisit: boolean };

function People({ people, headLabel }: { people: Person[]; headLabel: string }) {
  return (
    <ul className="people">
      {people.map((p) => (
        <li key={p.id}>
          {p.avatarUrl ? (
            <img className="face" src={p.avatarUrl} alt="" width={36} height={36} />
          ) : (
            <span className="face" aria-hidden="true">
              {[...p.realName][0]}
            </span>
          )}
          <span>
            {p.canVisit ? <a href={`/u/${p.handle}`}>{p.realName}</a> : p.realName}
            {p.isHeadTeacher ? <span className="tag">{headLabel}</span> : null}
            {p.subject ? <span className="meta"> {p.subject}</span> : null}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The class space: people, announcements, lessons, students' recent posts. */
export default function ClassSpacePage() {
  const { space } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const { t } = useTranslation("classSpace");
  const { klass } = space;
  return (
    <>
      <header className="panel class-head">
        <h1>{klass.name}</h1>
        <p className="meta">{klass.schoolName}</p>
        {space.standing === "admin" ? <p className="notice">{t("readOnly")}</p> : null}
        {klass.archived ? <p className="notice">{t("archived")}</p> : null}
      </header>
      <div className="class-layout">
        <div>
          <section className="panel" id="announcements" aria-labelledby="announcements-title">
            <h2 id="announcements-title">{t("announcements")}</h2>
            {space.mayAnnounce ? (
              <>
                <FormAlert problem={failure?.formError} />
                <form method="post" encType="multipart/form-data" data-upload-progress="" className="announce-form" noValidate>
                  <TextAreaField name="body" label={t("newAnnouncement")} rows={4} defaultValue={failure?.values.body ?? ""} error={failure?.fieldErrors.body} />
                  <div className="field">
                    <label htmlFor="f-files">{t("fieldFiles")}</label>
                    <input id="f-files" name="files" type="file" multiple />
                  </div>
                  <div className="field">
                    <label className="check">
                      <input type="checkbox" name="pinned" /> {t("fieldPinned")}
                    </label>
                  </div>
                  <button type="submit" name="intent" value="announce" className="primary">
                    {t("post")}
                  </button>
                </form>
                <UploadProgressScript />
              </>
            ) : null}
            {space.announcements.length === 0 ? <p>{t("noAnnouncements")}</p> : null}
            <ul className="stream">
              {space.announcements.map((a) => (
                <li key={a.id} className={a.pinned ? "pinned" : undefined}>
                  <p className="meta">
                    {a.pinned ? <span className="tag">{t("pinned")}</span> : null} {t("byline", { name: a.author.realName, time: a.at })}
                  </p>
                  {/* Sanitized on the server when saved (richtext.server's allowlist). */}
                  <div className="rich-text" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
                  {a.files.length ? (
                    <ul className="file-list" aria-label={t("files")}>
                      {a.files.map((f) => (
                        <li key={f.id}>
                          <a href={f.url}>{f.name}</a> <span className="meta">{t("lessons:sizeKb", { size: f.sizeText })}</span>
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  <Acknowledgers ns="classSpace" names={a.readBy} />
                  {space.mayAnnounce ? (
                    <div className="actions">
                      <Form method="post" encType="multipart/form-data">
                        <input type="hidden" name="announcementId" value={a.id} />
                        <button type="submit" name="intent" value={a.pinned ? "unpin" : "pin"} className="quiet">
                          {a.pinned ? t("unpin") : t("pin")}
                        </button>
                      </Form>
                      <Form method="post" encType="multipart/form-data">
                        <input type="hidden" name="announcementId" value={a.id} />
                        <button type="submit" name="intent" value="delete" className="quiet danger">
                          {t("delete")}
                        </button>
                      </Form>
                    </div>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" aria-labelledby="lessons-title">
            <h2 id="lessons-title">{t("lessons")}</h2>
            {space.mayWriteLessons ? (
              <p>
                <a href="/lessons/new">{t("writeLesson")}</a> · <a href="/lessons">{t("myLessons")}</a>
              </p>
            ) : null}
            {space.lessons.length === 0 ? <p>{t("noLessons")}</p> : null}
            <ul className="lesson-list">
              {space.lessons.map((l) => (
                <li key={l.id}>
                  <a href={`/lessons/${l.id}`}>{l.title}</a>
                  <span className="meta"> · {t("byline", { name: l.author, time: l.at })}</span>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" id="assignments" aria-labelledby="assignments-title">
            <h2 id="assignments-title">{t("assignments")}</h2>
            {space.maySetAssignments || space.mayReadGradebook ? (
              <p className="class-links">
                {space.maySetAssignments ? <a href={`/assignments/new?class=${encodeURIComponent(klass.id)}`}>{t("newAssignment")}</a> : null}
                {space.maySetAssignments && space.mayReadGradebook ? " · " : null}
                {space.mayReadGradebook ? <a href={`/classes/${klass.id}/gradebook`}>{t("gradebook")}</a> : null}
              </p>
            ) : null}
            {space.assignments.length === 0 ? <p>{t("noAssignments")}</p> : null}
            <ul className="assignment-list">
              {space.assignments.map((a) => (
                <li key={a.id}>
                  <p className="title-line">
                    <a href={`/assignments/${a.id}`}>{a.title}</a>
                    <StateTag state={a.state} />
                  </p>
                  <p className="meta">{t("assignmentDue", { time: a.due })}</p>
                </li>
              ))}
            </ul>
          </section>
          <section className="panel" aria-labelledby="posts-title">
            <h2 id="posts-title">{t("recentPosts")}</h2>
            {space.recentPosts.length === 0 ? <p>{t("noRecentPosts")}</p> : null}
            <ul className="lesson-list">
              {space.recentPosts.map((p) => (
                <li key={p.id}>
                  <a href={`/posts/${p.id}`}>{p.title}</a>
                  <span className="meta"> · {t("byline", { name: p.author.realName, time: p.atText })}</span>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <div>
          <section className="panel" aria-labelledby="teachers-title">
            <h2 id="teachers-title">{t("teachers")}</h2>
            <People people={space.teachers} headLabel={t("headTeacher")} />
          </section>
          <section className="panel" aria-labelledby="students-title">
            <h2 id="students-title">{t("students")}</h2>
            {space.standing !== "student" && !klass.archived ? (
              <p className="class-links">
                <a href={`/classes/${klass.id}/link-codes`}>{t("guardianLinks:list.linkCodes")}</a>
              </p>
            ) : null}
            <People people={space.students} headLabel={t("headTeacher")} />
          </section>
        </div>
      </div>
    </>
  );
}
