import { useTranslation } from "react-i18next";
import type { QueueStatus } from "~/domain/grading/grading.server";

export type GradeStatusKey = QueueStatus;

/**
 * Where a student stands, as a coloured tag that always carries its word (never colour alone): the
 * words of work-states.server (common:work.state.*), the same on every page; a pupil who cannot hand
 * in also says why.
 */
export function GradeStatusTag({ status, reason }: { status: GradeStatusKey; reason?: string | null }) {
  const { t } = useTranslation("common");
  return (
    <span className={`tag grade-status status-${status}`}>
      {t(`work.state.${status}`)}
      {reason ? <span className="reason"> · {t(`work.reason.${reason}`)}</span> : null}
    </span>
  );
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
