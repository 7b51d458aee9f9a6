import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdoptionTable } from "~/components/AdoptionTable";
import { BarChart } from "~/components/BarChart";
import { ADOPTION_ROLES, schoolAdoption, type AdoptionCounts } from "~/domain/rollout/adoption.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/region.css?url";

export const links = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const asked = new URL(request.url).searchParams.get("school");
  const view = await orErrorPage(async () => schoolAdoption(actor, { schoolId: asked }));
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng, "common");
  const n = (x: number) => formatNumber(x, lng);
  const numbers = (c: AdoptionCounts) => ({ provisioned: n(c.provisioned), activated: n(c.activated), active7: n(c.active7) });
  const { school } = view;
  return {
    title: await pageTitle(request, "adoption:schoolTitle"),
    school: { name: school.name, stage: school.stage, phase: school.phase, ceiling: school.ceiling, effectivePhase: school.effectivePhase },
    regionPath: view.regionPath,
    at: formatDateTime(view.at, lng),
    csvHref: `/school/adoption.csv${asked ? `?school=${encodeURIComponent(asked)}` : ""}`,
    fromRegion: Boolean(asked) && actor.activeRole !== "school_admin",
    byRole: ADOPTION_ROLES.map((r) => ({ key: r, counts: numbers(school.counts[r]) })),
    total: numbers(school.counts.all),
    chart: ADOPTION_ROLES.map((r) => {
      const c = school.counts[r];
      return { label: t(`roles.${r}`), values: [c.provisioned, c.activated, c.active7], texts: [n(c.provisioned), n(c.activated), n(c.active7)] };
    }),
  };
}

export default function SchoolAdoption() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("adoption");
  const series = (["provisioned", "activated", "active7"] as const).map((k) => ({ key: k, label: t(k) }));
  const phaseName = (p: number) => t(`common:phases.${p}`);
  return (
    <div className="adoption">
      <section className="panel" aria-labelledby="adoption-title">
        <h1 id="adoption-title">
          {t("schoolTitle")} · {data.school.name}
        </h1>
        <p className="meta">{data.regionPath.join(" › ")}</p>
        <dl className="facts">
          <dt>{t("stage")}</dt>
          <dd>{t(`common:stages.${data.school.stage}`)}</dd>
          <dt>{t("phase")}</dt>
          <dd>{phaseName(data.school.phase)}</dd>
          <dt>{t("effectivePhase")}</dt>
          <dd>{phaseName(data.school.effectivePhase)}</dd>
        </dl>
        <p className="meta">{t("asOf", { at: data.at })}</p>
        <p className="hint">{t("intro")}</p>
        <p className="actions">
          <a href={data.csvHref} download>
            {t("downloadCsv")}
          </a>
          {data.fromRegion ? <a href="/region/adoption">{t("regionTitle")}</a> : null}
        </p>
      </section>
      <section className="panel" aria-labelledby="by-role-title">
        <h2 id="by-role-title">{t("byRole")}</h2>
        <div className="chart-pair">
          <BarChart id="chart-roles" title={t("byRole")} desc={t("chartDesc", { what: t("byRole") })} series={series} groups={data.chart} />
          <AdoptionTable
            caption={t("byRole")}
            labelHeading={t("role")}
            rows={data.byRole.map((r) => ({ key: r.key, label: t(`common:roles.${r.key}`), ...r.counts }))}
            total={{ key: "all", label: t("all"), ...data.total }}
          />
        </div>
        <p className="hint">{t("ceilingNote")}</p>
      </section>
    </div>
  );
}
