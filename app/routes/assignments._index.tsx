import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { StateTag, StatusTag } from "~/components/AssignmentTags";
import { teacherAssignments, todoList, type AssignmentCard } from "~/domain/classwork/assignments.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { localName } from "~/lib/local-names";
import type { Lng } from "~/i18n";
import { formatDateTime, formatList, formatNumber } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/assignments.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** How long is left until `due`, in the largest whole unit (a locale key and its number). */
function timeLeft(due: Date, now: number, lng: Lng): { key: string; n: string } | null {
  const ms = due.getTime() - now;
  if (ms <= 0) return null;
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes >= 24 * 60) return { key: "left.days", n: formatNumber(Math.floor(minutes / (24 * 60)), lng) };
  if (minutes >= 60) return { key: "left.hours", n: formatNumber(Math.floor(minutes / 60), lng) };
  return { key: "left.minutes", n: formatNumber(minutes, lng) };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const now = Date.now();
  const shown = (a: AssignmentCard) => ({
    id: a.id,
    title: a.title,
    state: a.state,
    points: formatNumber(a.points, lng),
    classes: formatList(
      a.classes.map((k) => localName(k, lng)),
      lng,
    ),
    due: formatDateTime(a.dueAt, lng),
    opens: formatDateTime(a.openAt, lng),
    left: a.state === "open" ? timeLeft(a.dueAt, now, lng) : null,
  });
  if (actor.activeRole === "student") {
    const { todo, done } = await orErrorPage(async () => todoList(actor, now));
    const withStatus = (a: (typeof todo)[number]) => ({ ...shown(a), work: a.work, lateUntil: a.lateOpen ? formatDateTime(a.closeAt, lng) : null });
    return { title: await pageTitle(request, "assignments:todoTitle"), view: "student" as const, todo: todo.map(withStatus), done: done.map(withStatus), teacher: [] };
  }
  const mine = await orErrorPage(async () => teacherAssignments(actor, now));
  return {
    title: await pageTitle(request, "assignments:title"),
    view: "teacher" as const,
    todo: [],
    done: [],
    teacher: mine.map((a) => ({ ...shown(a), mine: a.mine, handedIn: formatNumber(a.handedIn, lng), toGrade: a.toGrade, toGradeText: formatNumber(a.toGrade, lng) })),
  };
}

/** A teacher's assignments (state, classes, handed-in and to-grade counts), or a student's to-do list. */
export default function Assignments() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("assignments");
  if (data.view === "student") {
    return (
      <>
        <section className="panel" aria-labelledby="todo-title">
          <h1 id="todo-title">{t("todoTitle")}</h1>
          <h2>{t("todoHeading")}</h2>
          {data.todo.length === 0 ? <p>{t("todoEmpty")}</p> : null}
          <ul className="assignment-list todo-list">
            {data.todo.map((a) => (
              <li key={a.id}>
                <p className="title-line">
                  <a href={`/assignments/${a.id}`}>{a.title}</a>
                  <StatusTag state={a.work} lateUntil={a.lateUntil} />
                </p>
                <p>
                  {t("due", { time: a.due })}
                  {a.left ? <span className="left"> · {t(a.left.key, { n: a.left.n })}</span> : null}
                </p>
                <p className="meta">{t("classes", { names: a.classes })}</p>
              </li>
            ))}
          </ul>
        </section>
        <section className="panel" aria-labelledby="done-title">
          <h2 id="done-title">{t("doneHeading")}</h2>
          {data.done.length === 0 ? <p>{t("doneEmpty")}</p> : null}
          <ul className="assignment-list done-list">
            {data.done.map((a) => (
              <li key={a.id}>
                <p className="title-line">
                  <a href={`/assignments/${a.id}`}>{a.title}</a>
                  <StatusTag state={a.work} lateUntil={a.lateUntil} />
                  {a.state === "closed" ? <StateTag state={a.state} /> : null}
                </p>
                <p className="meta">
                  {t("due", { time: a.due })} · {t("classes", { names: a.classes })}
                </p>
              </li>
            ))}
          </ul>
        </section>
      </>
    );
  }
  return (
    <section className="panel" aria-labelledby="assignments-title">
      <h1 id="assignments-title">{t("title")}</h1>
      <p>
        <a href="/assignments/new">{t("newAssignment")}</a>
      </p>
      {data.teacher.length === 0 ? <p>{t("empty")}</p> : null}
      <ul className="assignment-list">
        {data.teacher.map((a) => (
          <li key={a.id}>
            <p className="title-line">
              <a href={`/assignments/${a.id}`}>{a.title}</a>
              <StateTag state={a.state} />
              {a.mine ? null : <span className="tag">{t("byColleague")}</span>}
            </p>
            <p>
              {a.state === "scheduled" ? `${t("opens", { time: a.opens })} · ` : null}
              {t("due", { time: a.due })}
              {a.left ? <span className="left"> · {t(a.left.key, { n: a.left.n })}</span> : null}
            </p>
            <p className="meta">
              {t("classes", { names: a.classes })} · {t("handedIn", { n: a.handedIn })}
              {a.toGrade > 0 ? (
                <>
                  {" · "}
                  <a href={`/assignments/${a.id}/grading`}>{t("toGrade", { n: a.toGradeText })}</a>
                </>
              ) : null}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
