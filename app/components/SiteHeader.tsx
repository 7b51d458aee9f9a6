import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { autonyms, supportedLngs } from "~/i18n";

export type Viewer = {
  realName: string;
  handle: string;
  activeRole: string;
  roles: string[];
  schoolName: string | null;
  /** Unread notifications, shown as a count beside the link. */
  unread: number;
};

/** The header every page carries: who is signed in, in which role, the language switcher and sign-out. All plain forms, so it works before and without JavaScript. */
export function SiteHeader({ locale, path, viewer }: { locale: string; path: string; viewer: Viewer | null }) {
  const { t } = useTranslation("common");
  // On a phone: skip link, brand, notifications (or sign in) and the menu's summary are the only tab
  // stops before the content; language, role, account and sign-out fold into one <details> menu (no
  // JavaScript). On a wide screen the menu's content shows inline and its summary is hidden (app.css).
  return (
    <header className="site-header">
      <a className="skip" href="#main">
        {t("skipToContent")}
      </a>
      <div className="bar">
        <a className="brand" href="/">
          {t("appName")}
        </a>
      </div>
      <div className="bar tools-row">
        {viewer ? (
          <div className="who">
            <span className="name">{viewer.realName}</span>
            <span className="role">{t(`roles.${viewer.activeRole}`)}</span>
          </div>
        ) : null}
        {viewer ? (
          <a href="/notifications" className="notifications-link">
            {t("header.notifications")}
            {viewer.unread > 0 ? (
              <>
                {" "}
                <span className="count" aria-label={t("header.unread", { count: viewer.unread })}>
                  {viewer.unread > 99 ? "99+" : viewer.unread}
                </span>
              </>
            ) : null}
          </a>
        ) : (
          <a href="/login">{t("header.signIn")}</a>
        )}
        <details className="header-menu">
          <summary>
            {t("header.menu")} ·{" "}
            <span lang={locale} className="menu-lang">
              {autonyms[locale as keyof typeof autonyms] ?? locale}
            </span>
          </summary>
          <nav className="tools" aria-label={t("header.tools")}>
            {viewer && viewer.roles.length > 1 ? (
              <Form method="post" action="/role" className="inline">
                <input type="hidden" name="next" value="/" />
                <label>
                  <span className="label">{t("header.switchRole")}</span>
                  <select name="role" defaultValue={viewer.activeRole}>
                    {viewer.roles.map((role) => (
                      <option key={role} value={role}>
                        {t(`roles.${role}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit">{t("header.switch")}</button>
              </Form>
            ) : null}
            <Form method="post" action="/lang" className="inline lang-switcher" aria-label={t("header.language")}>
              <input type="hidden" name="next" value={path} />
              {supportedLngs.map((lng) => (
                <button key={lng} type="submit" name="lng" value={lng} lang={lng} aria-pressed={lng === locale}>
                  {autonyms[lng]}
                </button>
              ))}
            </Form>
            {viewer ? (
              <>
                <a href="/account">{t("header.account")}</a>
                <Form method="post" action="/logout" className="inline">
                  <button type="submit">{t("header.signOut")}</button>
                </Form>
              </>
            ) : null}
          </nav>
        </details>
      </div>
    </header>
  );
}
