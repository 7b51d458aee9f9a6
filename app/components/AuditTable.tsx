import { useTranslation } from "react-i18next";

export type AuditEventView = {
  id: string;
  /** Already formatted on the server (Beijing time, the reader's locale). */
  at: string;
  atIso: string;
  who: string | null;
  whoLogin: string | null;
  /** A pupil or parent shown to region and platform admins only as "a student" / "a parent". */
  whoAnonymous: "student" | "parent" | null;
  action: string;
  targetType: string;
  targetName: string | null;
  targetAnonymous: "student" | "parent" | null;
  schoolName: string | null;
  detail: Record<string, unknown> | null;
};

const text = (v: unknown) => (v === null || v === undefined || v === "" ? "—" : typeof v === "object" ? JSON.stringify(v) : String(v));

/** What changed, in words for the actions this area knows; other areas' details as plain facts. */
function AuditDetail({ action, detail }: { action: string; detail: Record<string, unknown> | null }) {
  const { t } = useTranslation("audit");
  if (!detail) return null;
  const phase = (p: unknown) => (typeof p === "number" ? t(`common:phases.${p}`) : "—");
  switch (action) {
    case "school.phase_change":
      return <>{t("detail.phaseChange", { from: phase(detail.from), to: phase(detail.to) })}</>;
    case "class.create":
    case "class.archive":
      return <>{t("detail.class", { name: text(detail.name), year: text(detail.year) })}</>;
    case "class.move_student":
      return <>{t("detail.moveStudent", { from: detail.fromClass ? text(detail.fromClass) : t("detail.noClass"), to: text(detail.toClass) })}</>;
    case "class.assign_teacher":
      return (
        <>
          {t("detail.assignTeacher", { teacher: text(detail.teacher), subject: detail.subject ? text(detail.subject) : t("detail.noSubject") })}
          {detail.head ? <span className="tag">{t("classes:headTeacher")}</span> : null}
        </>
      );
    case "class.remove_teacher":
      return <>{t("detail.removeTeacher", { teacher: text(detail.teacher) })}</>;
    case "grade.save":
    case "grade.return": {
      const grade = (g: unknown) => {
        const v = (g ?? {}) as { score?: unknown; state?: unknown };
        return `${typeof v.score === "number" ? v.score : "—"} (${t(`gradeStates.${text(v.state)}`, { defaultValue: text(v.state) })})`;
      };
      return <>{t("detail.grade", { assignment: text(detail.assignment), from: grade(detail.before), to: grade(detail.after) })}</>;
    }
    case "consent.record":
      return <>{t("detail.consent", { decision: t(`rollout:decisions.${text(detail.decision)}`, { defaultValue: text(detail.decision) }), guardian: text(detail.guardian), date: text(detail.signedOn) })}</>;
  }
  // Ids mean nothing to a reader and the target column already names the target.
  const facts = Object.entries(detail).filter(([k]) => !/Id$|^id$/.test(k));
  return (
    <ul className="audit-facts">
      {facts.map(([k, v]) => (
        <li key={k}>
          <span className="meta">{k}</span> {text(v)}
        </li>
      ))}
    </ul>
  );
}

export function AuditTable({ events }: { events: AuditEventView[] }) {
  const { t } = useTranslation("audit");
  return (
    <div className="table-wrap audit-wrap">
      <table className="audit-table stack-table">
        <thead>
          <tr>
            <th scope="col">{t("time")}</th>
            <th scope="col">{t("who")}</th>
            <th scope="col">{t("action")}</th>
            <th scope="col">{t("target")}</th>
            <th scope="col">{t("details")}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td data-label={t("time")}><div>
                <time dateTime={e.atIso}>{e.at}</time>
              </div></td>
              <td data-label={t("who")}><div>
                {e.whoAnonymous ? (
                  <span className="meta">{t(`anonymous.${e.whoAnonymous}`)}</span>
                ) : e.who ? (
                  <>
                    {e.who}
                    <br />
                    <span className="meta">{e.whoLogin}</span>
                  </>
                ) : (
                  <span className="meta">{t("system")}</span>
                )}
              </div></td>
              <td data-label={t("action")}><div>{t(`actions.${e.action}`, { defaultValue: e.action })}</div></td>
              <td data-label={t("target")}><div>
                {e.targetAnonymous ? t(`anonymous.${e.targetAnonymous}`) : (e.targetName ?? t(`targetTypes.${e.targetType}`, { defaultValue: e.targetType }))}
                {e.schoolName && e.targetType !== "school" ? (
                  <>
                    <br />
                    <span className="meta">{e.schoolName}</span>
                  </>
                ) : null}
              </div></td>
              <td data-label={t("details")} className="audit-detail"><div>
                <AuditDetail action={e.action} detail={e.detail} />
              </div></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
