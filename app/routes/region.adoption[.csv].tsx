// The region's adoption by school as CSV: UTF-8 with a BOM (so Excel shows Chinese, Tibetan and Yi
// right), headers in the reader's language, numbers unformatted for sums.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, MEASURES } from "~/components/AdoptionCsv";
import { ADOPTION_ROLES, regionAdoption } from "~/domain/rollout/adoption.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { orResourceErrorPage, requireActor } from "~/lib/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const view = await orResourceErrorPage(request, async () => regionAdoption(actor, { regionId: new URL(request.url).searchParams.get("region") }));
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng, "adoption");
  const roles = [...ADOPTION_ROLES, "all"] as const;
  const roleName = (r: (typeof roles)[number]) => (r === "all" ? t("total") : t(`common:roles.${r}`));
  const header = [t("region"), t("school"), t("stage"), t("phase"), t("effectivePhase"), ...roles.flatMap((r) => MEASURES.map((m) => t("csv.column", { role: roleName(r), measure: t(m) })))];
  const rows = view.schools.map((s) => [s.regionName, s.name, t(`common:stages.${s.stage}`), s.phase, s.effectivePhase, ...roles.flatMap((r) => MEASURES.map((m) => s.counts[r][m]))]);
  return csvResponse(header, rows, `${view.focus?.name ?? "all"}-${t("csv.fileName")}`, view.at);
}
