import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GroupTaskStatus } from "~/components/GroupTaskStatus";
import { taskList } from "~/domain/group-work/group-tasks.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/group-tasks.css?url";

// A read page inside the group's layout: no hydration.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const groupId = params.id ?? "";
  const list = await orErrorPage(async () => taskList(actor, groupId));
  return {
    title: await pageTitle(request, "groupTasks:listTitle"),
    groupId,
    maySetTasks: list.maySetTasks,
    isStudyGroup: list.isStudyGroup,
    tasks: list.tasks.map((task) => ({ id: task.id, title: task.title, status: task.status, dueText: formatDateTime(task.dueAt, lng) })),
  };
}

export default function GroupTasks() {
  const { groupId, maySetTasks, isStudyGroup, tasks } = useLoaderData<typeof loader>();
  const { t } = useTranslation("groupTasks");
  return (
    <section className="panel" aria-labelledby="tasks-title">
      <div className="tasks-top">
        <h2 id="tasks-title">{t("listTitle")}</h2>
        {maySetTasks ? (
          <a className="button" href={`/groups/${groupId}/tasks/new`}>
            {t("newTask")}
          </a>
        ) : null}
      </div>
      {!isStudyGroup ? <p className="notice">{t("researchNote")}</p> : null}
      {tasks.length ? (
        <ul className="task-list">
          {tasks.map((task) => (
            <li key={task.id}>
              <p className="title-line">
                <a href={`/groups/${groupId}/tasks/${task.id}`}>{task.title}</a>
                <GroupTaskStatus status={task.status} />
              </p>
              <p className="meta">{t("due", { time: task.dueText })}</p>
            </li>
          ))}
        </ul>
      ) : isStudyGroup ? (
        <p className="hint">{t("none")}</p>
      ) : null}
    </section>
  );
}
