import type { LoaderFunctionArgs } from "@remix-run/node";
import writeXlsxFile from "write-excel-file/node";
import { resolveLocale } from "~/domain/accounts/locale.server";
import { NotFoundError } from "~/domain/foundation/errors.server";
import { ROSTER_TEMPLATE_FIELDS, ROSTER_REQUIRED, rosterSchool, templateClassNames, type RosterField } from "~/domain/provisioning/rosters.server";
import { i18next } from "~/i18next.server";
import { toCsv } from "~/lib/csv.server";
import { orResourceErrorPage, requireActor } from "~/lib/http.server";

/**
 * The roster template in the admin's language: header row plus a teacher and a student as examples,
 * using the school's own class names so the examples would import as they stand.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireActor(request);
  return orResourceErrorPage(request, async () => {
    const format = params.format;
    if (format !== "csv" && format !== "xlsx") throw new NotFoundError();
    const school = await rosterSchool(actor);
    const lng = await resolveLocale(request, actor);
    const t = await i18next.getFixedT(lng, "roster");
    const [firstClass = "", secondClass = firstClass] = await templateClassNames(actor);
    const header = ROSTER_TEMPLATE_FIELDS.map((f) => `${t(`columns.${f}`)}${ROSTER_REQUIRED[f] === "always" ? "*" : ""}`);
    const teacher: Partial<Record<RosterField, string>> = { realName: t("example.teacherName"), role: t("values.teacher"), className: firstClass, gender: t("values.male") };
    const student: Partial<Record<RosterField, string>> = {
      realName: t("example.studentName"),
      role: t("values.student"),
      className: secondClass,
      studentNumber: "2026001",
      birthDate: "2016-03-05",
      gender: t("values.female"),
      guardian1Name: t("example.guardianName"),
      guardian1Phone: "13800000000",
    };
    const fileName = `${t("template.fileName")}-${school.loginPrefix ?? "school"}.${format}`;
    const disposition = `attachment; filename="roster-template.${format}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
    if (format === "csv") {
      const rows = [teacher, student].map((r) => ROSTER_TEMPLATE_FIELDS.map((f) => r[f] ?? ""));
      // The BOM tells Excel the file is UTF-8; without it Chinese Excel reads it as GBK.
      const body = "\uFEFF" + toCsv(header, rows) + "\r\n";
      return new Response(body, { headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": disposition, "Cache-Control": "private, no-store" } });
    }
    const cell = (f: RosterField, value: string | undefined) => {
      if (!value) return null;
      // A real date cell, and numbers kept as text so Excel does not strip leading zeros.
      if (f === "birthDate") return { value: new Date(`${value}T00:00:00Z`), type: Date, format: "yyyy-mm-dd" } as const;
      if (f === "studentNumber" || f.endsWith("Phone")) return { value, type: String, format: "@" } as const;
      return { value, type: String } as const;
    };
    const sheet = [
      header.map((h) => ({ value: h, type: String, fontWeight: "bold" as const })),
      ...[teacher, student].map((r) => ROSTER_TEMPLATE_FIELDS.map((f) => cell(f, r[f]))),
    ];
    const buffer = await writeXlsxFile(sheet, { columns: ROSTER_TEMPLATE_FIELDS.map(() => ({ width: 16 })), stickyRowsCount: 1 }).toBuffer();
    return new Response(new Uint8Array(buffer), {
      headers: {
        "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "Content-Disposition": disposition,
        "Cache-Control": "private, no-store",
      },
    });
  });
}
