// Every CSV the product hands out is built here, so every one escapes formulas the same way.
import Papa from "papaparse";

/**
 * A cell a spreadsheet would run as a formula starts with one of these (OWASP "CSV injection"); it is
 * given a leading '. Papa's own pattern (`^[=+\-@\t\r].*$`) misses a cell with a line break in it,
 * such as a two-line assignment title starting with "+", because `.` stops at the break.
 */
export const FORMULA_START = /^[=+\-@\t\r]/;

/** A CSV of a header and rows (numbers stay numbers), CRLF line ends, no BOM (the caller adds it). */
export function toCsv(header: string[], rows: (string | number | null)[][]): string {
  return Papa.unparse({ fields: header, data: rows.map((row) => row.map((cell) => cell ?? "")) }, { escapeFormulae: FORMULA_START, newline: "\r\n" });
}
