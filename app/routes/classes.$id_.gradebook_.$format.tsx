// The class gradebook as CSV or XLSX, for its teachers: one row per student (name, login handle, each
// assignment's score or status word, average %), the header in the teacher's language.
import type { LoaderFunctionArgs } from "@remix-run/node";
import writeXlsxFile from "write-excel-file/node";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { gradebook } from "~/domain/grading/grading.server";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { i18next } from "~/i18next.server";
import { toCsv } from "~/lib/csv.server";
import { orResourceErrorPage, requireActor } from "~/lib/http.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orResourceErrorPage(request, async () => {
    const format = params.format;
    const book = await gradebook(actor, params.id ?? "");
    if (format !== "csv" && format !== "xlsx") throw new NotFoundError();
    const lng = await resolveLocale(request, actor);
    const t = await i18next.getFixedT(lng, "grading");
    const header = [t("csv.student"), t("csv.login"), ...book.assignments.map((a) => `${a.title} (${a.points})`), t("csv.average")];
    // Numbers stay numbers (Excel can sum them); a cell without a score carries its status word.
    const rows: (string | number | null)[][] = book.students.map((s) => [
      s.realName,
      s.handle,
      ...s.cells.map((c) => (c.score !== null ? c.score : t(`common:work.state.${c.status}`))),
      s.averagePercent,
    ]);
    const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
    const fileName = `${book.klass.name}-${t("csv.fileName")}-${day}.${format}`;
    const utf8Name = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const disposition = `attachment; filename="gradebook-${day}.${format}"; filename*=UTF-8''${utf8Name}`;
    if (format === "csv") {
      const csv = toCsv(header, rows);
      // The BOM tells Excel the file is UTF-8; without it Chinese Excel reads the names as GBK.
      return new Response(`\uFEFF${csv}\r\n`, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": disposition, "Cache-Control": "private, no-store" } });
    }
    const sheet = [
      header.map((h) => ({ value: h, type: String, fontWeight: "bold" as const })),
      ...rows.map((r) => r.map((v) => (v === null ? null : typeof v === "number" ? { value: v, type: Number } : { value: v, type: String }))),
    ];
    const buffer = await writeXlsxFile(sheet, { columns: header.map((_, i) => ({ width: i < 2 ? 14 : 16 })), stickyRowsCount: 1, stickyColumnsCount: 1 }).toBuffer();
    return new Response(new Uint8Array(buffer), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": disposition,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
