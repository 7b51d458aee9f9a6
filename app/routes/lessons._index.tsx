import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { myLessons } from "~/domain/classwork/lessons.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/class-space.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const lessons = await orErrorPage(async () => myLessons(actor));
  return {
    title: await pageTitle(request, "lessons:listTitle"),
    lessons: lessons.map((l) => ({ ...l, publications: l.publications.map((p) => ({ ...p, time: formatDateTime(p.publishAt, lng) })) })),
  };
}

/** A teacher's own lessons, with where each is published or scheduled. */
export default function MyLessons() {
  const { lessons } = useLoaderData<typeof loader>();
  const { t } = useTranslation("lessons");
  return (
    <section className="panel" aria-labelledby="lessons-title">
      <h1 id="lessons-title">{t("listTitle")}</h1>
      <p>
        <a href="/lessons/new">{t("newLesson")}</a>
      </p>
      {lessons.length === 0 ? <p>{t("empty")}</p> : null}
      <ul className="lesson-list">
        {lessons.map((l) => (
          <li key={l.id}>
            <a href={`/lessons/${l.id}`}>{l.title}</a>
            <p className="meta">
              {l.publications.length === 0 ? t("notPublished") : l.publications.map((p) => t(p.live ? "live" : "scheduled", { className: p.className, time: p.time })).join(" · ")}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
