import { useTranslation } from "react-i18next";
import type { RosterRow } from "~/domain/rosters.server";

/** Every row with a problem: its row number, the column, and what is wrong, translated. */
export function RosterProblems({ rows }: { rows: RosterRow[] }) {
  const { t } = useTranslation("roster");
  return (
    <section className="panel" aria-labelledby="problems-title">
      <h2 id="problems-title">{t("preview.problemsTitle")}</h2>
      <div className="table-wrap">
        <table className="roster-problems">
          <caption>{t("preview.problemsCaption", { n: rows.length })}</caption>
          <thead>
            <tr>
              <th scope="col">{t("preview.row")}</th>
              <th scope="col">{t("columns.realName")}</th>
              <th scope="col">{t("preview.column")}</th>
              <th scope="col">{t("preview.problem")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.flatMap((row) =>
              row.problems.map((problem, i) => (
                <tr key={`${row.line}-${i}`}>
                  <td className="num">{row.line}</td>
                  <td>{row.realName}</td>
                  <td>{problem.column ? t(`columns.${problem.column}`) : t("preview.wholeRow")}</td>
                  <td className="wrap">{t(problem.key, problem.params)}</td>
                </tr>
              )),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The first rows that are fine, as they will be imported. */
export function RosterSample({ rows }: { rows: RosterRow[] }) {
  const { t } = useTranslation("roster");
  return (
    <section className="panel" aria-labelledby="sample-title">
      <h2 id="sample-title">{t("preview.sampleTitle")}</h2>
      <div className="table-wrap">
        <table className="roster-sample">
          <thead>
            <tr>
              <th scope="col">{t("preview.row")}</th>
              <th scope="col">{t("columns.realName")}</th>
              <th scope="col">{t("columns.role")}</th>
              <th scope="col">{t("columns.className")}</th>
              <th scope="col">{t("preview.login")}</th>
              <th scope="col">{t("preview.outcome")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.line}>
                <td className="num">{row.line}</td>
                <td>{row.realName}</td>
                <td>{row.role ? t(`values.${row.role}`) : ""}</td>
                <td>{row.className ?? ""}</td>
                <td translate="no">
                  {row.plannedLogin}
                  {row.outcome === "new" && !row.loginName ? <span className="meta"> {t("preview.generated")}</span> : null}
                </td>
                <td>{row.outcome ? t(`preview.${row.outcome}`) : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
