import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { AdoptionTable, type AdoptionRowView } from "~/components/AdoptionTable";
import { BarChart, type BarGroup } from "~/components/BarChart";
import { ADOPTION_ROLES, regionAdoption, type AdoptionCounts } from "~/domain/rollout/adoption.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { formatDateTime, formatNumber } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/region.css?url";

export const links = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

/** Past this many schools the per-school chart would be a wall of bars; the table (and CSV) remain. */
const CHART_LIMIT = 40;
/** Past this many the table too: a province's hundreds of schools are reached through its sub-regions (and the CSV). */
const LIST_LIMIT = 60;
const ROLE_CHOICES = ["all", ...ADOPTION_ROLES] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const view = await orErrorPage(async () => regionAdoption(actor, { regionId: url.searchParams.get("region") }));
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng, "adoption");
  const role = ROLE_CHOICES.find((r) => r === url.searchParams.get("role")) ?? "all";
  const n = (x: number) => formatNumber(x, lng);
  const numbers = (c: AdoptionCounts) => ({ provisioned: n(c.provisioned), activated: n(c.activated), active7: n(c.active7) });
  const group = (label: string, c: AdoptionCounts): BarGroup => ({ label, values: [c.provisioned, c.activated, c.active7], texts: [n(c.provisioned), n(c.activated), n(c.active7)] });
  const subRegions = [
    ...view.subRegions.map((r) => ({ id: r.id, name: r.name, counts: r.counts[role] })),
    ...(view.direct ? [{ id: null, name: t("directSchools"), counts: view.direct[role] }] : []),
  ];
  const focusName = view.focus?.name ?? t("total");
  const regionQuery = view.focus ? `region=${view.focus.id}` : "";
  return {
    title: await pageTitle(request, "adoption:regionTitle"),
    focusName,
    path: view.path,
    up: view.upId ? (view.path.find((r) => r.id === view.upId) ?? null) : null,
    at: formatDateTime(view.at, lng),
    role,
    focusId: view.focus?.id ?? null,
    csvHref: `/region/adoption.csv${regionQuery ? `?${regionQuery}` : ""}`,
    byRole: [...ADOPTION_ROLES.map((r) => ({ key: r, counts: numbers(view.totals[r]) })), { key: "all" as const, counts: numbers(view.totals.all) }],
    byRoleChart: ADOPTION_ROLES.map((r) => group(t(`common:roles.${r}`), view.totals[r])),
    subRegions: subRegions.map((r) => ({ id: r.id, name: r.name, counts: numbers(r.counts) })),
    subRegionChart: subRegions.map((r) => group(r.name, r.counts)),
    tooManyToList: view.schools.length > LIST_LIMIT ? view.schools.length : 0,
    schools: (view.schools.length > LIST_LIMIT ? [] : view.schools).map((s) => ({ id: s.id, name: s.name, regionName: s.regionName, phase: s.phase, effectivePhase: s.effectivePhase, counts: numbers(s.counts[role]) })),
    schoolChart: view.schools.length <= CHART_LIMIT ? view.schools.map((s) => group(s.name, s.counts[role])) : null,
    total: numbers(view.totals[role]),
  };
}

