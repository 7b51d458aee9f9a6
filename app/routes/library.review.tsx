import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { reviewQueue } from "~/domain/library/reviews.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { formatDateTime } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import spaceCss from "~/styles/class-space.css?url";
import cssUrl from "~/styles/library.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: spaceCss }, { rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const queue = await orErrorPage(async () => reviewQueue(actor));
  return { title: await pageTitle(request, "library:queueTitle"), libraries: queue.libraries, pending: queue.pending.map((p) => ({ ...p, time: formatDateTime(p.offeredAt, lng) })) };
}

/** A reviewer's queue: what waits in the libraries they review, oldest first. */
export default function ReviewQueue() {
  const { libraries, pending } = useLoaderData<typeof loader>();
  const { t } = useTranslation("library");
  return (
    <section className="panel" aria-labelledby="queue-title">
      <h1 id="queue-title">{t("queueTitle")}</h1>
      <p className="meta">{t("queueFor", { names: libraries.map((l) => t("libraryOf", { name: l.name })).join(" · ") })}</p>
      {pending.length === 0 ? <p>{t("queueEmpty")}</p> : null}
      <ul className="resource-list">
        {pending.map((p) => (
          <li key={p.listingId}>
            <h3>
              <a href={`/library/${p.resourceId}?version=${p.versionId}`} lang={p.lang ?? undefined}>
                {p.title}
              </a>
              {p.revision ? <span className="badge state-pending">{t("revision")}</span> : null}
              {p.recommendedFrom ? <span className="badge state-admitted">{t("recommendedBy", { name: p.recommendedFrom })}</span> : null}
            </h3>
            <p className="meta">
              {t("libraryOf", { name: p.regionName })} · {t(`subjects.${p.subject}`)} · {t(`common:stages.${p.stage}`)} · {t("version", { n: p.versionNumber })}
            </p>
            <p className="meta">
              {t("byline", { name: p.author, school: p.schoolName ?? "" })} · {p.time}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
