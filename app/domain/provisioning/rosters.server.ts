// School rosters → real-name accounts. A school admin uploads a CSV or XLSX roster; it is parsed and
// checked into a preview (nothing written but the preview itself), and importing it writes every
// account, class membership, guardian contact and activation code in one transaction, or nothing.
// Activation slips carry the codes in clear; besides the hash only a sealed copy is kept, for printing
// them again until used (slip-codes.server).
import Papa from "papaparse";
import { readSheet } from "read-excel-file/node";
import { and, desc, eq, gt, inArray, isNull, like, lt, ne } from "drizzle-orm";
import { changedRows, db, schema, first, only } from "#db/client";
import { handleBase, handleVariant, holdsIdentityNumber, loginPrefixOf, nextLoginName } from "#db/login-names.mjs";
import type { Locale } from "#db/schema";
import { ROSTER_PREVIEW_DAYS } from "#db/roster-previews.mjs";
import { keyedHash, serverSecret } from "../foundation/server-secrets.server";
import boRoster from "../../../locales/bo/roster.json";
import enRoster from "../../../locales/en/roster.json";
import iiRoster from "../../../locales/ii/roster.json";
import zhRoster from "../../../locales/zh-Hans/roster.json";
import { formatActivationCode, normalizeLoginName, reissueActivationCodes, storeActivationCode } from "../accounts/accounts.server";
import { issueGuardianCodesForImport } from "../families/guardian-links.server";
import { requireActingAs, type Actor } from "../foundation/actor.server";
import { recordAudit } from "../foundation/audit.server";
import { ForbiddenError, NotFoundError, ValidationError } from "../foundation/errors.server";
import { randomId } from "../foundation/ids.server";
import { classFromName, createClasses, currentSchoolYear, normalizeClassName, type SchoolClass } from "../classwork/classes.server";
import { findSchool, type School } from "../places/schools.server";

export { normalizeClassName };

/** Uploads above this are refused while streaming, before they are read whole. */
export const ROSTER_MAX_BYTES = 10 * 1024 * 1024;
/** A school of this size is far beyond any real one; a bigger file is a mistake (or an attack). */
export const ROSTER_MAX_ROWS = 20_000;
/** How many problem-free rows the preview shows as a sample. */
const SAMPLE_ROWS = 20;

export const ROSTER_FIELDS = [
  "realName",
  "role",
  "loginName",
  "className",
  "grade",
  "registrationNumber",
  "studentNumber",
  "birthDate",
  "idNumber",
  "gender",
  "guardian1Name",
  "guardian1Relation",
  "guardian1Phone",
  "guardian2Name",
  "guardian2Relation",
  "guardian2Phone",
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/**
 * The template's columns: not 年级 (only for exports that split the class) and never the ID number
 * (read from an export to fill a blank birth date, but nothing should invite a school to type it).
 */
export const ROSTER_TEMPLATE_FIELDS = ROSTER_FIELDS.filter((f) => f !== "grade" && f !== "idNumber");

/** Whether a column must be present: always, only when the file lists students, or never. */
export const ROSTER_REQUIRED: Record<RosterField, "always" | "students" | "no"> = {
  realName: "always",
  // Without a role column every row is a pupil, as in a 学籍系统 export.
  role: "no",
  loginName: "no",
  className: "students",
  grade: "no",
  registrationNumber: "no",
  studentNumber: "no",
  birthDate: "no",
  idNumber: "no",
  gender: "no",
  guardian1Name: "no",
  guardian1Relation: "no",
  guardian1Phone: "no",
  guardian2Name: "no",
  guardian2Relation: "no",
  guardian2Phone: "no",
};

/** How many rows a page of the preview shows. */
export const PREVIEW_PAGE_ROWS = 100;

export type RosterRole = "teacher" | "student";
export type RosterProblem = { column: RosterField | null; key: string; params?: Record<string, string | number> };
export type RosterOutcome = "new" | "updated" | "unchanged" | "skipped";
/** One thing an update would change. Guardian changes name the guardian, never the phone number. */
export type RosterChange = { field: string; from: string | null; to: string | null; guardian?: string };
export type RosterGuardian = { name: string; phone: string | null; relation: string | null };

/** One data row as normalised from the file, with what the check found and what importing will do. */
export type RosterRow = {
  /** Row number as the spreadsheet shows it (the header is row 1). */
  line: number;
  realName: string;
  role: RosterRole | null;
  loginName: string | null;
  className: string | null;
  studentNumber: string | null;
  /** Keyed hash of the 学籍号; the number itself is never kept. */
  registrationHash: string | null;
  birthDate: string | null;
  /** The birth date was blank and came from the ID number (which is not kept). */
  birthFromId: boolean;
  gender: "female" | "male" | null;
  guardians: RosterGuardian[];
  problems: RosterProblem[];
  /** Same name and birth date as an earlier row and no 学籍号 to tell them apart: the admin decides. */
  sameAs?: number;
  outcome?: RosterOutcome;
  /** For an update: what it would change. */
  changes?: RosterChange[];
  /** The login the person has or will get (generated ones may still change at import time). */
  plannedLogin?: string;
};

export type RosterSummary = {
  total: number;
  new: number;
  updated: number;
  unchanged: number;
  skipped: number;
  withProblems: number;
  /** "Two people or one?" questions not answered yet: they hold the import back like problems. */
  questions: number;
  teachers: number;
  students: number;
};

/** What the preview says about the file's columns. */
export type RosterFileReport = {
  /** The spreadsheet row the header was taken from (rows above it were titles or blank). */
  headerLine: number;
  recognised: { header: string; field: RosterField }[];
  ignored: { header: string; reason: "notNeeded" | "unknown" | "repeated" }[];
  missing: RosterField[];
  /** No role column: every row is a pupil. */
  pupilsOnly: boolean;
};

export type SamePersonAnswer = "one" | "two";
/** The summary as stored with a preview: the counts, the file report and the admin's answers. */
type StoredSummary = RosterSummary & { file?: RosterFileReport; answers?: Record<string, SamePersonAnswer> };

// ── Who may ────────────────────────────────────────────────────────────────────────────────────

/**
 * The school the actor administers as its school admin. Region and platform admins may manage a
 * school elsewhere, but rosters and slips carry minors' data and codes: only the school's own admin.
 */
export async function rosterSchool(actor: Actor): Promise<School> {
  const { grant } = requireActingAs(actor, "school_admin");
  const school = grant.schoolId ? await findSchool(grant.schoolId) : undefined;
  if (!school) throw new ForbiddenError();
  return school;
}

// ── Reading the file ───────────────────────────────────────────────────────────────────────────

type Cell = string | number | boolean | Date | null;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0]; // old .xls (and .doc)
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * The sheet's rows, decided by content rather than the file's name: XLSX is a ZIP; anything else
 * must be text (CSV or Excel's tab-separated "Unicode text"). Text is UTF-8 (strict), else UTF-16
 * by its BOM, else GB18030 (a superset of the GBK that Chinese Excel writes).
 */
export async function readRosterCells(bytes: Uint8Array): Promise<Cell[][]> {
  if (bytes.byteLength === 0) throw new ValidationError({}, "roster:problems.emptyFile");
  if (bytes.byteLength > ROSTER_MAX_BYTES) throw new ValidationError({}, "roster:problems.tooLarge", { mb: ROSTER_MAX_BYTES / 1024 / 1024 });
  if (startsWith(bytes, ZIP)) {
    try {
      return (await readSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))) as Cell[][];
    } catch {
      throw new ValidationError({}, "roster:problems.badXlsx");
    }
  }
  if (startsWith(bytes, OLE)) throw new ValidationError({}, "roster:problems.oldXls");
  const text = decodeRosterText(bytes);
  // Blank lines stay, so row numbers are the ones the spreadsheet shows; blank rows are dropped later.
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  return parsed.data;
}

