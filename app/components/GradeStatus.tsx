import { useTranslation } from "react-i18next";
import type { QueueStatus } from "~/domain/grading.server";

export type GradeStatusKey = QueueStatus | "notDue";

/** Where a student stands, as a coloured tag that always carries its word (never colour alone). */
export function GradeStatusTag({ status }: { status: GradeStatusKey }) {
  const { t } = useTranslation("grading");
  return <span className={`tag grade-status status-${status}`}>{t(`status.${status}`)}</span>;
}

/** Every status with its colour and word, for the reader of a colour-coded table. */
export function GradeStatusLegend({ statuses }: { statuses: readonly GradeStatusKey[] }) {
  const { t } = useTranslation("grading");
  return (
    <div className="grade-legend">
      <span className="meta">{t("legend")}</span>
      <ul>
        {statuses.map((s) => (
          <li key={s}>
            <GradeStatusTag status={s} />
          </li>
        ))}
      </ul>
    </div>
  );
}
