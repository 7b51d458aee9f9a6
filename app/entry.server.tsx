import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { withoutNulBytes } from "~/lib/html-stream.server";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { isLng } from "~/i18n";
import { refreshAdoptionSnapshots } from "~/domain/rollout/adoption.server";
import { removeOutsideFollowsOfPupils } from "~/domain/overviews/follows.server";
import { sweepUploads } from "~/domain/uploads/files.server";
import { endMinorsCrossSchoolMemberships } from "~/domain/groups/group-members.server";
import { capGroupResultCopies } from "~/domain/portfolio/portfolio.server";
import { deleteExpiredSessions } from "~/domain/accounts/sessions.server";
import { deleteStaleThrottles } from "~/domain/accounts/throttle.server";
import { i18next, i18nInstance } from "~/i18next.server";
import { engineName } from "#db/client";

// npm run bench counts each request's statements through this (server/bench-routes.mjs).
export { watchStatements } from "#db/client";
import { sweepExpiredRosterPreviews } from "~/domain/provisioning/rosters.server";
import { NonceContext } from "~/lib/nonce";

const ABORT_DELAY = 5_000;

// Hourly housekeeping in each app server; harmless when several run it.
const housekeeping = async () => {
  await deleteExpiredSessions();
  await deleteStaleThrottles();
};
setInterval(() => void housekeeping().catch((error: unknown) => console.warn("sessions: housekeeping failed", error)), 3_600_000).unref();

// What a crash left in the uploads folder goes at start-up and daily after that.
const sweep = () => void sweepUploads().catch((error: unknown) => console.warn("files: upload sweep failed", error));
setInterval(sweep, 24 * 3_600_000).unref();

/**
 * Called by server.mjs in the one process that serves no pages (a cluster's primary; the server itself
 * when it runs alone): slow counts are refreshed there, so readers seldom wait for them.
 */
export function startBackgroundWork(): void {
  const refresh = () => void refreshAdoptionSnapshots().catch((error: unknown) => console.warn("adoption: refreshing kept counts failed", error));
  setInterval(refresh, 150_000).unref();
}

/**
 * Called by server.mjs once at start, after the migrations: rules applied to rows written before them.
 * (On SQLite server.mjs has swept abandoned roster previews before Remix loaded.)
 */
export async function afterMigrations(): Promise<void> {
  if (engineName === "postgres") await sweepExpiredRosterPreviews();
  await removeOutsideFollowsOfPupils();
  await endMinorsCrossSchoolMemberships();
  await capGroupResultCopies();
  sweep();
}

export default async function handleRequest(request: Request, status: number, headers: Headers, context: EntryContext, loadContext: AppLoadContext) {
  const nonce = loadContext.cspNonce;
  // The root loader already chose the language; only an error before it ran needs choosing again.
  const rootData = context.staticHandlerContext.loaderData["root"] as { locale?: string } | undefined;
  const lng = isLng(rootData?.locale) ? rootData.locale : await i18next.getLocale(request);
  const instance = i18nInstance(lng);

  return new Promise<Response>((resolve, reject) => {
    let failed = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <I18nextProvider i18n={instance}>
          <RemixServer context={context} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </I18nextProvider>
      </NonceContext.Provider>,
      {
        nonce,
        // Pages are small: wait for the whole document so the first byte carries a complete page.
        onAllReady() {
          // Whole: nothing left to abort (the timer would otherwise outlive the request).
          clearTimeout(abortLater);
          const body = withoutNulBytes();
          headers.set("Content-Type", "text/html; charset=utf-8");
          // Pages show the signed-in person's own data; shared computers and proxies must not keep them.
          // A page may ask to be kept (revalidated by ETag, server/etag.mjs) only as the answer to a GET.
          if (!headers.has("Cache-Control") || (request.method !== "GET" && request.method !== "HEAD")) headers.set("Cache-Control", "private, no-store");
          resolve(new Response(createReadableStreamFromReadable(body), { headers, status: failed ? 500 : status }));
          pipe(body);
        },
        onShellError: reject,
        onError(error) {
          failed = true;
          if (process.env.NODE_ENV !== "production") console.error(error);
        },
      },
    );
    // onAllReady, which clears it, runs later (React renders in a following task).
    const abortLater = setTimeout(abort, ABORT_DELAY);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  // Refusals and not-found pages are answers, not faults: only real errors are logged.
  if (request.signal.aborted || isRouteErrorResponse(error)) return;
  // Log the error, never request data: URLs and bodies may carry identity numbers.
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
}