function decodeRosterText(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return new TextDecoder(bytes[0] === 0xff ? "utf-16le" : "utf-16be").decode(bytes);
  }
  // A NUL or other control bytes: not a text file at all (an image, a PDF, a zip of something else).
  const head = bytes.subarray(0, 4096);
  if (head.some((b) => b === 0 || (b < 0x09 && b !== 0)) || startsWith(bytes, [0x25, 0x50, 0x44, 0x46])) {
    throw new ValidationError({}, "roster:problems.unsupportedType");
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); // drops a UTF-8 BOM
  } catch {
    try {
      text = new TextDecoder("gb18030", { fatal: true }).decode(bytes);
    } catch {
      throw new ValidationError({}, "roster:problems.wrongEncoding");
    }
  }
  // GB18030 decodes almost any byte soup; mojibake shows as replacement or private-use characters.
  if (/[\uFFFD\uE000-\uF8FF]/u.test(text)) throw new ValidationError({}, "roster:problems.wrongEncoding");
  return text;
}

// ── Headers ────────────────────────────────────────────────────────────────────────────────────

/** Header names people actually write, besides the four locales' own column names. */
const HEADER_VARIANTS: Record<RosterField, string[]> = {
  realName: ["姓名", "真实姓名", "名字", "学生姓名", "教师姓名", "name", "real name", "full name"],
  role: ["身份", "角色", "类别", "人员类别", "人员类型", "类型", "role", "type"],
  loginName: ["登录名", "账号", "帐号", "用户名", "登录账号", "login", "login name", "username", "user name"],
  className: ["班级", "班级名称", "所在班级", "班", "班号", "class", "class name"],
  grade: ["年级", "所在年级", "年级名称", "grade"],
  registrationNumber: ["学籍号", "全国学籍号", "学籍辅号", "个人标识码", "学生学籍号", "registration number"],
  studentNumber: ["学号", "校内学号", "学生编号", "student number", "student no", "student no.", "number"],
  birthDate: ["出生日期", "生日", "出生年月日", "出生年月", "birth date", "date of birth", "birthday", "dob"],
  idNumber: ["身份证件号", "身份证号", "身份证号码", "证件号码", "身份证件号码", "公民身份号码", "id number"],
  gender: ["性别", "gender", "sex"],
  ...guardianVariants(1, ["1", "一"], ["家长", "监护人"]),
  ...guardianVariants(2, ["2", "二"], []),
};

/** 监护人1姓名, 监护人一关系, 家长1联系电话, 家长手机…: the guardian columns as exports spell them. */
function guardianVariants<N extends 1 | 2>(n: N, marks: string[], bare: string[]) {
  const names = (suffixes: string[], english: string) => [
    ...["监护人", "家长"].flatMap((who) => [...marks, ...bare.filter((b) => b === who).map(() => "")].flatMap((m) => suffixes.map((s) => `${who}${m}${s}`))),
    `guardian ${n} ${english}`,
    ...(n === 1 ? [`guardian ${english}`] : []),
  ];
  return {
    [`guardian${n}Name`]: names(["姓名"], "name"),
    [`guardian${n}Relation`]: names(["关系", "与学生关系", "称谓"], "relation"),
    [`guardian${n}Phone`]: names(["电话", "手机", "联系电话", "手机号", "手机号码", "联系方式"], "phone"),
  } as Record<`guardian${N}${"Name" | "Relation" | "Phone"}`, string[]>;
}

/**
 * Columns an export carries that the platform recognises and leaves out on purpose: it keeps only
 * what a school needs to give pupils and parents accounts (PIPL's minimum). 民族 in particular is
 * sensitive personal information (PIPL art. 28) and nothing here uses it.
 */
const NOT_NEEDED_HEADERS = new Set(
  ["序号", "编号", "民族", "政治面貌", "国籍", "籍贯", "出生地", "户口所在地", "户口性质", "家庭住址", "现住址", "通信地址", "健康状况", "血型", "入学日期", "入学年月", "入学方式", "就读方式", "学生来源", "是否独生子女", "是否留守儿童", "是否随迁子女", "是否孤儿", "是否残疾人", "港澳台侨外", "身份证件类型", "学籍状态", "备注"].map(
    (h) => foldHeader(h),
  ),
);

/** Folds a header for comparison: width, case, spaces, the required-marker and bracketed notes. */
function foldHeader(header: string): string {
  return header
    .normalize("NFKC")
    .toLowerCase()
    .replace(/\((必填|选填|可选|optional|required)\)/g, "")
    .replace(/[\s*_:：་]+/gu, "");
}

const HEADER_INDEX: Map<string, RosterField> = (() => {
  const index = new Map<string, RosterField>();
  const localeColumns = [zhRoster, boRoster, iiRoster, enRoster].map((l) => (l as { columns: Record<RosterField, string> }).columns);
  for (const field of ROSTER_FIELDS) {
    for (const name of [...localeColumns.map((c) => c[field]), ...HEADER_VARIANTS[field]]) index.set(foldHeader(name), field);
  }
  return index;
})();

export function headerField(header: string): RosterField | undefined {
  return HEADER_INDEX.get(foldHeader(header));
}

/**
 * The header row: the first where at least two cells are column names the platform knows (an export's
 * title row and blank rows above it are skipped). Falls back to the first non-blank row, so a file
 * with no known header at all is refused for its missing columns.
 */
function findHeaderRow(cells: Cell[][]): number {
  const known = cells.findIndex((row) => row.filter((c) => headerField(cellText(c)) !== undefined).length >= 2);
  return known >= 0 ? known : cells.findIndex((row) => row.some((c) => cellText(c) !== ""));
}

/** What the preview says about each header cell, and which columns the file lacks. */
function fileReport(header: Cell[], headerLine: number, columns: Map<RosterField, number>): RosterFileReport {
  const recognised: RosterFileReport["recognised"] = [];
  const ignored: RosterFileReport["ignored"] = [];
  header.forEach((c, i) => {
    const text = cellText(c);
    if (!text) return;
    const field = headerField(text);
    if (field && columns.get(field) === i) recognised.push({ header: text, field });
    else if (field) ignored.push({ header: text, reason: "repeated" });
    else ignored.push({ header: text, reason: NOT_NEEDED_HEADERS.has(foldHeader(text)) ? "notNeeded" : "unknown" });
  });
  const pupilsOnly = !columns.has("role");
  const useful: RosterField[] = ["realName", "className", "registrationNumber", "studentNumber", "loginName", "birthDate", "gender", "guardian1Name", "guardian1Phone"];
  if (!pupilsOnly) useful.splice(1, 0, "role");
  return { headerLine, recognised, ignored, missing: useful.filter((f) => !columns.has(f)), pupilsOnly };
}

// ── Values ─────────────────────────────────────────────────────────────────────────────────────

