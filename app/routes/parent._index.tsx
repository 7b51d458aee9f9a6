import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { ConsentNeeded } from "~/components/ConsentNeeded";
import { ProgressCounts } from "~/components/ProgressCounts";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { progressOverview } from "~/domain/overviews/progress.server";
import { formatList, formatNumber } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/progress.css?url";

// A read page: no hydration.
export const links: LinksFunction = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const children = await orErrorPage(async () => progressOverview(actor, undefined, lng));
  const n = (x: number) => formatNumber(x, lng);
  return {
    title: await pageTitle(request, "progress:title"),
    children: children.map((c) => ({
      id: c.studentId,
      realName: c.realName,
      schoolName: c.schoolName,
      classList: formatList(c.classNames, lng),
      consentState: c.consentState,
      admitted: c.admitted,
      awaitsConsent: c.awaitsConsent,
      counts: c.counts
        ? [
            { key: "common:work.state.toDo", n: n(c.counts.toDo) },
            { key: "common:work.state.late", n: n(c.counts.late), alert: c.counts.late > 0 },
            { key: "common:work.state.missing", n: n(c.counts.missing), alert: c.counts.missing > 0 },
            { key: "counts.returnedThisWeek", n: n(c.counts.returnedThisWeek) },
          ]
        : null,
    })),
  };
}

/** Every child of the parent, each with a summary and the ways into their pages. */
export default function ParentHome() {
  const { children } = useLoaderData<typeof loader>();
  const { t } = useTranslation("progress");
  if (!children.length) {
    return (
      <section className="panel narrow" aria-labelledby="none-title">
        <h1 id="none-title">{t("noChildren.title")}</h1>
        <p>{t("noChildren.body")}</p>
        <p>
          <a href="/parent/join">{t("noChildren.join")}</a>
        </p>
      </section>
    );
  }
  return (
    <>
      <header className="panel">
        <h1>{t("title")}</h1>
      </header>
      {children.map((c) => (
        <section key={c.id} className="panel" aria-labelledby={`child-${c.id}`}>
          <h2 id={`child-${c.id}`}>{c.realName}</h2>
          <p className="meta">
            {c.schoolName}
            {c.classList ? ` · ${t("classes", { names: c.classList })}` : ""}
          </p>
          <p>
            {t("home:consent")}: <span className={`tag consent-${c.consentState}`}>{t(`home:consentStates.${c.consentState}`)}</span>
          </p>
          {!c.admitted ? (
            <p className="notice">{t("notAdmitted")}</p>
          ) : c.awaitsConsent ? (
            <ConsentNeeded childId={c.id} headingLevel={3} />
          ) : c.counts ? (
            <ProgressCounts counts={c.counts} />
          ) : null}
          <ul className="child-links">
            {c.admitted && !c.awaitsConsent ? (
              <li>
                <a href={`/parent/children/${c.id}`}>{t("links.progress")}</a>
              </li>
            ) : null}
            <li>
              <a href={`/parent/children/${c.id}/consent`}>{t("links.consent")}</a>
            </li>
            {c.admitted && !c.awaitsConsent ? (
              <li>
                <a href={`/parent/children/${c.id}/week`}>{t("links.week")}</a>
              </li>
            ) : null}
          </ul>
        </section>
      ))}
    </>
  );
}
