import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { GroupThreadList } from "~/components/GroupThreadList";
import { threadList } from "~/domain/groups/group-threads.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/group-threads.css?url";

// The group's discussion tab: a read page (no hydration). A non-member's refusal shows in the
// layout's place for the tab, under the group's head and its join button.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const groupId = params.id ?? "";
  const list = await orErrorPage(async () => threadList(actor, groupId));
  return {
    title: await pageTitle(request, "groupThreads:list.title"),
    groupId,
    mayModerate: list.mayModerate,
    openReports: list.openReports ? formatNumber(list.openReports, lng) : null,
    threads: list.threads.map((t) => ({
      id: t.id,
      title: t.title,
      titleLang: t.titleLang,
      authorName: t.authorName,
      replies: formatNumber(t.replies, lng),
      lastPost: formatDateTime(t.lastPostAt, lng),
      pinned: t.pinned,
      locked: t.locked,
      hidden: t.hidden,
      isTask: t.taskId !== null,
      openReports: t.openReports ? formatNumber(t.openReports, lng) : null,
    })),
  };
}

export default function GroupDiscussion() {
  const { groupId, threads, openReports } = useLoaderData<typeof loader>();
  const { t } = useTranslation("groupThreads");
  return (
    <section className="panel group-threads" aria-labelledby="threads-title">
      <div className="threads-head">
        <h2 id="threads-title">{t("list.title")}</h2>
        <a className="button primary" href={`/groups/${groupId}/threads/new`}>
          {t("list.newThread")}
        </a>
      </div>
      {openReports ? <p className="notice">{t("list.openReports", { n: openReports })}</p> : null}
      <GroupThreadList groupId={groupId} threads={threads} />
    </section>
  );
}