export default function RegionAdoption() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("adoption");
  const series = (["provisioned", "activated", "active7"] as const).map((k) => ({ key: k, label: t(k) }));
  const roleName = (r: string) => (r === "all" ? t("all") : t(`common:roles.${r}`));
  const phaseName = (p: number) => t(`common:phases.${p}`);
  const withRole = (what: string) => (data.role === "all" ? what : `${what} · ${roleName(data.role)}`);
  const totalRow = (label: string): AdoptionRowView => ({ key: "total", label, ...data.total });
  return (
    <div className="adoption">
      <section className="panel" aria-labelledby="adoption-title">
        <h1 id="adoption-title">
          {t("regionTitle")} · {data.focusName}
        </h1>
        {data.path.length > 1 ? (
          <nav aria-label={t("region")} className="crumbs">
            {data.path.map((r, i) => (
              <span key={r.id}>
                {i > 0 ? " › " : ""}
                {i < data.path.length - 1 ? <a href={`/region/adoption?region=${r.id}`}>{r.name}</a> : r.name}
              </span>
            ))}
          </nav>
        ) : null}
        <p className="meta">{t("asOf", { at: data.at })}</p>
        <p className="hint">{t("intro")}</p>
        <p className="actions">
          <a href={data.csvHref} download>
            {t("downloadCsv")}
          </a>
          {data.up ? <a href={`/region/adoption?region=${data.up.id}`}>{t("up", { name: data.up.name })}</a> : null}
          <a href="/region/schools">{t("schoolsLink")}</a>
        </p>
      </section>

      <section className="panel" aria-labelledby="by-role-title">
        <h2 id="by-role-title">{t("byRole")}</h2>
        <div className="chart-pair">
          <BarChart id="chart-roles" title={t("byRole")} desc={t("chartDesc", { what: t("byRole") })} series={series} groups={data.byRoleChart} />
          <AdoptionTable caption={t("byRole")} labelHeading={t("role")} rows={data.byRole.map((r) => ({ key: r.key, label: roleName(r.key), ...r.counts }))} />
        </div>
      </section>

      <form method="get" className="role-filter panel">
        {data.focusId ? <input type="hidden" name="region" value={data.focusId} /> : null}
        <label htmlFor="f-role">{t("role")}</label>
        <select id="f-role" name="role" defaultValue={data.role}>
          {["all", "teacher", "student", "parent"].map((r) => (
            <option key={r} value={r}>
              {roleName(r)}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary">
          {t("show")}
        </button>
      </form>

      {data.subRegions.length ? (
        <section className="panel" aria-labelledby="by-sub-title">
          <h2 id="by-sub-title">{withRole(t("bySubRegion"))}</h2>
          <div className="chart-pair">
            <BarChart id="chart-subregions" title={withRole(t("bySubRegion"))} desc={t("chartDesc", { what: withRole(t("bySubRegion")) })} series={series} groups={data.subRegionChart} />
            <AdoptionTable
              caption={withRole(t("bySubRegion"))}
              labelHeading={t("region")}
              rows={data.subRegions.map((r) => ({
                key: r.id ?? "direct",
                label: r.id ? <a href={`/region/adoption?region=${r.id}${data.role === "all" ? "" : `&role=${data.role}`}`}>{r.name}</a> : r.name,
                ...r.counts,
              }))}
              total={totalRow(t("total"))}
            />
          </div>
        </section>
      ) : null}

      <section className="panel" aria-labelledby="by-school-title">
        <h2 id="by-school-title">{withRole(t("bySchool"))}</h2>
        {data.tooManyToList ? <p className="hint">{t("tooManyToList", { count: data.tooManyToList })}</p> : data.schools.length === 0 ? <p>{t("noSchools")}</p> : null}
        <div className="chart-pair">
          {data.schoolChart && data.schools.length ? (
            <BarChart id="chart-schools" title={withRole(t("bySchool"))} desc={t("chartDesc", { what: withRole(t("bySchool")) })} series={series} groups={data.schoolChart} />
          ) : null}
          {!data.schoolChart && !data.tooManyToList ? <p className="hint">{t("tooManyForChart")}</p> : null}
          {data.schools.length ? (
            <AdoptionTable
              caption={withRole(t("bySchool"))}
              labelHeading={t("school")}
              extraHeadings={[t("region"), t("effectivePhase")]}
              rows={data.schools.map((s) => ({
                key: s.id,
                label: <a href={`/school/adoption?school=${s.id}`}>{s.name}</a>,
                extra: [s.regionName, s.phase === s.effectivePhase ? phaseName(s.phase) : `${phaseName(s.effectivePhase)} (${phaseName(s.phase)})`],
                ...s.counts,
              }))}
              total={totalRow(t("total"))}
            />
          ) : null}
        </div>
        <p className="hint">{t("ceilingNote")}</p>
      </section>
    </div>
  );
}
