import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { exportPortfolio } from "~/domain/portfolio/portfolio.server";
import { i18next } from "~/i18next.server";
import { formatDate } from "~/lib/format";
import { orResourceErrorPage, requireActor } from "~/lib/http.server";

/** The actor's own portfolio as a ZIP (a year, or all of it), streamed as it is built. */
export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const lng = await resolveLocale(request, actor);
  const raw = new URL(request.url).searchParams.get("year");
  const year = !raw || raw === "all" ? null : /^\d{4}$/.test(raw) ? Number(raw) : NaN;
  const t = await i18next.getFixedT(lng, "portfolio");
  const { fileName, body } = await orResourceErrorPage(request, async () =>
    exportPortfolio(actor, year, { lng, t: (key, params) => t(key, params ?? {}), formatDate: (d) => formatDate(new Date(`${d}T00:00:00+08:00`), lng) }),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(fileName)}`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
