import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { resolveLocale } from "~/domain/locale.server";
import { listNotifications, markAllRead } from "~/domain/notifications.server";
import { notificationLinks } from "~/domain/follows.server";
import { formatDateTime } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = requireActor(request);
  const lng = resolveLocale(request, actor);
  const before = new URL(request.url).searchParams.get("before");
  const page = await orErrorPage(() => listNotifications(actor, before));
  const hrefs = notificationLinks(actor, page.rows);
  return {
    title: await pageTitle(request, "social:notificationsTitle"),
    first: before === null,
    nextCursor: page.nextCursor,
    unread: page.rows.some((r) => !r.read),
    rows: page.rows.map((r) => ({ id: r.id, kind: r.kind, actorName: r.actorName, actorHidden: r.actorHidden, read: r.read, href: hrefs.get(r.id) ?? null, at: formatDateTime(r.createdAt, lng) })),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = requireActor(request);
  await orErrorPage(() => markAllRead(actor));
  return redirect("/notifications");
}

/** The person's notifications, newest first; each row links to what it is about. */
export default function Notifications() {
  const { rows, nextCursor, first, unread } = useLoaderData<typeof loader>();
  const { t } = useTranslation("social");
  return (
    <section className="panel" aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t("notificationsTitle")}</h1>
      {unread ? (
        <Form method="post">
          <button type="submit">{t("markAllRead")}</button>
        </Form>
      ) : null}
      {rows.length ? (
        <ul className="entry-list notification-list">
          {rows.map((r) => {
            const text = t(`notification.${r.kind}`, { name: r.actorHidden ? t("aStudent") : (r.actorName ?? t("someone")) });
            return (
              <li key={r.id} className={r.read ? "read" : "unread"}>
                {r.read ? null : <span className="tag">{t("unread")}</span>} {r.href ? <Link to={r.href}>{text}</Link> : text}
                <br />
                <span className="meta">{r.at}</span>
              </li>
            );
          })}
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
