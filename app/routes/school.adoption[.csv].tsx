// One school's adoption by role as CSV, for the school admin (or a region admin naming the school).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { csvResponse, MEASURES } from "~/components/AdoptionCsv";
import { ADOPTION_ROLES, schoolAdoption } from "~/domain/rollout/adoption.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { orResourceErrorPage, requireActor } from "~/lib/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const view = await orResourceErrorPage(request, async () => schoolAdoption(actor, { schoolId: new URL(request.url).searchParams.get("school") }));
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng, "adoption");
  const { school } = view;
  const header = [t("school"), t("role"), ...MEASURES.map((m) => t(m)), t("phase"), t("effectivePhase")];
  const rows = [...ADOPTION_ROLES, "all" as const].map((r) => [
    school.name,
    r === "all" ? t("total") : t(`common:roles.${r}`),
    ...MEASURES.map((m) => school.counts[r][m]),
    school.phase,
    school.effectivePhase,
  ]);
  return csvResponse(header, rows, `${school.name}-${t("csv.fileName")}`, view.at);
}