function wordsOf(key: "teacher" | "student" | "male" | "female"): string[] {
  return [zhRoster, boRoster, iiRoster, enRoster].map((l) => (l as { values: Record<string, string> }).values[key]!);
}
const fold = (s: string) => s.normalize("NFKC").toLowerCase().replace(/[\s་]+/gu, "");
const ROLE_WORDS = new Map<string, RosterRole>([
  ...["教师", "老师", "教职工", "教职员工", "teacher", "t", ...wordsOf("teacher")].map((w) => [fold(w), "teacher"] as const),
  ...["学生", "student", "pupil", "s", ...wordsOf("student")].map((w) => [fold(w), "student"] as const),
]);
const GENDER_WORDS = new Map<string, "female" | "male">([
  ...["男", "男性", "男生", "male", "m", ...wordsOf("male")].map((w) => [fold(w), "male"] as const),
  ...["女", "女性", "女生", "female", "f", ...wordsOf("female")].map((w) => [fold(w), "female"] as const),
]);

function cellText(value: Cell | undefined): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return isoDate(value);
  return String(value).normalize("NFC").trim();
}

function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30); // serial 1 = 1900-01-01, with Excel's 1900 leap-day quirk absorbed

/** A birth date from a real date cell, an Excel serial number, or 2014-03-05 / 2014/3/5 / 2014.3.5 / 20140305 / 2014年3月5日. */
export function parseBirthDate(value: Cell | undefined, today = new Date()): string | null | undefined {
  if (value === null || value === undefined || value === "") return null;
  let y: number, m: number, d: number;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    [y, m, d] = [value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()];
  } else {
    const text = typeof value === "number" ? String(value) : String(value).normalize("NFKC").trim();
    let match: RegExpMatchArray | null;
    if ((match = text.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/))) {
      [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    } else if ((match = text.match(/^(\d{4})(\d{2})(\d{2})$/))) {
      [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
    } else if (/^\d{1,5}(\.0+)?$/.test(text)) {
      const serial = Math.floor(Number(text));
      if (serial < 1) return undefined;
      const date = new Date(EXCEL_EPOCH + serial * 86_400_000);
      [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
    } else {
      return undefined;
    }
  }
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  if (y < 1900 || date.getTime() > today.getTime()) return undefined;
  return isoDate(date);
}

const LOGIN_NAME = /^[a-z0-9._-]{3,64}$/;
const STUDENT_NUMBER = /^[A-Za-z0-9-]{1,32}$/;
const PHONE = /^\+?\d{7,15}$/;

function normalizePhone(text: string): string {
  return text.normalize("NFKC").replace(/[\s\-()（）]/g, "");
}


// ── Parse + validate into rows ────────────────────────────────────────────────────────────────

/** The file's data rows, each checked on its own and against the rest of the file. */
export async function rosterRowsFromCells(cells: Cell[][]): Promise<RosterRow[]> {
  return (await readRosterTable(cells)).rows;
}

/** The data rows and what the file's header said (which row it was, which columns were taken). */
export async function readRosterTable(cells: Cell[][]): Promise<{ rows: RosterRow[]; file: RosterFileReport }> {
  const headerAt = findHeaderRow(cells);
  if (headerAt < 0) throw new ValidationError({}, "roster:problems.emptyFile");
  const columns = new Map<RosterField, number>();
  cells[headerAt]!.forEach((c, i) => {
    const field = headerField(cellText(c));
    if (field && !columns.has(field)) columns.set(field, i);
  });
  const file = fileReport(cells[headerAt]!, headerAt + 1, columns);
  const dataRows = cells.slice(headerAt + 1).map((row, i) => ({ row, line: headerAt + i + 2 })).filter(({ row }) => row.some((c) => cellText(c) !== ""));

  const at = (row: Cell[], field: RosterField) => {
    const i = columns.get(field);
    return i === undefined ? undefined : row[i];
  };
  const missing = ROSTER_FIELDS.filter((f) => ROSTER_REQUIRED[f] === "always" && !columns.has(f));
  const listsStudents = !columns.has("role") || dataRows.some(({ row }) => ROLE_WORDS.get(fold(cellText(at(row, "role")))) === "student");
  if (listsStudents && !columns.has("className")) missing.push("className");
  if (missing.length) throw new ValidationError({}, "roster:problems.missingColumns", { columns: missing });
  if (dataRows.length === 0) throw new ValidationError({}, "roster:problems.noRows");
  if (dataRows.length > ROSTER_MAX_ROWS) throw new ValidationError({}, "roster:problems.tooManyRows", { max: ROSTER_MAX_ROWS });

  const hash = await registrationHasher();
  const rows = dataRows.map(({ row, line }) => rosterRow(line, (f) => at(row, f), { pupilsOnly: file.pupilsOnly, hash }));

  // Duplicates within the file: the later row is the one to fix.
  const seen = { login: new Map<string, number>(), number: new Map<string, number>(), registration: new Map<string, number>(), person: new Map<string, number>() };
  for (const row of rows) {
    const once = (map: Map<string, number>, key: string | null, column: RosterField, problem: string) => {
      if (!key) return;
      const first = map.get(key);
      if (first === undefined) map.set(key, row.line);
      else row.problems.push({ column, key: problem, params: { line: first } });
    };
    once(seen.login, row.loginName, "loginName", "roster:problems.duplicateLogin");
    if (row.role === "student") once(seen.number, row.studentNumber, "studentNumber", "roster:problems.duplicateStudentNumber");
    once(seen.registration, row.registrationHash, "registrationNumber", "roster:problems.duplicateRegistration");
    // A 学籍号 tells two pupils apart; a login or 学号 names the account. Without any of them, same
    // name and birth date is common among Tibetan and Yi pupils: a question for the admin, not an error.
    if (row.loginName || row.studentNumber || row.registrationHash || !row.role) continue;
    const key = personKey(row.realName, row.role, row.birthDate);
    const first = seen.person.get(key);
    if (first === undefined) seen.person.set(key, row.line);
    else if (row.role === "student") row.sameAs = first;
    else row.problems.push({ column: "realName", key: "roster:problems.duplicatePerson", params: { line: first } });
  }
  return { rows, file };
}

/** The keyed hash of a 学籍号 (NFKC, case and separators folded), under the server's secret. */
async function registrationHasher(): Promise<(registration: string) => string> {
  const secret = await serverSecret();
  return (registration) => keyedHash(secret, `registration|${foldRegistration(registration)}`);
}

const foldRegistration = (text: string) => text.normalize("NFKC").toUpperCase().replace(/[\s-]/g, "");
const REGISTRATION = /^[A-Z0-9]{6,32}$/;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/** The birth date in an 18-digit resident ID number (digits 7–14), if the number is well-formed. */
export function birthDateFromIdNumber(text: string): string | null {
  const id = text.normalize("NFKC").toUpperCase().replace(/\s/g, "");
  if (!/^\d{17}[\dX]$/.test(id)) return null;
  const sum = [...id.slice(0, 17)].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i]!, 0);
  if ("10X98765432"[sum % 11] !== id[17]) return null;
  return parseBirthDate(id.slice(6, 14)) ?? null;
}

/** "五年级" + "2班" / "(2)班" / "2" → one class name; a 班级 cell that already names its grade wins. */
function joinedClassName(gradeText: string, classText: string): string {
  if (!gradeText || !classText || /年级|^[初高]/u.test(classText)) return classText;
  const grade = gradeText.normalize("NFKC");
  const klass = classText.normalize("NFKC");
  const number = klass.match(/^\(?(\d{1,2})\)?(班)?$/);
  return `${/^\d{1,2}$/.test(grade) ? `${grade}年级` : gradeText}${number ? `(${number[1]})班` : classText}`;
}

