// What a library resource is described by: stage, grade, subject, textbook edition (教材版本) and unit
// (章节), kind, language and licence. Subjects and editions are codes, named in every locale
// (library:subjects.*, library:editions.*); a unit is an edition's 册 (grade, 上/下) and its number, so
// a unit always says which edition and grade it belongs to.
import { z } from "zod";
import { LIBRARY_KINDS, LIBRARY_LANGUAGES, LIBRARY_LICENCES, STAGES, type Stage } from "#db/schema";
import { schoolYear } from "~/lib/school-year";

/** Stages a library serves, and how many school years each has. */
export const LIBRARY_STAGES = ["primary", "junior", "senior", "vocational"] as const satisfies readonly Stage[];
export type LibraryStage = (typeof LIBRARY_STAGES)[number];
export const GRADES: Record<LibraryStage, number> = { primary: 6, junior: 3, senior: 3, vocational: 3 };

const GENERAL = ["chinese", "math", "english", "tibetan", "yi"] as const;
/** The subjects of each stage (the plan's "60% of subjects" counts (stage, subject) pairs from here). */
export const SUBJECTS: Record<LibraryStage, readonly string[]> = {
  primary: [...GENERAL, "science", "morality", "music", "art", "pe", "it"],
  junior: [...GENERAL, "physics", "chemistry", "biology", "history", "geography", "morality", "it"],
  senior: [...GENERAL, "physics", "chemistry", "biology", "history", "geography", "politics", "it"],
  vocational: ["chinese", "math", "english", "tibetan", "yi", "computing", "tourism", "thangka", "tibetan_medicine", "yi_embroidery", "agriculture"],
};
export const ALL_SUBJECTS = [...new Set(Object.values(SUBJECTS).flat())];

/** Editions by subject: the national ones, and the regional Tibetan and Yi series. */
const EDITIONS_BY_SUBJECT: Record<string, readonly string[]> = {
  chinese: ["tongbian"],
  math: ["pep", "bnu"],
  english: ["pep", "fltrp"],
  tibetan: ["five_provinces_tibetan"],
  yi: ["sichuan_yi"],
  physics: ["pep", "jiaoke"],
  chemistry: ["pep"],
  biology: ["pep"],
  history: ["tongbian"],
  geography: ["pep", "xiangjiao"],
  morality: ["tongbian"],
  politics: ["tongbian"],
  science: ["jiaoke"],
  music: ["pep"],
  art: ["pep"],
  pe: ["pep"],
  it: ["sichuan_it"],
  computing: ["hep"],
  tourism: ["hep"],
  thangka: ["school_based"],
  tibetan_medicine: ["school_based"],
  yi_embroidery: ["school_based"],
  agriculture: ["hep"],
};
export const ALL_EDITIONS = [...new Set(Object.values(EDITIONS_BY_SUBJECT).flat())];
export function editionsOf(subject: string): readonly string[] {
  return EDITIONS_BY_SUBJECT[subject] ?? [];
}

/** Units per 册 (a grade's 上册 or 下册). */
export const UNITS_PER_BOOK = 8;
export type Unit = { code: string; grade: number; book: "a" | "b"; number: number };

/** "pep:3a:2" = 人教版, grade 3 上册, unit 2: every unit names its edition and grade. */
export function unitCode(edition: string, grade: number, book: "a" | "b", number: number): string {
  return `${edition}:${grade}${book}:${number}`;
}

export function parseUnit(code: string): { edition: string; grade: number; book: "a" | "b"; number: number } | null {
  const m = /^([a-z_]+):(\d)([ab]):(\d)$/.exec(code);
  if (!m) return null;
  const number = Number(m[4]);
  if (number < 1 || number > UNITS_PER_BOOK) return null;
  return { edition: m[1]!, grade: Number(m[2]), book: m[3] as "a" | "b", number };
}

/** The units of an edition for one grade: 上册 1–8, then 下册 1–8. */
export function unitsOf(edition: string, grade: number): Unit[] {
  const units: Unit[] = [];
  for (const book of ["a", "b"] as const) for (let n = 1; n <= UNITS_PER_BOOK; n++) units.push({ code: unitCode(edition, grade, book, n), grade, book, number: n });
  return units;
}

export { schoolYear };

/** The year within the stage for a school year (七年级 = 7 → junior 1); 0 when the stage has no such year. */
export function gradeWithinStage(stage: string, year: number): number {
  const within = stage === "junior" ? year - 6 : stage === "senior" ? year - 9 : year;
  return within >= 1 && within <= (GRADES[stage as LibraryStage] ?? 0) ? within : 0;
}

/** The description of a resource, as offered; each field a code, checked against the others. */
export type Description = {
  kind: (typeof LIBRARY_KINDS)[number];
  stage: LibraryStage;
  grade: number;
  subject: string;
  edition: string;
  unit: string;
  language: (typeof LIBRARY_LANGUAGES)[number];
  licence: (typeof LIBRARY_LICENCES)[number];
};

export const descriptionShape = z
  .object({
    kind: z.enum(LIBRARY_KINDS, { message: "library:errors.kindRequired" }),
    stage: z.enum(LIBRARY_STAGES, { message: "library:errors.stageRequired" }),
    grade: z.coerce.number({ message: "library:errors.gradeRequired" }).int("library:errors.gradeRequired"),
    subject: z.string({ message: "library:errors.subjectRequired" }).min(1, "library:errors.subjectRequired"),
    edition: z.string({ message: "library:errors.editionRequired" }).min(1, "library:errors.editionRequired"),
    unit: z.string({ message: "library:errors.unitRequired" }).min(1, "library:errors.unitRequired"),
    language: z.enum(LIBRARY_LANGUAGES, { message: "library:errors.languageRequired" }),
    licence: z.enum(LIBRARY_LICENCES, { message: "library:errors.licenceRequired" }),
  })
  .superRefine((d, ctx) => {
    if (d.grade < 1 || d.grade > GRADES[d.stage]) ctx.addIssue({ code: "custom", path: ["grade"], message: "library:errors.gradeNotOfStage" });
    if (!SUBJECTS[d.stage].includes(d.subject)) ctx.addIssue({ code: "custom", path: ["subject"], message: "library:errors.subjectNotOfStage" });
    else if (!editionsOf(d.subject).includes(d.edition)) ctx.addIssue({ code: "custom", path: ["edition"], message: "library:errors.editionNotOfSubject" });
    const unit = parseUnit(d.unit);
    if (!unit || unit.edition !== d.edition || unit.grade !== d.grade) ctx.addIssue({ code: "custom", path: ["unit"], message: "library:errors.unitNotOfEdition" });
  });

/** Everything a form needs to offer the choices (the browser narrows them; the server checks them). */
export function catalogue() {
  return {
    kinds: LIBRARY_KINDS,
    languages: LIBRARY_LANGUAGES,
    licences: LIBRARY_LICENCES,
    stages: LIBRARY_STAGES,
    grades: GRADES,
    subjects: SUBJECTS,
    editions: Object.fromEntries(ALL_SUBJECTS.map((s) => [s, editionsOf(s)])),
    unitsPerBook: UNITS_PER_BOOK,
  };
}
export type Catalogue = ReturnType<typeof catalogue>;

export const isStage = (s: string): s is LibraryStage => (LIBRARY_STAGES as readonly string[]).includes(s) && (STAGES as readonly string[]).includes(s);
