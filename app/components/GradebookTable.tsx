import { useTranslation } from "react-i18next";
import { GradeStatusTag, type GradeStatusKey } from "./GradeStatus";

export type GradebookTableProps = {
  className: string;
  assignments: { id: string; title: string; points: number; dueText: string; averageText: string | null }[];
  /** Pupils who cannot hand in (notExpected: why) come last, under their own heading row. */
  students: { id: string; realName: string; notExpected: string | null; averageText: string | null; cells: { status: GradeStatusKey; scoreText: string | null }[] }[];
};

/**
 * Students × assignments. The first column stays in view while the table scrolls sideways (a phone
 * shows two or three assignments at a time). A cell shows the score, or the status word when there is
 * none; a draft score says "draft" in words, so the colours are never the only sign.
 */
export function GradebookTable({ className, assignments, students }: GradebookTableProps) {
  const { t } = useTranslation("grading");
  const apart = students.filter((s) => s.notExpected !== null).length;
  const firstApart = students.findIndex((s) => s.notExpected !== null);
  return (
    <div className="table-wrap gradebook-wrap">
      <table className="gradebook">
        <caption>{t("gradebookCaption", { className })}</caption>
        <thead>
          <tr>
            <th scope="col" className="sticky">
              {t("col.student")}
            </th>
            {assignments.map((a) => (
              <th scope="col" key={a.id} className="assignment-col">
                <a href={`/assignments/${a.id}/grading`}>{a.title}</a>
                <span className="meta">{t("outOf", { points: a.points })}</span>
              </th>
            ))}
            <th scope="col" className="num">
              {t("col.average")}
            </th>
          </tr>
        </thead>
        <tbody>
          {students.map((s, row) => [
            row === firstApart ? (
              <tr key="not-expected" className="not-expected-head">
                <th scope="rowgroup" colSpan={assignments.length + 2} className="sticky">
                  {t("common:work.notExpectedTitle", { count: apart })}
                </th>
              </tr>
            ) : null,
            <tr key={s.id}>
              <th scope="row" className="sticky">
                {s.realName}
                {s.notExpected ? <span className="reason">{t(`common:work.reason.${s.notExpected}`)}</span> : null}
              </th>
              {s.cells.map((c, i) => (
                <td key={assignments[i]!.id} className={`cell status-${c.status}`}>
                  {c.scoreText !== null ? (
                    <>
                      <span className="score">{c.scoreText}</span>
                      {c.status === "draft" ? <span className="draft-mark">{t("draftMark")}</span> : null}
                    </>
                  ) : (
                    <GradeStatusTag status={c.status} />
                  )}
                </td>
              ))}
              <td className="num">{s.averageText === null ? t("notHandedIn") : t("averagePercent", { value: s.averageText })}</td>
            </tr>,
          ])}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row" className="sticky">
              {t("averageRow")}
            </th>
            {assignments.map((a) => (
              <td key={a.id} className="num">
                {a.averageText === null ? t("notHandedIn") : t("averageScore", { value: a.averageText, points: a.points })}
              </td>
            ))}
            <td />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
