import { useTranslation } from "react-i18next";
import type { TaskStatus } from "~/domain/group-work/group-tasks.server";

/** A task's status as a coloured tag: open, handed in, late, past due. */
export function GroupTaskStatus({ status }: { status: TaskStatus }) {
  const { t } = useTranslation("groupTasks");
  return <span className={`tag gt-${status}`}>{t(`status.${status}`)}</span>;
}
