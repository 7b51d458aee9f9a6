import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { CoverageChart } from "~/components/CoverageChart";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { ValidationError } from "~/domain/foundation/errors.server";
import { libraryCoverage, type CoverageShare, type LibraryCoverage } from "~/domain/library/coverage.server";
import { i18next } from "~/i18next.server";
import { formatDate, formatDateTime, formatList, formatNumber, intlLocales } from "~/lib/format";
import { orErrorPage, pageTitle, requireActor } from "~/lib/http.server";
import cssUrl from "~/styles/region.css?url";

export const links = () => [{ rel: "stylesheet", href: cssUrl }];
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.title }];

type ShareView = { numerator: string; denominator: string; percent: string };

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const regionId = url.searchParams.get("region");
  const term = url.searchParams.get("term");
  // A hand-edited term shows the current one with the reason, rather than a bare error page.
  let termError: string | null = null;
  const view: LibraryCoverage = await orErrorPage(async () => {
    try {
      return await libraryCoverage(actor, { regionId, term });
    } catch (error) {
      if (!(error instanceof ValidationError) || !error.fields.term) throw error;
      termError = error.key;
      return libraryCoverage(actor, { regionId });
    }
  });
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng, "libraryCoverage");
  const percentFormat = new Intl.NumberFormat(intlLocales(lng), { style: "percent", maximumFractionDigits: 1 });
  const percent = (s: number | null) => (s === null ? t("noData") : percentFormat.format(s));
  const numbers = (s: CoverageShare): ShareView => ({ numerator: formatNumber(s.numerator, lng), denominator: formatNumber(s.denominator, lng), percent: percent(s.share) });
  const stageName = (stage: string) => t(`common:stages.${stage}`);
  const subjectName = (subject: string) => t(`library:subjects.${subject}`);
  const termName = (k: { year: number; half: string }) => t(`termName.${k.half}`, { year: k.year });
  const query = (params: { region?: string | null; term?: string | null }) => {
    const q = new URLSearchParams();
    if (params.region) q.set("region", params.region);
    if (params.term) q.set("term", params.term);
    const s = q.toString();
    return s ? `?${s}` : "";
  };
  const focusId = view.focus?.id ?? null;
  const termKey = view.term.key;
  return {
    title: await pageTitle(request, "libraryCoverage:title"),
    focusName: view.focus?.name ?? t("everywhere"),
    focusId,
    path: view.path.map((r) => ({ ...r, href: `/region/library${query({ region: r.id, term: termKey })}` })),
    up: view.upId ? { name: view.path.find((r) => r.id === view.upId)?.name ?? "", href: `/region/library${query({ region: view.upId, term: termKey })}` } : null,
    children: view.children.map((r) => ({ id: r.id, name: r.name, href: `/region/library${query({ region: r.id, term: termKey })}` })),
    termKey,
    // The last day of the term: its end is the next term's first midnight.
    termLine: t("termLine", { term: termName(view.term), from: formatDate(view.term.start, lng), to: formatDate(new Date(view.term.end.getTime() - 1), lng) }),
    terms: view.terms.map((k) => ({ key: k.key, name: termName(k) })),
    termError,
    at: formatDateTime(view.at, lng),
    csvHref: `/region/library.csv${query({ region: focusId, term: termKey })}`,
    figures: view.figures.map((f) => ({
      key: f.key,
      target: f.target,
      targetText: t("target", { target: percentFormat.format(f.target) }),
      bars: [
        ...f.stages.map((s) => ({ key: s.stage, label: stageName(s.stage), share: s.share, text: percent(s.share) })),
        { key: "total", label: t("total"), share: f.total.share, text: percent(f.total.share) },
      ],
      stages: f.stages.map((s) => ({
        key: s.stage,
        label: stageName(s.stage),
        ...numbers(s),
        covered: s.covered ? (s.denominator === 0 ? "" : s.covered.length ? formatList(s.covered.map(subjectName), lng) : t("coveredNone")) : null,
      })),
      subjects: f.key === "subjects" ? [] : f.subjects.map((s) => ({ key: `${s.stage}.${s.subject}`, label: `${stageName(s.stage)} · ${subjectName(s.subject)}`, ...numbers(s) })),
      total: numbers(f.total),
    })),
  };
}

type Figure = Awaited<ReturnType<typeof loader>>["figures"][number];
type Row = { key: string; label: string } & ShareView & { covered?: string | null };

