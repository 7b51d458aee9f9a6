import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useMatches,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { SiteHeader } from "~/components/SiteHeader";
import { errorPageKeys } from "~/lib/error-page";
import { actorFromRequest } from "~/domain/accounts/sessions.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { deliverAssignmentNotices } from "~/domain/classwork/assignments.server";
import { deliverWeeklySummaries } from "~/domain/overviews/weekly-summary.server";
import { deliverMissingWorkNotices, unreadCount } from "~/domain/notices/notifications.server";
import { findSchool } from "~/domain/places/schools.server";
import { localName } from "~/lib/local-names";
import { MAX_UPLOAD_BYTES } from "~/domain/uploads/files.server";
import { i18next } from "~/i18next.server";
import type { Lng, RouteHandle } from "~/i18n";
import type { ErrorPageData } from "~/lib/http.server";
import { FormDraftsScript } from "~/components/FormDrafts";
import { useNonce } from "~/lib/nonce";
import stylesheet from "~/styles/app.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await actorFromRequest(request);
  const locale = await resolveLocale(request, actor);
  const url = new URL(request.url);
  const t = await i18next.getFixedT(locale, "common");
  // A student's "new assignment" and "due soon" notices are written when they become due (no scheduler).
  await deliverAssignmentNotices(actor);
  await deliverWeeklySummaries(actor); // a parent's "weekly summary" notice per child, once the week is over
  await deliverMissingWorkNotices(actor); // a parent's "missing work" notice, once the due/late-until time has passed
  return {
    locale,
    appName: t("appName"),
    path: url.pathname + url.search,
    // File inputs check a file against the server's own limit before sending it (FilesInput).
    maxUploadBytes: MAX_UPLOAD_BYTES,
    viewer: actor && {
      realName: actor.realName,
      handle: actor.handle,
      activeRole: actor.activeRole,
      roles: actor.roles.map((g) => g.role),
      schoolName: await schoolNameOf(actor.schoolId, locale),
      unread: await unreadCount(actor),
    },
  };
}

/** The viewer's school in the page's language, where the school gave its name in it. */
async function schoolNameOf(schoolId: string | null, lng: Lng): Promise<string | null> {
  const school = schoolId ? await findSchool(schoolId) : undefined;
  return school ? localName(school, lng) : null;
}

export type RootData = Awaited<ReturnType<typeof loader>>;

// Child routes set their own title; this one serves error pages and the fallback.
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.appName ?? "" }];

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const { i18n } = useTranslation();
  const handles = useMatches().map((m) => m.handle as RouteHandle | undefined);
  // An error page (e.g. "not yet open") needs no script, whatever page it stands in for.
  const errorPage = Boolean(useRouteError());
  const hydrate = !errorPage && handles.some((h) => h?.hydrate);
  // Read-only pages ship no script at all; browser drafts only where a long form is.
  const keepsDrafts = !errorPage && Boolean(data?.viewer) && handles.some((h) => h?.hydrate || h?.drafts);
  // The namespaces the browser must load before hydrating, so its first render matches the server's.
  const pageNamespaces = [...new Set(["common", "errors", ...handles.flatMap((h) => h?.i18n ?? [])])].join(",");
  const nonce = useNonce();
  const lng = data?.locale ?? i18n.language;
  return (
    <html lang={lng} dir="ltr">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        {hydrate ? <meta name="i18n-namespaces" content={pageNamespaces} /> : null}
        <Links />
      </head>
      <body>
        <SiteHeader locale={lng} path={data?.path ?? "/"} viewer={data?.viewer ?? null} />
        <main id="main">{children}</main>
        {keepsDrafts && data?.viewer ? <FormDraftsScript handle={data.viewer.handle} /> : null}
        {hydrate ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const { t, i18n } = useTranslation("errors");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const reason = isRouteErrorResponse(error) ? (error.data as Partial<ErrorPageData> | null) : null;
  const messageKey = typeof reason?.messageKey === "string" ? reason.messageKey : null;
  const { titleKey, bodyKey } = errorPageKeys(status, messageKey, (key) => i18n.exists(key));
  return (
    <section className="panel narrow" aria-labelledby="error-title">
      <h1 id="error-title">{t(titleKey)}</h1>
      <p>{t(bodyKey, reason?.params ?? {})}</p>
      <p>
        <a href="/">{t("backHome")}</a>
      </p>
    </section>
  );
}
