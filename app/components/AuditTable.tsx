import { useTranslation } from "react-i18next";
import { auditSentence, personWord, type AuditEventView } from "~/lib/audit-sentences";

export type { AuditEventView } from "~/lib/audit-sentences";

/** A batch's people inside a closed <details>: the sentence says how many, the list who. */
function BatchList({ event }: { event: AuditEventView }) {
  const { t } = useTranslation("audit");
  if (!event.list?.length) return null;
  return (
    <details className="audit-list">
      <summary>{t("listSummary", { count: event.list.length })}</summary>
      <ul>
        {event.list.map((p, i) => (
          <li key={i}>{personWord(t, p)}</li>
        ))}
      </ul>
    </details>
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
            <th scope="col">{t("what")}</th>
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
              <td data-label={t("what")} className="audit-detail"><div>
                <p className="audit-sentence">{auditSentence(t, e)}</p>
                {e.schoolName && e.targetType !== "school" ? <span className="meta">{e.schoolName}</span> : null}
                <BatchList event={e} />
              </div></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
