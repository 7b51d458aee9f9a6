// The library coverage figures as CSV: UTF-8 with a BOM (so Excel shows Chinese, Tibetan and Yi right),
// headers in the reader's language, counts unformatted and shares as fractions, for sums and charts.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { libraryCoverage, type CoverageShare } from "~/domain/library/coverage.server";
import { i18next } from "~/i18next.server";
import { toCsv } from "~/lib/csv.server";
import { orResourceErrorPage, requireActor } from "~/lib/http.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  const url = new URL(request.url);
  const view = await orResourceErrorPage(request, async () => libraryCoverage(actor, { regionId: url.searchParams.get("region"), term: url.searchParams.get("term") }));
  const lng = await resolveLocale(request, actor);
  const t = await i18next.getFixedT(lng, "libraryCoverage");
  const header = [t("csv.figure"), t("stage"), t("subject"), t("csv.numerator"), t("csv.denominator"), t("share")];
  const cells = (s: CoverageShare) => [s.numerator, s.denominator, s.share === null ? "" : Math.round(s.share * 10_000) / 10_000];
  const rows: (string | number)[][] = [];
  for (const f of view.figures) {
    const figure = t(`figures.${f.key}.short`);
    for (const stage of f.stages) {
      rows.push([figure, t(`common:stages.${stage.stage}`), "", ...cells(stage)]);
      for (const s of f.subjects.filter((x) => x.stage === stage.stage)) rows.push([figure, t(`common:stages.${s.stage}`), t(`library:subjects.${s.subject}`), ...cells(s)]);
    }
    rows.push([figure, t("total"), "", ...cells(f.total)]);
  }
  const name = `${view.focus?.name ?? t("everywhere")}-${t("csv.fileName")}-${view.term.key}`;
  const utf8Name = encodeURIComponent(`${name}.csv`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return new Response(`\uFEFF${toCsv(header, rows)}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      // An RFC 6266 filename* carries the name in the reader's language; old clients get the ASCII one.
      "Content-Disposition": `attachment; filename="library-coverage-${view.term.key}.csv"; filename*=UTF-8''${utf8Name}`,
      "Cache-Control": "private, no-store",
    },
  });
}