function rosterRow(line: number, at: (field: RosterField) => Cell | undefined, file: { pupilsOnly: boolean; hash: (registration: string) => string }): RosterRow {
  const problems: RosterProblem[] = [];
  const text = (f: RosterField) => cellText(at(f));
  const problem = (column: RosterField, key: string, value?: string) => problems.push({ column, key: `roster:problems.${key}`, params: value === undefined ? {} : { value } });

  const realName = text("realName").replace(/\s+/g, " ");
  if (!realName) problem("realName", "nameMissing");
  else if (realName.length > 50) problem("realName", "nameTooLong");

  const roleText = text("role");
  const role = file.pupilsOnly ? "student" : (ROLE_WORDS.get(fold(roleText)) ?? null);
  if (!file.pupilsOnly && !roleText) problem("role", "roleMissing");
  else if (!role) problem("role", "badRole", roleText);

  const loginText = text("loginName");
  const loginName = loginText ? normalizeLoginName(loginText) : null;
  if (loginName && !LOGIN_NAME.test(loginName)) problem("loginName", "badLoginName", loginText);

  const className = joinedClassName(text("grade"), text("className")) || null;
  if (role === "student" && !className) problem("className", "classMissing");

  const numberText = text("studentNumber").normalize("NFKC");
  const studentNumber = role === "student" && numberText ? numberText : null;
  if (studentNumber && !STUDENT_NUMBER.test(studentNumber)) problem("studentNumber", "badStudentNumber", numberText);
  const registrationText = foldRegistration(text("registrationNumber"));
  // The number itself is never echoed back, not even in a problem: only "this row's 学籍号".
  if (registrationText && !REGISTRATION.test(registrationText)) problem("registrationNumber", "badRegistration");
  const registrationHash = role === "student" && REGISTRATION.test(registrationText) ? file.hash(registrationText) : null;
  const idText = text("idNumber");
  // Login names show up in URLs, slips and logs: a number that identifies the child must not be in one.
  if (loginName && LOGIN_NAME.test(loginName) && holdsIdentityNumber(loginName, [numberText, registrationText, registrationText.replace(/^[A-Z]+/, ""), idText])) {
    problem("loginName", "loginHasNumber", loginText);
  }

  const birthCell = at("birthDate");
  let birth = parseBirthDate(typeof birthCell === "string" ? birthCell.trim() : birthCell);
  if (birth === undefined) problem("birthDate", "badDate", text("birthDate"));
  // The ID number only fills a blank birth date; it is not kept anywhere, not even in the preview.
  const fromId = birth === null && idText ? birthDateFromIdNumber(idText) : null;
  if (fromId) birth = fromId;

  const genderText = text("gender");
  const gender = genderText ? (GENDER_WORDS.get(fold(genderText)) ?? null) : null;
  if (genderText && !gender) problem("gender", "badGender", genderText);

  const guardians: RosterRow["guardians"] = [];
  for (const n of [1, 2] as const) {
    const name = text(`guardian${n}Name`).replace(/\s+/g, " ");
    const relation = text(`guardian${n}Relation`).slice(0, 20) || null;
    const phoneText = text(`guardian${n}Phone`);
    const phone = phoneText ? normalizePhone(phoneText) : null;
    if (phone && !PHONE.test(phone)) problem(`guardian${n}Phone`, "badPhone", phoneText);
    if (!name && phone) problem(`guardian${n}Name`, "guardianNameMissing");
    else if (name.length > 50) problem(`guardian${n}Name`, "nameTooLong");
    if (name) guardians.push({ name, phone, relation });
  }

  return {
    line,
    realName,
    role,
    loginName,
    className,
    studentNumber,
    registrationHash,
    birthDate: role === "student" ? (birth ?? null) : null,
    birthFromId: role === "student" && Boolean(fromId),
    gender,
    guardians: role === "student" ? guardians : [],
    problems,
  };
}

function personKey(realName: string, role: RosterRole, birthDate: string | null): string {
  return `${realName.normalize("NFKC").replace(/[\s·•‧・]+/gu, "")}|${role}|${birthDate ?? ""}`;
}

// ── Planning against the school as it is now ─────────────────────────────────────────────────

type ExistingPerson = {
  id: string;
  loginName: string;
  realName: string;
  birthDate: string | null;
  gender: "female" | "male" | null;
  studentNumber: string | null;
  registrationHash: string | null;
  status: string;
  roles: Set<string>;
  studentClassIds: Set<string>;
  teacherClassIds: Set<string>;
  guardians: Map<string, { phone: string | null; relation: string | null }>;
};

type Plan = { rows: RosterRow[]; summary: RosterSummary; matches: Map<number, ExistingPerson>; classIds: Map<number, string | null>; classNames: Map<string, string> };

/**
 * Matches each row to a person of the school (by login name, else student number, else real name +
 * role + birth date), finds classes, flags conflicts with the database, says what importing would do
 * to each row, and plans login names for new people. Reads only; run inside the import's
 * transaction it is the final word.
 */
