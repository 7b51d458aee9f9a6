import { useTranslation } from "react-i18next";

type RenamedLogin = { realName: string; className: string | null; loginName: string; activated: boolean };

/** For the school admin: who got a new login name (the old one held a student or ID number), to tell them. */
export function RenamedLogins({ people }: { people: RenamedLogin[] }) {
  const { t } = useTranslation("roster");
  if (!people.length) return null;
  return (
    <section className="panel" aria-labelledby="renamed-title">
      <h2 id="renamed-title">{t("renamed.title")}</h2>
      <p className="hint">{t("renamed.intro", { count: people.length })}</p>
      <div className="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t("columns.realName")}</th>
              <th scope="col">{t("columns.className")}</th>
              <th scope="col">{t("renamed.newLogin")}</th>
              <th scope="col">{t("renamed.state")}</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.loginName}>
                <td>{p.realName}</td>
                <td>{p.className ?? ""}</td>
                <td className="slip-login">{p.loginName}</td>
                <td>{t(p.activated ? "renamed.activated" : "renamed.waiting")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