function CoverageTable({ caption, labelHeading, numeratorHeading, denominatorHeading, rows, total, withCovered }: { caption: string; labelHeading: string; numeratorHeading: string; denominatorHeading: string; rows: Row[]; total?: Row; withCovered?: boolean }) {
  const { t } = useTranslation("libraryCoverage");
  const cells = (r: Row) => (
    <>
      <td className="num">{r.numerator}</td>
      <td className="num">{r.denominator}</td>
      <td className="num">{r.percent}</td>
      {withCovered ? <td>{r.covered ?? ""}</td> : null}
    </>
  );
  return (
    // Focusable and named: on a phone the table scrolls sideways, and keyboard users must reach it.
    <div className="table-wrap" tabIndex={0} role="region" aria-label={caption}>
      <table className="adoption-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{labelHeading}</th>
            <th scope="col" className="num">
              {numeratorHeading}
            </th>
            <th scope="col" className="num">
              {denominatorHeading}
            </th>
            <th scope="col" className="num">
              {t("share")}
            </th>
            {withCovered ? <th scope="col">{t("covered")}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">{r.label}</th>
              {cells(r)}
            </tr>
          ))}
        </tbody>
        {total ? (
          <tfoot>
            <tr>
              <th scope="row">{total.label}</th>
              {cells(total)}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

function FigureSection({ figure, csvHref }: { figure: Figure; csvHref: string }) {
  const { t } = useTranslation("libraryCoverage");
  const name = t(`figures.${figure.key}.title`);
  const heading = `figure-${figure.key}`;
  return (
    <section className="panel" aria-labelledby={heading}>
      <h2 id={heading}>{name}</h2>
      <p className="hint">{t(`figures.${figure.key}.definition`)}</p>
      <div className="chart-pair">
        <CoverageChart
          id={`chart-${figure.key}`}
          title={name}
          desc={t("chartDesc", { what: name, target: figure.targetText })}
          target={figure.target}
          targetText={figure.targetText}
          metText={t("targetMet")}
          belowText={t("belowTarget")}
          bars={figure.bars}
        />
        <CoverageTable
          caption={t("byStage", { what: name })}
          labelHeading={t("stage")}
          numeratorHeading={t(`figures.${figure.key}.numerator`)}
          denominatorHeading={t(`figures.${figure.key}.denominator`)}
          rows={figure.stages}
          total={{ key: "total", label: t("total"), ...figure.total }}
          withCovered={figure.key === "subjects"}
        />
      </div>
      {figure.subjects.length ? (
        <CoverageTable
          caption={t("bySubject", { what: name })}
          labelHeading={t("subject")}
          numeratorHeading={t(`figures.${figure.key}.numerator`)}
          denominatorHeading={t(`figures.${figure.key}.denominator`)}
          rows={figure.subjects}
        />
      ) : null}
      <p className="actions">
        <a href={csvHref} download>
          {t("downloadCsv")}
        </a>
      </p>
    </section>
  );
}

export default function RegionLibraryCoverage() {
  const data = useLoaderData<typeof loader>();
  const { t } = useTranslation("libraryCoverage");
  return (
    <div className="adoption library-coverage">
      <section className="panel" aria-labelledby="coverage-title">
        <h1 id="coverage-title">
          {t("title")} · {data.focusName}
        </h1>
        {data.path.length > 1 ? (
          <nav aria-label={t("region")} className="crumbs">
            {data.path.map((r, i) => (
              <span key={r.id}>
                {i > 0 ? " › " : ""}
                {i < data.path.length - 1 ? <a href={r.href}>{r.name}</a> : r.name}
              </span>
            ))}
          </nav>
        ) : null}
        <p className="meta">
          {data.termLine} · {t("asOf", { at: data.at })}
        </p>
        <p className="hint">{t("intro")}</p>
        <form method="get" className="role-filter">
          {data.focusId ? <input type="hidden" name="region" value={data.focusId} /> : null}
          <label htmlFor="f-term">{t("term")}</label>
          <select id="f-term" name="term" defaultValue={data.termKey} aria-describedby={data.termError ? "term-error" : undefined}>
            {data.terms.map((k) => (
              <option key={k.key} value={k.key}>
                {k.name}
              </option>
            ))}
          </select>
          <button type="submit" className="secondary">
            {t("show")}
          </button>
        </form>
        {data.termError ? (
          <p id="term-error" className="error" role="alert">
            {t(data.termError)}
          </p>
        ) : null}
        <p className="actions">
          <a href={data.csvHref} download>
            {t("downloadCsv")}
          </a>
          {data.up ? <a href={data.up.href}>{t("up", { name: data.up.name })}</a> : null}
        </p>
        {data.children.length ? (
          <nav aria-label={t("subRegions")}>
            <p className="actions">
              <span>{t("lookCloser")}</span>
              {data.children.map((r) => (
                <a key={r.id} href={r.href}>
                  {r.name}
                </a>
              ))}
            </p>
          </nav>
        ) : null}
      </section>

      {data.figures.map((f) => (
        <FigureSection key={f.key} figure={f} csvHref={data.csvHref} />
      ))}
    </div>
  );
}
