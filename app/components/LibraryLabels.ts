// How a library resource's description reads: its codes (subject, edition, unit…) in the reader's
// language. Shared by the library's pages, the review queue and the offer form.
import type { TFunction } from "i18next";
import { schoolYear } from "~/lib/school-year";

type Described = { kind: string; stage: string; grade: number; subject: string; edition: string; unit: string; language: string };

/** "pep:3a:2" → "上册第2单元". */
export function unitLabel(t: TFunction, code: string): string {
  const m = /^[a-z_]+:\d([ab]):(\d)$/.exec(code);
  if (!m) return code;
  return t("library:unit", { book: t(m[1] === "a" ? "library:bookA" : "library:bookB"), n: Number(m[2]) });
}

/** The description as a short line: subject · edition · grade · unit · kind · language. */
export function descriptionLine(t: TFunction, d: Described): string {
  return [
    t(`library:subjects.${d.subject}`),
    t(`library:editions.${d.edition}`),
    t("library:grade", { n: schoolYear(d.stage, d.grade) }),
    unitLabel(t, d.unit),
    t(`library:kinds.${d.kind}`),
    t(`library:languages.${d.language}`),
  ].join(" · ");
}
