import { useTranslation } from "react-i18next";

/**
 * Shown once after someone signed in (or activated) with a login name that was retired because it held
 * an identity number: their new name, and a way on to where they were going.
 */
export function LoginRenamed({ loginName, next }: { loginName: string; next: string }) {
  const { t } = useTranslation("auth");
  return (
    <section className="panel narrow" aria-labelledby="renamed-title">
      <h1 id="renamed-title">{t("loginRenamedTitle")}</h1>
      <p role="status">{t("loginRenamed", { loginName })}</p>
      <p>
        <strong className="slip-login">{loginName}</strong>
      </p>
      <p>
        <a className="button primary" href={next}>
          {t("loginRenamedContinue")}
        </a>
      </p>
    </section>
  );
}
