import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { noticeText } from "~/domain/overviews/notice-channels.server";
import { listNotifications, markAllRead } from "~/domain/notices/notifications.server";
import { i18next } from "~/i18next.server";
import { formatDateTime } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng);
  const before = new URL(request.url).searchParams.get("before");
  const page = await orErrorPage(async () => listNotifications(actor, before));
  return {
    title: await pageTitle(request, "social:notificationsTitle"),
    first: before === null,
    nextCursor: page.nextCursor,
    unread: page.rows.some((r) => !r.read),
    // Each notice opens through /notifications/<id>, which marks it read and goes on to what it is about.
    rows: page.rows.map((r) => ({ id: r.id, text: noticeText(r, t, lng), read: r.read, at: formatDateTime(r.createdAt, lng) })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  await orErrorPage(async () => markAllRead(actor));
  return redirect("/notifications");
}

/** The person's notifications, newest first; each row opens what it is about (and is then read). */
export default function Notifications() {
  const { rows, nextCursor, first, unread } = useLoaderData<typeof loader>();
  const { t } = useTranslation("social");
  return (
    <section className="panel" aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t("notificationsTitle")}</h1>
      <div className="notification-actions">
        {unread ? (
          <Form method="post">
            <button type="submit" className="secondary-button">
              {t("markAllRead")}
            </button>
          </Form>
        ) : null}
        <a href="/notifications/settings">{t("noticeSettings.link")}</a>
      </div>
      {rows.length ? (
        <ul className="entry-list notification-list">
          {rows.map((r) => (
            <li key={r.id} className={r.read ? "read" : "unread"}>
              {r.read ? null : <span className="tag">{t("unread")}</span>} <a href={`/notifications/${r.id}`}>{r.text}</a>
              <br />
              <span className="meta">{r.at}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="hint">{first ? t("noNotifications") : t("feedEnd")}</p>
      )}
      <nav className="pager" aria-label={t("pages")}>
        {!first ? <Link to="/notifications">{t("newest")}</Link> : null}
        {nextCursor ? <Link to={`/notifications?before=${nextCursor}`}>{t("older")}</Link> : null}
      </nav>
    </section>
  );
}
