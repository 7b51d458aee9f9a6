import { useTranslation } from "react-i18next";

/**
 * What the space collects and shows, where it is stored, how long it is kept and how to correct or
 * delete it (PIPL art. 31): read before the parent decides.
 */
export function ConsentNotice({ retentionMonths }: { retentionMonths: number }) {
  const { t } = useTranslation("consent");
  const parts = [
    ["collectsTitle", "collects"],
    ["showsTitle", "shows"],
    ["storedTitle", "stored"],
    ["keptTitle", "kept"],
    ["correctTitle", "correct"],
  ] as const;
  return (
    <section className="panel consent-notice" aria-labelledby="notice-title">
      <h2 id="notice-title">{t("notice.title")}</h2>
      <p>{t("notice.intro")}</p>
      <dl className="consent-facts">
        {parts.map(([title, body]) => (
          <div key={title}>
            <dt>{t(`notice.${title}`)}</dt>
            <dd>{t(`notice.${body}`, { months: retentionMonths })}</dd>
          </div>
        ))}
      </dl>
      <p className="hint">{t("notice.workKept")}</p>
    </section>
  );
}

export type ConsentHistoryRow = { id: string; decision: "given" | "refused" | "withdrawn"; method: "paper" | "online"; guardianName: string; date: string };

/** Every decision on record for the child, newest first, paper and online alike. */
export function ConsentHistory({ rows }: { rows: ConsentHistoryRow[] }) {
  const { t } = useTranslation("consent");
  return (
    <section className="panel" aria-labelledby="history-title">
      <h2 id="history-title">{t("history.title")}</h2>
      {rows.length === 0 ? (
        <p>{t("history.none")}</p>
      ) : (
        <div className="table-wrap">
          <table className="consent-history">
            <thead>
              <tr>
                <th scope="col">{t("history.date")}</th>
                <th scope="col">{t("history.decision")}</th>
                <th scope="col">{t("history.method")}</th>
                <th scope="col">{t("history.guardian")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{r.date}</td>
                  <td>
                    <span className={`tag consent-${r.decision}`}>{t(`decision.${r.decision}`)}</span>
                  </td>
                  <td>{t(`method.${r.method}`)}</td>
                  <td>{r.guardianName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
