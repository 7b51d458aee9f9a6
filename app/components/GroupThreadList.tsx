import { useTranslation } from "react-i18next";

/** A thread as the list shows it: numbers and times already formatted on the server. */
export type ThreadListItem = {
  id: string;
  title: string;
  titleLang: "bo" | "ii" | null;
  authorName: string;
  replies: string;
  lastPost: string;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  isTask: boolean;
  /** Open reports, formatted (moderators only), or null. */
  openReports: string | null;
};

/** The group's threads: pinned first, then by the last post (the domain's order). */
export function GroupThreadList({ groupId, threads }: { groupId: string; threads: ThreadListItem[] }) {
  const { t } = useTranslation("groupThreads");
  if (!threads.length) return <p>{t("list.empty")}</p>;
  return (
    <ul className="thread-list">
      {threads.map((thread) => (
        <li key={thread.id} className={thread.pinned ? "pinned" : undefined}>
          <p className="thread-title">
            {thread.pinned ? <span className="tag">{t("list.pinned")}</span> : null}
            {thread.locked ? <span className="tag tag-muted">{t("list.locked")}</span> : null}
            {thread.hidden ? <span className="tag tag-warn">{t("list.hidden")}</span> : null}
            {thread.isTask ? <span className="tag">{t("list.task")}</span> : null}
            <a href={`/groups/${groupId}/threads/${thread.id}`} lang={thread.titleLang ?? undefined}>
              {thread.title}
            </a>
          </p>
          <p className="meta">
            {t("list.startedBy", { name: thread.authorName })} · {t("list.replies", { n: thread.replies })} · {t("list.lastPost", { time: thread.lastPost })}
            {thread.openReports ? <span className="tag tag-warn">{t("list.openReports", { n: thread.openReports })}</span> : null}
          </p>
        </li>
      ))}
    </ul>
  );
}
