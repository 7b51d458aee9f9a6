// The adoption CSV downloads: one shape for the region and school exports. Kept beside the adoption
// components (no JSX here) so both resource routes share it without importing each other.
import { toCsv } from "~/lib/csv.server";

export const MEASURES = ["provisioned", "activated", "active7"] as const;

/**
 * A CSV download: BOM first (Excel otherwise reads UTF-8 as the system code page, GBK on Chinese
 * Windows); cells that start like a formula are escaped; an RFC 6266 filename* carries the
 * non-ASCII name, with a plain ASCII fallback for old clients.
 */
export function csvResponse(header: string[], rows: (string | number)[][], name: string, at: Date): Response {
  const csv = toCsv(header, rows);
  const day = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  const utf8Name = encodeURIComponent(`${name}-${day}.csv`).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return new Response(`\uFEFF${csv}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="adoption-${day}.csv"; filename*=UTF-8''${utf8Name}`,
      "Cache-Control": "private, no-store",
    },
  });
}
