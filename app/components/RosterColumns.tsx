import { useTranslation } from "react-i18next";

export type RosterColumnDoc = { field: string; need: "always" | "students" | "no" };

/** The roster's columns as the upload page documents them (the same list the parser accepts). */
export function RosterColumns({ columns, exampleLogin, exampleClass }: { columns: RosterColumnDoc[]; exampleLogin: string; exampleClass: string }) {
  const { t } = useTranslation("roster");
  return (
    <section className="panel" aria-labelledby="columns-title">
      <h2 id="columns-title">{t("columnsTitle")}</h2>
      <p>{t("columnsIntro")}</p>
      <div className="table-wrap">
        <table className="roster-columns">
          <thead>
            <tr>
              <th scope="col">{t("columnName")}</th>
              <th scope="col">{t("columnNeed")}</th>
              <th scope="col">{t("columnMeaning")}</th>
            </tr>
          </thead>
          <tbody>
            {columns.map((c) => (
              <tr key={c.field}>
                <th scope="row">
                  {t(`columns.${c.field}`)}
                  {c.need === "always" ? " *" : ""}
                </th>
                <td>{t(`required.${c.need}`)}</td>
                <td className="wrap">{t(`columnHelp.${c.field}`, { example: c.field === "loginName" ? exampleLogin : exampleClass })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