async function planRoster(school: School, input: RosterRow[], answers: Record<string, SamePersonAnswer> = {}, now = Date.now()): Promise<Plan> {
  // Problems found against the database are recomputed each time; the file's own stay.
  const rows: RosterRow[] = input.map((r) => ({ ...r, outcome: undefined, plannedLogin: undefined, changes: undefined, problems: r.problems.filter((p) => !DB_PROBLEMS.has(p.key)) }));
  const d = db();

  const classes = await d
      .select({ id: schema.classes.id, name: schema.classes.name, year: schema.classes.year })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)));
  // Only this school year's classes take pupils: last year's 五年级（2）班 is this year's 六年级.
  const year = currentSchoolYear(now);
  const classByName = new Map(classes.filter((c) => c.year === year).map((c) => [normalizeClassName(c.name), c.id]));
  const classNames = new Map(classes.map((c) => [c.id, c.name]));
  const schoolClassIds = new Set(classes.map((c) => c.id));

  const people = new Map<string, ExistingPerson>();
  for (const u of await d.select().from(schema.users).where(eq(schema.users.schoolId, school.id))) {
    people.set(u.id, {
      id: u.id,
      loginName: u.loginName,
      realName: u.realName,
      birthDate: u.birthDate,
      gender: u.gender,
      studentNumber: u.studentNumber,
      registrationHash: u.registrationHash,
      status: u.status,
      roles: new Set(),
      studentClassIds: new Set(),
      teacherClassIds: new Set(),
      guardians: new Map(),
    });
  }
  for (const r of await d.select({ userId: schema.userRoles.userId, role: schema.userRoles.role }).from(schema.userRoles).where(eq(schema.userRoles.schoolId, school.id))) {
    people.get(r.userId)?.roles.add(r.role);
  }
  if (classes.length) {
    for (const m of await d.select().from(schema.classMemberships).where(inArray(schema.classMemberships.classId, [...schoolClassIds]))) {
      const p = people.get(m.userId);
      if (p) (m.role === "student" ? p.studentClassIds : p.teacherClassIds).add(m.classId);
    }
  }
  for (const g of await d
      .select({ studentId: schema.guardianContacts.studentId, name: schema.guardianContacts.name, phone: schema.guardianContacts.phone, relation: schema.guardianContacts.relation })
      .from(schema.guardianContacts)
      .innerJoin(schema.users, eq(schema.users.id, schema.guardianContacts.studentId))
      .where(eq(schema.users.schoolId, school.id))) {
    people.get(g.studentId)?.guardians.set(g.name, { phone: g.phone, relation: g.relation });
  }
  const byLogin = new Map([...people.values()].map((p) => [p.loginName, p]));
  const byNumber = new Map([...people.values()].filter((p) => p.studentNumber).map((p) => [p.studentNumber!, p]));
  const byRegistration = new Map([...people.values()].filter((p) => p.registrationHash).map((p) => [p.registrationHash!, p]));
  const byPerson = new Map<string, ExistingPerson[]>();
  for (const p of people.values()) {
    for (const role of ["teacher", "student"] as const) {
      if (!p.roles.has(role)) continue;
      const key = personKey(p.realName, role, role === "student" ? p.birthDate : null);
      byPerson.set(key, [...(byPerson.get(key) ?? []), p]);
    }
  }

  // Login names held anywhere on the platform, to refuse ones taken by another school's person and to
  // generate free ones.
  const prefix = loginPrefixOf(school);
  const givenLogins = [...new Set(rows.map((r) => r.loginName).filter((l): l is string => Boolean(l)))];
  const elsewhere = new Set<string>();
  for (let i = 0; i < givenLogins.length; i += 500) {
    for (const u of await d
          .select({ loginName: schema.users.loginName, schoolId: schema.users.schoolId })
          .from(schema.users)
          .where(inArray(schema.users.loginName, givenLogins.slice(i, i + 500)))) {
      if (u.schoolId !== school.id) elsewhere.add(u.loginName);
    }
  }
  const taken = new Set(
    (await d
            .select({ loginName: schema.users.loginName })
            .from(schema.users)
            .where(like(schema.users.loginName, `${prefix}.%`)))
      .map((u) => u.loginName),
  );
  for (const l of givenLogins) taken.add(l);

  const matches = new Map<number, ExistingPerson>();
  const classIds = new Map<number, string | null>();
  const claimed = new Map<string, number>();
  for (const row of rows) {
    const problem = (column: RosterField | null, key: string, params: Record<string, string | number> = {}) => row.problems.push({ column, key: `roster:problems.${key}`, params });
    let classId: string | null = null;
    if (row.sameAs !== undefined && answers[row.line] === "one") {
      // The admin said this row is the same pupil as an earlier one: it is left out.
      row.outcome = "skipped";
      classIds.set(row.line, null);
      continue;
    }
    if (row.className) {
      classId = classByName.get(normalizeClassName(row.className)) ?? null;
      if (!classId) problem("className", "unknownClass", { value: row.className });
    }
    classIds.set(row.line, classId);
    if (!row.role) continue;

    let match: ExistingPerson | undefined;
    if (row.loginName) {
      if (elsewhere.has(row.loginName)) problem("loginName", "loginTaken", { value: row.loginName });
      match = byLogin.get(row.loginName);
    }
    if (!match && row.registrationHash) match = byRegistration.get(row.registrationHash);
    if (!match && row.studentNumber) {
      match = byNumber.get(row.studentNumber);
      if (match && row.loginName) problem("studentNumber", "studentNumberTaken", { value: row.studentNumber, login: match.loginName });
    }
    if (!match && !row.loginName && !row.studentNumber) {
      // A pupil with a 学籍号 may be one imported before the school had them, never one who has another.
      const candidates = (byPerson.get(personKey(row.realName, row.role, row.birthDate)) ?? []).filter((p) => !row.registrationHash || !p.registrationHash);
      if (candidates.length > 1) problem("realName", "ambiguousMatch", { value: row.realName });
      else match = candidates[0];
    }
    if (match) {
      const other: RosterRole = row.role === "teacher" ? "student" : "teacher";
      if (match.roles.has(other)) problem("role", "roleConflict", { login: match.loginName });
      if (row.studentNumber && match.studentNumber !== row.studentNumber && byNumber.get(row.studentNumber)) {
        problem("studentNumber", "studentNumberTaken", { value: row.studentNumber, login: byNumber.get(row.studentNumber)!.loginName });
      }
      const first = claimed.get(match.id);
      if (first !== undefined) problem("realName", "samePersonTwice", { line: first, login: match.loginName });
      else claimed.set(match.id, row.line);
      matches.set(row.line, match);
    } else if (row.studentNumber && byNumber.get(row.studentNumber)) {
      problem("studentNumber", "studentNumberTaken", { value: row.studentNumber, login: byNumber.get(row.studentNumber)!.loginName });
    }

    if (row.problems.length) continue;
    if (match) {
      row.plannedLogin = match.loginName;
      const changes = changesOf(row, match, classId, classNames);
      row.outcome = changes.length ? "updated" : "unchanged";
      if (changes.length) row.changes = changes;
    } else {
      row.outcome = "new";
      row.plannedLogin = row.loginName ?? nextLogin(prefix, row, taken);
      taken.add(row.plannedLogin);
    }
  }

  const summary: RosterSummary = {
    total: rows.length,
    new: rows.filter((r) => r.outcome === "new").length,
    updated: rows.filter((r) => r.outcome === "updated").length,
    unchanged: rows.filter((r) => r.outcome === "unchanged").length,
    skipped: rows.filter((r) => r.outcome === "skipped").length,
    withProblems: rows.filter((r) => r.problems.length).length,
    questions: rows.filter((r) => r.sameAs !== undefined && !answers[r.line]).length,
    teachers: rows.filter((r) => r.role === "teacher").length,
    students: rows.filter((r) => r.role === "student").length,
  };
  return { rows, summary, matches, classIds, classNames };
}

const DB_PROBLEMS = new Set(
  ["unknownClass", "loginTaken", "studentNumberTaken", "ambiguousMatch", "roleConflict", "samePersonTwice"].map((k) => `roster:problems.${k}`),
);

/** Generated login names never use the student number (issue 13): prefix, role letter, counter. */
function nextLogin(prefix: string, row: RosterRow, taken: Set<string>): string {
  return nextLoginName(prefix, row.role === "teacher" ? "t" : "s", taken, [row.studentNumber]);
}

/** What importing the row would change on the person it matched (empty: unchanged). */
function changesOf(row: RosterRow, p: ExistingPerson, classId: string | null, classNames: Map<string, string>): RosterChange[] {
  const changes: RosterChange[] = [];
  const change = (field: string, from: string | null, to: string | null, guardian?: string) => changes.push(guardian ? { field, from, to, guardian } : { field, from, to });
  if (row.realName !== p.realName) change("realName", p.realName, row.realName);
  if (!p.roles.has(row.role!)) change("role", null, row.role);
  if (row.gender && row.gender !== p.gender) change("gender", p.gender, row.gender);
  const className = (ids: Set<string>) => [...ids].map((id) => classNames.get(id) ?? "").join("、") || null;
  if (row.role === "student") {
    if (row.birthDate && row.birthDate !== p.birthDate) change("birthDate", p.birthDate, row.birthDate);
    // Numbers that identify the child are never shown: only that they change.
    if (row.studentNumber && row.studentNumber !== p.studentNumber) change("studentNumber", null, null);
    if (row.registrationHash && row.registrationHash !== p.registrationHash) change("registrationNumber", null, null);
    if (classId && (p.studentClassIds.size !== 1 || !p.studentClassIds.has(classId))) change("className", className(p.studentClassIds), classNames.get(classId) ?? null);
    if (row.guardians.length) {
      for (const g of row.guardians) {
        const had = p.guardians.get(g.name);
        if (!had) change("guardianAdded", null, null, g.name);
        else {
          if (had.phone !== g.phone) change("guardianPhone", null, null, g.name);
          if (g.relation && had.relation !== g.relation) change("guardianRelation", had.relation, g.relation, g.name);
        }
      }
      for (const name of p.guardians.keys()) if (!row.guardians.some((g) => g.name === name)) change("guardianRemoved", null, null, name);
    }
  } else if (classId && !p.teacherClassIds.has(classId)) change("className", null, classNames.get(classId) ?? null);
  return changes;
}

