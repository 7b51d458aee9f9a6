import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { noticeSettingsOf, saveNoticeSettings } from "~/domain/notices/notifications.server";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return {
    title: await pageTitle(request, "social:noticeSettings.title"),
    saved: new URL(request.url).searchParams.has("saved"),
    settings: await orErrorPage(async () => noticeSettingsOf(actor)),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const actor = await requireActor(request);
  const form = await request.formData();
  await orErrorPage(async () => saveNoticeSettings(actor, form));
  return redirect("/notifications/settings?saved=1");
}

/** Per kind of notice: in the app (always), and whether it also goes into the daily digest. */
export default function NoticeSettings() {
  const { settings, saved } = useLoaderData<typeof loader>();
  const { t } = useTranslation("social");
  return (
    <section className="panel" aria-labelledby="notice-settings-title">
      {saved ? (
        <p className="notice" role="status">
          {t("noticeSettings.saved")}
        </p>
      ) : null}
      <p className="meta">
        <a href="/notifications">{t("notificationsTitle")}</a>
      </p>
      <h1 id="notice-settings-title">{t("noticeSettings.title")}</h1>
      <p className="hint">{t("noticeSettings.hint")}</p>
      {settings.length ? (
        <Form method="post">
          <ul className="entry-list notice-settings">
            {settings.map((s) => (
              <li key={s.kind}>
                <p className="entry-title">{t(`noticeKind.${s.kind}`)}</p>
                <p className="meta">{t("noticeSettings.inApp")}</p>
                <label className="check">
                  <input type="checkbox" name={`digest.${s.kind}`} defaultChecked={s.digest} /> {t("noticeSettings.digest")}
                </label>
              </li>
            ))}
          </ul>
          <button type="submit" className="primary">
            {t("noticeSettings.save")}
          </button>
        </Form>
      ) : (
        <p className="hint">{t("noticeSettings.none")}</p>
      )}
    </section>
  );
}
