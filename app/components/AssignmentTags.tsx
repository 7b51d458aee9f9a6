import { useTranslation } from "react-i18next";
import type { WorkState } from "~/domain/classwork/work-states.server";

/** The assignment's state as a coloured tag (draft / scheduled / open / closed). */
export function StateTag({ state }: { state: "draft" | "scheduled" | "open" | "closed" }) {
  const { t } = useTranslation("assignments");
  return <span className={`tag st-${state}`}>{t(`state.${state}`)}</span>;
}

/**
 * Where a student stands on an assignment, in work-states.server's words (common:work.state.*), the
 * same as the teacher's queue and the parent's pages; missing work that is still taken says until when.
 */
export function StatusTag({ state, lateUntil }: { state: WorkState; lateUntil?: string | null }) {
  const { t } = useTranslation("common");
  return (
    <>
      <span className={`tag st-${state}`}>{t(`work.state.${state}`)}</span>
      {lateUntil ? <span className="late-open"> {t("work.lateOpen", { time: lateUntil })}</span> : null}
    </>
  );
}