// ── Preview ────────────────────────────────────────────────────────────────────────────────────

/**
 * Reads and checks an uploaded roster and stores it as a preview. File-wide problems (empty, wrong
 * type or encoding, missing columns) are refused outright; row problems are kept for the preview.
 * Each upload also deletes previews that have expired, with the pupil data in them.
 */
export async function previewRoster(actor: Actor, upload: { fileName: string; bytes: Uint8Array }, now = Date.now()): Promise<{ importId: string; summary: RosterSummary }> {
  const school = await rosterSchool(actor);
  await sweepExpiredRosterPreviews(now);
  const cells = await readRosterCells(upload.bytes);
  const { rows: checked, file } = await readRosterTable(cells);
  const { rows, summary } = await planRoster(school, checked, {}, now);
  const importId = randomId();
  const stored: StoredSummary = { ...summary, file, answers: {} };
  await db().insert(schema.rosterImports)
      .values({
        id: importId,
        schoolId: school.id,
        uploadedBy: actor!.id,
        fileName: upload.fileName.slice(0, 200) || "roster",
        rowCount: rows.length,
        status: "preview",
        rows,
        summary: stored,
        createdAt: new Date(now),
      });
  return { importId, summary };
}

/** Deletes previews not imported within ROSTER_PREVIEW_DAYS, rows and all; returns how many. */
export async function sweepExpiredRosterPreviews(now = Date.now()): Promise<number> {
  const before = new Date(now - ROSTER_PREVIEW_DAYS * 86_400_000);
  return changedRows(db().delete(schema.rosterImports).where(and(ne(schema.rosterImports.status, "imported"), lt(schema.rosterImports.createdAt, before))));
}

export type PreviewFilter = "all" | "problems" | "new" | "updated" | "unchanged" | "skipped";
export const PREVIEW_FILTERS: PreviewFilter[] = ["all", "problems", "new", "updated", "unchanged", "skipped"];

export type RosterPreview = {
  id: string;
  fileName: string;
  status: "preview" | "imported" | "discarded";
  createdAt: Date;
  importedAt: Date | null;
  summary: RosterSummary;
  file: RosterFileReport | null;
  /** Classes the rows name that the school does not have this year, by how many pupils. */
  unknownClasses: { name: string; pupils: number }[];
  /** "Rows 12 and 40: two people or one?" */
  questions: { line: number; sameAs: number; realName: string; answer: SamePersonAnswer | null }[];
  counts: Record<PreviewFilter, number>;
  filter: PreviewFilter;
  page: number;
  pages: number;
  /** One page of the rows the filter selects. */
  rows: RosterRow[];
  problemRows: RosterRow[];
  sampleRows: RosterRow[];
};

async function ownImport(actor: Actor, importId: string) {
  const school = await rosterSchool(actor);
  const found = await first(db().select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId)).limit(1));
  // Another school's upload reads as one that does not exist.
  if (!found || found.schoolId !== school.id) throw new NotFoundError();
  return { school, found, stored: (found.summary ?? {}) as StoredSummary };
}

const inFilter = (filter: PreviewFilter) => (r: RosterRow) =>
  filter === "all" ? true : filter === "problems" ? r.problems.length > 0 : !r.problems.length && r.outcome === filter;

/** A stored preview: totals, what the file's header said, open questions, and a page of rows. */
export async function rosterPreview(actor: Actor, importId: string, { filter = "all", page = 1 }: { filter?: PreviewFilter; page?: number } = {}): Promise<RosterPreview> {
  const { found, stored } = await ownImport(actor, importId);
  const rows = found.rows as RosterRow[];
  const selected = rows.filter(inFilter(filter));
  const pages = Math.max(1, Math.ceil(selected.length / PREVIEW_PAGE_ROWS));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  const answers = stored.answers ?? {};
  const byLine = new Map(rows.map((r) => [r.line, r]));
  const { file, answers: _answers, ...summary } = stored;
  return {
    id: found.id,
    fileName: found.fileName,
    status: found.status,
    createdAt: found.createdAt,
    importedAt: found.importedAt,
    // Previews stored before skipped rows and questions existed lack their counts.
    summary: Object.assign({ skipped: 0, questions: 0 }, summary),
    file: file ?? null,
    unknownClasses: unknownClassesOf(rows),
    questions: rows
      .filter((r) => r.sameAs !== undefined)
      .map((r) => ({ line: r.line, sameAs: r.sameAs!, realName: byLine.get(r.sameAs!)?.realName ?? r.realName, answer: answers[r.line] ?? null })),
    counts: Object.fromEntries(PREVIEW_FILTERS.map((f) => [f, rows.filter(inFilter(f)).length])) as Record<PreviewFilter, number>,
    filter,
    page: current,
    pages,
    rows: selected.slice((current - 1) * PREVIEW_PAGE_ROWS, current * PREVIEW_PAGE_ROWS),
    problemRows: rows.filter((r) => r.problems.length),
    sampleRows: rows.filter((r) => !r.problems.length).slice(0, SAMPLE_ROWS),
  };
}

const UNKNOWN_CLASS = "roster:problems.unknownClass";

/** Rows naming a class the school lacks, grouped by the class (spellings of one class together). */
function unknownClassesOf(rows: RosterRow[]): { name: string; pupils: number }[] {
  const groups = new Map<string, { name: string; pupils: number }>();
  for (const r of rows) {
    if (!r.className || !r.problems.some((p) => p.key === UNKNOWN_CLASS)) continue;
    const key = normalizeClassName(r.className);
    const group = groups.get(key) ?? { name: r.className, pupils: 0 };
    group.pupils++;
    groups.set(key, group);
  }
  return [...groups.values()].sort((a, b) => byClassName.compare(a.name, b.name));
}

/** Stores a new plan of a preview's rows, keeping the file report and the admin's answers. */
async function replan(school: School, found: { id: string; rows: unknown[] }, stored: StoredSummary, answers = stored.answers ?? {}): Promise<Plan> {
  const plan = await planRoster(school, found.rows as RosterRow[], answers);
  await db().update(schema.rosterImports).set({ rows: plan.rows, summary: { ...plan.summary, file: stored.file, answers } }).where(eq(schema.rosterImports.id, found.id));
  return plan;
}

/**
 * The admin's answer to "rows 12 and 40: two people or one?": two imports both, one skips the later
 * row. Kept with the preview, which is planned again.
 */
export async function answerSamePerson(actor: Actor, importId: string, raw: { line: number | string; answer: string }): Promise<void> {
  const { school, found, stored } = await ownImport(actor, importId);
  if (found.status !== "preview") throw new ValidationError({}, "roster:problems.notPreview");
  const line = Number(raw.line);
  const row = (found.rows as RosterRow[]).find((r) => r.line === line);
  if (!row || row.sameAs === undefined) throw new ValidationError({}, "roster:questions.noSuchQuestion");
  if (raw.answer !== "one" && raw.answer !== "two") throw new ValidationError({}, "roster:questions.chooseAnswer");
  await replan(school, found, stored, { ...(stored.answers ?? {}), [line]: raw.answer });
}

/**
 * Creates, in one step, every class the preview's rows name that the school lacks this year (grade
 * and usual spelling from the name: "5年级(3)班" → grade 5, 五年级（3）班), then plans the preview
 * again. Names that do not say their grade are left for the admin to create by hand.
 */
