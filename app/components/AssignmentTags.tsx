import { useTranslation } from "react-i18next";

/** The assignment's state as a coloured tag (draft / scheduled / open / closed). */
export function StateTag({ state }: { state: "draft" | "scheduled" | "open" | "closed" }) {
  const { t } = useTranslation("assignments");
  return <span className={`tag st-${state}`}>{t(`state.${state}`)}</span>;
}

/** Where a student stands on an assignment (todo / submitted / late / returned), and "overdue". */
export function StatusTag({ status, overdue }: { status: "todo" | "submitted" | "late" | "returned"; overdue?: boolean }) {
  const { t } = useTranslation("assignments");
  return (
    <>
      <span className={`tag st-${status}`}>{t(`status.${status}`)}</span>
      {overdue ? <span className="tag st-overdue">{t("overdue")}</span> : null}
    </>
  );
}