export async function createMissingClasses(actor: Actor, importId: string, now = Date.now()): Promise<SchoolClass[]> {
  const { school, found, stored } = await ownImport(actor, importId);
  if (found.status !== "preview") throw new ValidationError({}, "roster:problems.notPreview");
  const year = currentSchoolYear(now);
  const wanted = unknownClassesOf(found.rows as RosterRow[])
    .map((c) => classFromName(c.name, school.stage))
    .filter((c): c is { grade: number; name: string } => Boolean(c));
  if (!wanted.length) return [];
  const created = await createClasses(actor, wanted.map((c) => ({ ...c, year })), { action: "roster.create_classes", targetType: "roster_import", targetId: importId });
  await replan(school, found, stored);
  return created;
}

/** The school's recent uploads, newest first, for the upload page. */
export async function recentRosterImports(actor: Actor, limit = 5) {
  const school = await rosterSchool(actor);
  return db()
      .select({ id: schema.rosterImports.id, fileName: schema.rosterImports.fileName, status: schema.rosterImports.status, rowCount: schema.rosterImports.rowCount, createdAt: schema.rosterImports.createdAt })
      .from(schema.rosterImports)
      .where(eq(schema.rosterImports.schoolId, school.id))
      .orderBy(desc(schema.rosterImports.createdAt))
      .limit(limit);
}

// ── Import ─────────────────────────────────────────────────────────────────────────────────────

export type Slip = { realName: string; className: string | null; loginName: string; code: string; expiresAt: Date };
export type SlipBatch = { school: { name: string; defaultLocale: Locale }; slips: Slip[] };
/** A pupil the import created, with the guardian contacts it stored for them (for parent link codes). */
export type ImportedStudent = { userId: string; line: number; guardianContactIds: string[] };
export type RosterImportResult = SlipBatch & { created: number; updated: number; unchanged: number; newStudents: ImportedStudent[] };

/**
 * Imports a previewed roster: all or nothing, in one immediate transaction. The plan is made again
 * inside it, so a login taken or a class archived since the preview stops the import instead of
 * half-applying it. Returns the new people's slips (in clear; slip-codes.server keeps sealed copies to print again).
 */
export async function importRoster(actor: Actor, importId: string, now = Date.now(), options: ImportOptions = {}): Promise<RosterImportResult> {
  const { school, stored } = await ownImport(actor, importId);
  if (stored.questions) throw new ValidationError({}, "roster:questions.unanswered", { n: stored.questions });
  const adminId = actor!.id;
  try {
    return await importInTransaction(school, adminId, importId, now, options);
  } catch (error) {
    // The transaction rolled back; store the fresh findings so the preview shows why.
    if (error instanceof RosterChangedError) await refreshRosterPreview(actor, importId);
    throw error;
  }
}

/** `guardianCodes`: pre-issue a parent link code per guardian row of the imported pupils (slips to print). */
export type ImportOptions = { guardianCodes?: boolean };

async function importInTransaction(school: School, adminId: string, importId: string, now: number, options: ImportOptions): Promise<RosterImportResult> {
  return db().transaction(
    async (tx) => {
      const found = (await first(tx.select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId)).limit(1)))!;
      if (found.status === "imported") throw new ValidationError({}, "roster:problems.alreadyImported");
      if (found.status !== "preview") throw new ValidationError({}, "roster:problems.notPreview");
      const stored = (found.summary ?? {}) as StoredSummary;
      const plan = await planRoster(school, found.rows as RosterRow[], stored.answers ?? {}, now);
      if (plan.summary.withProblems > 0 || plan.summary.questions > 0) throw new RosterChangedError();
      const at = new Date(now);
      const slips: Slip[] = [];
      const newStudents: ImportedStudent[] = [];
      const classNames = plan.classNames;
      const importedPupils: string[] = [];
      for (const row of plan.rows) {
        if (row.outcome === "skipped") continue;
        const role = row.role!;
        const classId = plan.classIds.get(row.line) ?? null;
        const existing = plan.matches.get(row.line);
        let userId: string;
        if (existing) {
          userId = existing.id;
          if (row.outcome === "unchanged") continue;
          await tx.update(schema.users)
                      .set({
                        realName: row.realName,
                        ...(row.gender ? { gender: row.gender } : {}),
                        ...(role === "student" && row.birthDate ? { birthDate: row.birthDate } : {}),
                        ...(role === "student" && row.studentNumber ? { studentNumber: row.studentNumber } : {}),
                        ...(role === "student" && row.registrationHash ? { registrationHash: row.registrationHash } : {}),
                      })
                      .where(eq(schema.users.id, userId));
        } else {
          userId = randomId();
          const loginName = row.plannedLogin!;
          await tx.insert(schema.users)
                      .values({
                        id: userId,
                        handle: await freeHandle(tx, loginName),
                        loginName,
                        realName: row.realName,
                        schoolId: school.id,
                        birthDate: row.birthDate,
                        gender: row.gender,
                        studentNumber: row.studentNumber,
                        registrationHash: row.registrationHash,
                        status: "provisioned",
                        createdAt: at,
                      });
        }
        await tx.insert(schema.userRoles).values({ userId, role, schoolId: school.id, createdAt: at }).onConflictDoNothing();
        if (role === "student") importedPupils.push(userId);
        if (classId && role === "student") {
          // A student belongs to one class of the school: moving them takes them out of the old one.
          const current = existing ? [...existing.studentClassIds] : [];
          const others = current.filter((c) => c !== classId);
          if (others.length) {
            await tx.delete(schema.classMemberships)
                          .where(and(eq(schema.classMemberships.userId, userId), inArray(schema.classMemberships.classId, others), eq(schema.classMemberships.role, "student")));
          }
          if (!current.includes(classId)) await tx.insert(schema.classMemberships).values({ classId, userId, role: "student", createdAt: at }).onConflictDoNothing();
        } else if (classId) {
          await tx.insert(schema.classMemberships).values({ classId, userId, role: "teacher", createdAt: at }).onConflictDoNothing();
        }
        const guardianContactIds: string[] = [];
        if (row.guardians.length) {
          const keep = row.guardians.map((g) => g.name);
          for (const name of existing ? [...existing.guardians.keys()].filter((n) => !keep.includes(n)) : []) {
            await tx.delete(schema.guardianContacts).where(and(eq(schema.guardianContacts.studentId, userId), eq(schema.guardianContacts.name, name)));
          }
          for (const g of row.guardians) {
            // A relation left blank in this file does not erase the one a school gave before.
            const set = g.relation ? { phone: g.phone, relation: g.relation } : { phone: g.phone };
            const contact = await only(tx
                          .insert(schema.guardianContacts)
                          .values({ id: randomId(), studentId: userId, name: g.name, phone: g.phone, relation: g.relation, createdAt: at })
                          .onConflictDoUpdate({ target: [schema.guardianContacts.studentId, schema.guardianContacts.name], set })
                          .returning({ id: schema.guardianContacts.id }));
            guardianContactIds.push(contact.id);
          }
        }
        if (!existing && role === "student") newStudents.push({ userId, line: row.line, guardianContactIds });
        if (!existing) {
          const { code, expiresAt } = await storeActivationCode(userId, adminId, now, tx, importId);
          slips.push({ realName: row.realName, className: classId ? (classNames.get(classId) ?? null) : null, loginName: row.plannedLogin!, code: formatActivationCode(code), expiresAt });
        }
      }
      if (options.guardianCodes) await issueGuardianCodesForImport(tx, { importId, schoolId: school.id, adminId, studentIds: importedPupils }, now);
      const counts = { created: plan.summary.new, updated: plan.summary.updated, unchanged: plan.summary.unchanged };
      await tx.update(schema.rosterImports)
              .set({ status: "imported", importedAt: at, rows: plan.rows, summary: { ...plan.summary, file: stored.file, answers: stored.answers } })
              .where(eq(schema.rosterImports.id, importId));
      await recordAudit({ actorId: adminId, action: "roster.import", targetType: "roster_import", targetId: importId, schoolId: school.id, detail: { ...counts, rows: plan.summary.total } }, tx);
      return { school: { name: school.name, defaultLocale: school.defaultLocale }, slips: sortSlips(slips), ...counts, newStudents };
    },
    { behavior: "immediate" },
  );
}

/** The school changed underneath the preview (a login taken, a class archived…): nothing was imported. */
export class RosterChangedError extends ValidationError {
  constructor() {
    super({}, "roster:problems.changedSincePreview");
  }
}

/** Re-checks a preview against the school as it is now and stores what was found (after a refused import). */
export async function refreshRosterPreview(actor: Actor, importId: string): Promise<void> {
  const { school, found, stored } = await ownImport(actor, importId);
  if (found.status !== "preview") return;
  await replan(school, found, stored);
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

async function freeHandle(tx: Tx, loginName: string): Promise<string> {
  const base = handleBase(loginName);
  let handle = base;
  while (await first(tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.handle, handle)).limit(1))) handle = handleVariant(base);
  return handle;
}

// One collator each: localeCompare with a locale builds a new one per call, which a 5,000-slip sort feels.
const byClassName = new Intl.Collator("zh-Hans");
const byLogin = new Intl.Collator("en", { numeric: true });

function sortSlips(slips: Slip[]): Slip[] {
  return slips.sort((a, b) => byClassName.compare(a.className ?? "", b.className ?? "") || byLogin.compare(a.loginName, b.loginName));
}

// ── Re-issuing slips ──────────────────────────────────────────────────────────────────────────

export type SlipTarget = { kind: "class"; classId: string } | { kind: "waiting" } | { kind: "person"; loginName: string };

export type SlipChoices = { classes: { id: string; name: string; waiting: number }[]; waiting: number };

/** What the re-issue form offers: the school's classes with how many have not activated yet. */
export async function slipChoices(actor: Actor): Promise<SlipChoices> {
  const school = await rosterSchool(actor);
  const waiting = await waitingPeople(school.id);
  const classes = await db()
      .select({ id: schema.classes.id, name: schema.classes.name })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
      .orderBy(schema.classes.grade, schema.classes.name);
  const members = classes.length
    ? await db().select().from(schema.classMemberships).where(inArray(schema.classMemberships.classId, classes.map((c) => c.id)))
    : [];
  const waitingIds = new Set(waiting.map((p) => p.id));
  return {
    classes: classes.map((c) => ({ ...c, waiting: members.filter((m) => m.classId === c.id && waitingIds.has(m.userId)).length })),
    waiting: waiting.length,
  };
}

async function waitingPeople(schoolId: string) {
  return db()
      .select({ id: schema.users.id, loginName: schema.users.loginName, realName: schema.users.realName })
      .from(schema.users)
      .where(and(eq(schema.users.schoolId, schoolId), eq(schema.users.status, "provisioned")));
}

/**
 * New codes for a class, for everyone not yet activated, or for one person; the old codes stop
 * working. Already-activated (and disabled) people get no slip. One transaction: all or none.
 */
export async function reissueSlips(actor: Actor, target: SlipTarget): Promise<SlipBatch> {
  const school = await rosterSchool(actor);
  let people: { id: string; loginName: string; realName: string }[];
  if (target.kind === "person") {
    const loginName = normalizeLoginName(target.loginName);
    if (!loginName) throw new ValidationError({ loginName: { key: "roster:slips.loginRequired" } });
    const user = await first(db().select().from(schema.users).where(eq(schema.users.loginName, loginName)).limit(1));
    if (!user || user.schoolId !== school.id) throw new ValidationError({ loginName: { key: "roster:slips.personNotFound", params: { login: loginName } } });
    if (user.status !== "provisioned") throw new ValidationError({ loginName: { key: "roster:slips.alreadyActive", params: { login: loginName } } });
    people = [user];
  } else if (target.kind === "class") {
    const klass = await first(db().select().from(schema.classes).where(eq(schema.classes.id, target.classId)).limit(1));
    if (!klass || klass.schoolId !== school.id) throw new ValidationError({ classId: { key: "roster:slips.chooseClass" } });
    const ids = new Set((await db().select({ userId: schema.classMemberships.userId }).from(schema.classMemberships).where(eq(schema.classMemberships.classId, klass.id))).map((m) => m.userId));
    people = (await waitingPeople(school.id)).filter((p) => ids.has(p.id));
  } else {
    people = await waitingPeople(school.id);
  }
  const classOf = await studentClassNames(people.map((p) => p.id));
  const codes = await reissueActivationCodes(actor, people.map((p) => p.id));
  const slips = people.map((p) => {
    const { code, expiresAt } = codes.get(p.id)!;
    return { realName: p.realName, className: classOf.get(p.id) ?? null, loginName: p.loginName, code: formatActivationCode(code), expiresAt };
  });
  return { school: { name: school.name, defaultLocale: school.defaultLocale }, slips: sortSlips(slips) };
}

/** Each person's class for the slip: a student's own class, else the first class a teacher teaches. */
async function studentClassNames(userIds: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await db()
          .select({ userId: schema.classMemberships.userId, role: schema.classMemberships.role, name: schema.classes.name })
          .from(schema.classMemberships)
          .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
          .where(and(inArray(schema.classMemberships.userId, userIds.slice(i, i + 500)), isNull(schema.classes.archivedAt)))
          .orderBy(desc(schema.classMemberships.role), schema.classes.grade);
    for (const r of rows) if (!names.has(r.userId) || r.role === "student") names.set(r.userId, r.name);
  }
  return names;
}

// ── Login names retired for holding an identity number ───────────────────────────────────────

export type RenamedLogin = { realName: string; className: string | null; loginName: string; activated: boolean };

/**
 * The school's people whose login name was replaced because it held a student or ID number, with the
 * new name, while the old one still signs them in: the admin tells them (only a hash of the old name is
 * kept, so it cannot be shown).
 */
export async function renamedLogins(actor: Actor, now = Date.now()): Promise<RenamedLogin[]> {
  const school = await rosterSchool(actor);
  const people = await db()
      .selectDistinct({ id: schema.users.id, realName: schema.users.realName, loginName: schema.users.loginName, status: schema.users.status })
      .from(schema.retiredLogins)
      .innerJoin(schema.users, eq(schema.users.id, schema.retiredLogins.userId))
      .where(and(eq(schema.users.schoolId, school.id), gt(schema.retiredLogins.expiresAt, new Date(now))));
  const classOf = await studentClassNames(people.map((p) => p.id));
  const renamed = people.map((p) => ({ realName: p.realName, className: classOf.get(p.id) ?? null, loginName: p.loginName, activated: p.status === "active" }));
  return renamed.sort((a, b) => byClassName.compare(a.className ?? "", b.className ?? "") || byLogin.compare(a.loginName, b.loginName));
}

// ── Template ───────────────────────────────────────────────────────────────────────────────────

/** Example class names for the template: the school's own, so the example rows would import. */
export async function templateClassNames(actor: Actor): Promise<string[]> {
  const school = await rosterSchool(actor);
  return (await db()
      .select({ name: schema.classes.name })
      .from(schema.classes)
      .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
      .orderBy(schema.classes.grade, schema.classes.name)
      .limit(2))
    .map((c) => c.name);
}
