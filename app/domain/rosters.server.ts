// School rosters → real-name accounts. A school admin uploads a CSV or XLSX roster; it is parsed and
// checked into a preview (nothing written but the preview itself), and importing it writes every
// account, class membership, guardian contact and activation code in one transaction, or nothing.
// Activation slips carry the codes in clear; besides the hash only a sealed copy is kept, for printing
// them again until used (slip-codes.server).
import Papa from "papaparse";
import { readSheet } from "read-excel-file/node";
import { and, desc, eq, gt, inArray, isNull, like } from "drizzle-orm";
import { db, schema } from "#db/client";
import { handleFromLogin, holdsIdentityNumber, loginPrefixOf, nextLoginName } from "#db/login-names.mjs";
import type { Locale } from "#db/schema";
import boRoster from "../../locales/bo/roster.json";
import enRoster from "../../locales/en/roster.json";
import iiRoster from "../../locales/ii/roster.json";
import zhRoster from "../../locales/zh-Hans/roster.json";
import { formatActivationCode, normalizeLoginName, reissueActivationCodes, storeActivationCode } from "./accounts.server";
import { issueGuardianCodesForImport } from "./guardian-links.server";
import { requireActingAs, type Actor } from "./actor.server";
import { recordAudit } from "./audit.server";
import { ForbiddenError, NotFoundError, ValidationError } from "./errors.server";
import { randomId } from "./ids.server";
import { findSchool, type School } from "./schools.server";

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
  "studentNumber",
  "birthDate",
  "gender",
  "guardian1Name",
  "guardian1Phone",
  "guardian2Name",
  "guardian2Phone",
] as const;
export type RosterField = (typeof ROSTER_FIELDS)[number];

/** Whether a column must be present: always, only when the file lists students, or never. */
export const ROSTER_REQUIRED: Record<RosterField, "always" | "students" | "no"> = {
  realName: "always",
  role: "always",
  loginName: "no",
  className: "students",
  studentNumber: "no",
  birthDate: "no",
  gender: "no",
  guardian1Name: "no",
  guardian1Phone: "no",
  guardian2Name: "no",
  guardian2Phone: "no",
};

export type RosterRole = "teacher" | "student";
export type RosterProblem = { column: RosterField | null; key: string; params?: Record<string, string | number> };
export type RosterOutcome = "new" | "updated" | "unchanged";

/** One data row as normalised from the file, with what the check found and what importing will do. */
export type RosterRow = {
  /** Row number as the spreadsheet shows it (the header is row 1). */
  line: number;
  realName: string;
  role: RosterRole | null;
  loginName: string | null;
  className: string | null;
  studentNumber: string | null;
  birthDate: string | null;
  gender: "female" | "male" | null;
  guardians: { name: string; phone: string | null }[];
  problems: RosterProblem[];
  outcome?: RosterOutcome;
  /** The login the person has or will get (generated ones may still change at import time). */
  plannedLogin?: string;
};

export type RosterSummary = { total: number; new: number; updated: number; unchanged: number; withProblems: number; teachers: number; students: number };

// ── Who may ────────────────────────────────────────────────────────────────────────────────────

/**
 * The school the actor administers as its school admin. Region and platform admins may manage a
 * school elsewhere, but rosters and slips carry minors' data and codes: only the school's own admin.
 */
export function rosterSchool(actor: Actor): School {
  const { grant } = requireActingAs(actor, "school_admin");
  const school = grant.schoolId ? findSchool(grant.schoolId) : undefined;
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
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: "greedy" });
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
  className: ["班级", "班级名称", "所在班级", "班", "class", "class name"],
  studentNumber: ["学号", "校内学号", "学生编号", "student number", "student no", "student no.", "number"],
  birthDate: ["出生日期", "生日", "出生年月日", "出生年月", "birth date", "date of birth", "birthday", "dob"],
  gender: ["性别", "gender", "sex"],
  guardian1Name: ["监护人1姓名", "监护人一姓名", "家长1姓名", "家长姓名", "监护人姓名", "guardian 1 name", "guardian name"],
  guardian1Phone: ["监护人1电话", "监护人一电话", "监护人1手机", "家长1电话", "家长1手机", "家长电话", "家长手机", "监护人电话", "guardian 1 phone", "guardian phone"],
  guardian2Name: ["监护人2姓名", "监护人二姓名", "家长2姓名", "guardian 2 name"],
  guardian2Phone: ["监护人2电话", "监护人二电话", "监护人2手机", "家长2电话", "家长2手机", "guardian 2 phone"],
};

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

const foldClass = (s: string) => s.normalize("NFKC").replace(/\s+/g, "");

// ── Parse + validate into rows ────────────────────────────────────────────────────────────────

/** The file's data rows, each checked on its own and against the rest of the file. */
export function rosterRowsFromCells(cells: Cell[][]): RosterRow[] {
  const headerAt = cells.findIndex((row) => row.some((c) => cellText(c) !== ""));
  if (headerAt < 0) throw new ValidationError({}, "roster:problems.emptyFile");
  const columns = new Map<RosterField, number>();
  cells[headerAt]!.forEach((c, i) => {
    const field = headerField(cellText(c));
    if (field && !columns.has(field)) columns.set(field, i);
  });
  const dataRows = cells.slice(headerAt + 1).map((row, i) => ({ row, line: headerAt + i + 2 })).filter(({ row }) => row.some((c) => cellText(c) !== ""));

  const at = (row: Cell[], field: RosterField) => {
    const i = columns.get(field);
    return i === undefined ? undefined : row[i];
  };
  const missing = ROSTER_FIELDS.filter((f) => ROSTER_REQUIRED[f] === "always" && !columns.has(f));
  const listsStudents = columns.has("role") && dataRows.some(({ row }) => ROLE_WORDS.get(fold(cellText(at(row, "role")))) === "student");
  if (listsStudents && !columns.has("className")) missing.push("className");
  if (missing.length) throw new ValidationError({}, "roster:problems.missingColumns", { columns: missing });
  if (dataRows.length === 0) throw new ValidationError({}, "roster:problems.noRows");
  if (dataRows.length > ROSTER_MAX_ROWS) throw new ValidationError({}, "roster:problems.tooManyRows", { max: ROSTER_MAX_ROWS });

  const rows = dataRows.map(({ row, line }) => rosterRow(line, (f) => at(row, f)));

  // Duplicates within the file: the later row is the one to fix.
  const seen = { login: new Map<string, number>(), number: new Map<string, number>(), person: new Map<string, number>() };
  for (const row of rows) {
    const once = (map: Map<string, number>, key: string | null, column: RosterField, problem: string) => {
      if (!key) return;
      const first = map.get(key);
      if (first === undefined) map.set(key, row.line);
      else row.problems.push({ column, key: problem, params: { line: first } });
    };
    once(seen.login, row.loginName, "loginName", "roster:problems.duplicateLogin");
    if (row.role === "student") once(seen.number, row.studentNumber, "studentNumber", "roster:problems.duplicateStudentNumber");
    if (!row.loginName && !row.studentNumber && row.role) once(seen.person, personKey(row.realName, row.role, row.birthDate), "realName", "roster:problems.duplicatePerson");
  }
  return rows;
}

function rosterRow(line: number, at: (field: RosterField) => Cell | undefined): RosterRow {
  const problems: RosterProblem[] = [];
  const text = (f: RosterField) => cellText(at(f));
  const problem = (column: RosterField, key: string, value?: string) => problems.push({ column, key: `roster:problems.${key}`, params: value === undefined ? {} : { value } });

  const realName = text("realName").replace(/\s+/g, " ");
  if (!realName) problem("realName", "nameMissing");
  else if (realName.length > 50) problem("realName", "nameTooLong");

  const roleText = text("role");
  const role = ROLE_WORDS.get(fold(roleText)) ?? null;
  if (!roleText) problem("role", "roleMissing");
  else if (!role) problem("role", "badRole", roleText);

  const loginText = text("loginName");
  const loginName = loginText ? normalizeLoginName(loginText) : null;
  if (loginName && !LOGIN_NAME.test(loginName)) problem("loginName", "badLoginName", loginText);

  const className = text("className") || null;
  if (role === "student" && !className) problem("className", "classMissing");

  const numberText = text("studentNumber").normalize("NFKC");
  const studentNumber = role === "student" && numberText ? numberText : null;
  if (studentNumber && !STUDENT_NUMBER.test(studentNumber)) problem("studentNumber", "badStudentNumber", numberText);
  // Login names show up in URLs, slips and logs: a number that identifies the child must not be in one.
  if (loginName && LOGIN_NAME.test(loginName) && holdsIdentityNumber(loginName, [numberText])) problem("loginName", "loginHasNumber", loginText);

  const birthCell = at("birthDate");
  const birth = parseBirthDate(typeof birthCell === "string" ? birthCell.trim() : birthCell);
  if (birth === undefined) problem("birthDate", "badDate", text("birthDate"));

  const genderText = text("gender");
  const gender = genderText ? (GENDER_WORDS.get(fold(genderText)) ?? null) : null;
  if (genderText && !gender) problem("gender", "badGender", genderText);

  const guardians: RosterRow["guardians"] = [];
  for (const n of [1, 2] as const) {
    const name = text(`guardian${n}Name`).replace(/\s+/g, " ");
    const phoneText = text(`guardian${n}Phone`);
    const phone = phoneText ? normalizePhone(phoneText) : null;
    if (phone && !PHONE.test(phone)) problem(`guardian${n}Phone`, "badPhone", phoneText);
    if (!name && phone) problem(`guardian${n}Name`, "guardianNameMissing");
    else if (name.length > 50) problem(`guardian${n}Name`, "nameTooLong");
    if (name) guardians.push({ name, phone });
  }

  return {
    line,
    realName,
    role,
    loginName,
    className,
    studentNumber,
    birthDate: role === "student" ? (birth ?? null) : null,
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
  status: string;
  roles: Set<string>;
  studentClassIds: Set<string>;
  teacherClassIds: Set<string>;
  guardians: Map<string, string | null>;
};

type Plan = { rows: RosterRow[]; summary: RosterSummary; matches: Map<number, ExistingPerson>; classIds: Map<number, string | null> };

/**
 * Matches each row to a person of the school (by login name, else student number, else real name +
 * role + birth date), finds classes, flags conflicts with the database, says what importing would do
 * to each row, and plans login names for new people. Reads only; run inside the import's
 * transaction it is the final word.
 */
function planRoster(school: School, input: RosterRow[]): Plan {
  // Problems found against the database are recomputed each time; the file's own stay.
  const rows: RosterRow[] = input.map((r) => ({ ...r, outcome: undefined, plannedLogin: undefined, problems: r.problems.filter((p) => !DB_PROBLEMS.has(p.key)) }));
  const d = db();

  const classes = d
    .select({ id: schema.classes.id, name: schema.classes.name })
    .from(schema.classes)
    .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
    .all();
  const classByName = new Map(classes.map((c) => [foldClass(c.name), c.id]));
  const schoolClassIds = new Set(classes.map((c) => c.id));

  const people = new Map<string, ExistingPerson>();
  for (const u of d.select().from(schema.users).where(eq(schema.users.schoolId, school.id)).all()) {
    people.set(u.id, {
      id: u.id,
      loginName: u.loginName,
      realName: u.realName,
      birthDate: u.birthDate,
      gender: u.gender,
      studentNumber: u.studentNumber,
      status: u.status,
      roles: new Set(),
      studentClassIds: new Set(),
      teacherClassIds: new Set(),
      guardians: new Map(),
    });
  }
  for (const r of d.select({ userId: schema.userRoles.userId, role: schema.userRoles.role }).from(schema.userRoles).where(eq(schema.userRoles.schoolId, school.id)).all()) {
    people.get(r.userId)?.roles.add(r.role);
  }
  if (classes.length) {
    for (const m of d.select().from(schema.classMemberships).where(inArray(schema.classMemberships.classId, [...schoolClassIds])).all()) {
      const p = people.get(m.userId);
      if (p) (m.role === "student" ? p.studentClassIds : p.teacherClassIds).add(m.classId);
    }
  }
  for (const g of d
    .select({ studentId: schema.guardianContacts.studentId, name: schema.guardianContacts.name, phone: schema.guardianContacts.phone })
    .from(schema.guardianContacts)
    .innerJoin(schema.users, eq(schema.users.id, schema.guardianContacts.studentId))
    .where(eq(schema.users.schoolId, school.id))
    .all()) {
    people.get(g.studentId)?.guardians.set(g.name, g.phone);
  }
  const byLogin = new Map([...people.values()].map((p) => [p.loginName, p]));
  const byNumber = new Map([...people.values()].filter((p) => p.studentNumber).map((p) => [p.studentNumber!, p]));
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
    for (const u of d
      .select({ loginName: schema.users.loginName, schoolId: schema.users.schoolId })
      .from(schema.users)
      .where(inArray(schema.users.loginName, givenLogins.slice(i, i + 500)))
      .all()) {
      if (u.schoolId !== school.id) elsewhere.add(u.loginName);
    }
  }
  const taken = new Set(
    d
      .select({ loginName: schema.users.loginName })
      .from(schema.users)
      .where(like(schema.users.loginName, `${prefix}.%`))
      .all()
      .map((u) => u.loginName),
  );
  for (const l of givenLogins) taken.add(l);

  const matches = new Map<number, ExistingPerson>();
  const classIds = new Map<number, string | null>();
  const claimed = new Map<string, number>();
  for (const row of rows) {
    const problem = (column: RosterField | null, key: string, params: Record<string, string | number> = {}) => row.problems.push({ column, key: `roster:problems.${key}`, params });
    let classId: string | null = null;
    if (row.className) {
      classId = classByName.get(foldClass(row.className)) ?? null;
      if (!classId) problem("className", "unknownClass", { value: row.className });
    }
    classIds.set(row.line, classId);
    if (!row.role) continue;

    let match: ExistingPerson | undefined;
    if (row.loginName) {
      if (elsewhere.has(row.loginName)) problem("loginName", "loginTaken", { value: row.loginName });
      match = byLogin.get(row.loginName);
    }
    if (!match && row.studentNumber) {
      match = byNumber.get(row.studentNumber);
      if (match && row.loginName) problem("studentNumber", "studentNumberTaken", { value: row.studentNumber, login: match.loginName });
    }
    if (!match && !row.loginName && !row.studentNumber) {
      const candidates = byPerson.get(personKey(row.realName, row.role, row.birthDate)) ?? [];
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
      row.outcome = changesFor(row, match, classId) ? "updated" : "unchanged";
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
    withProblems: rows.filter((r) => r.problems.length).length,
    teachers: rows.filter((r) => r.role === "teacher").length,
    students: rows.filter((r) => r.role === "student").length,
  };
  return { rows, summary, matches, classIds };
}

const DB_PROBLEMS = new Set(
  ["unknownClass", "loginTaken", "studentNumberTaken", "ambiguousMatch", "roleConflict", "samePersonTwice"].map((k) => `roster:problems.${k}`),
);

/** Generated login names never use the student number (issue 13): prefix, role letter, counter. */
function nextLogin(prefix: string, row: RosterRow, taken: Set<string>): string {
  return nextLoginName(prefix, row.role === "teacher" ? "t" : "s", taken, [row.studentNumber]);
}

function changesFor(row: RosterRow, p: ExistingPerson, classId: string | null): boolean {
  if (row.realName !== p.realName) return true;
  if (!p.roles.has(row.role!)) return true;
  if (row.gender && row.gender !== p.gender) return true;
  if (row.role === "student") {
    if (row.birthDate && row.birthDate !== p.birthDate) return true;
    if (row.studentNumber && row.studentNumber !== p.studentNumber) return true;
    if (classId && (p.studentClassIds.size !== 1 || !p.studentClassIds.has(classId))) return true;
    if (row.guardians.length) {
      if (row.guardians.length !== p.guardians.size) return true;
      if (row.guardians.some((g) => !p.guardians.has(g.name) || p.guardians.get(g.name) !== g.phone)) return true;
    }
  } else if (classId && !p.teacherClassIds.has(classId)) return true;
  return false;
}

// ── Preview ────────────────────────────────────────────────────────────────────────────────────

/**
 * Reads and checks an uploaded roster and stores it as a preview. File-wide problems (empty, wrong
 * type or encoding, missing columns) are refused outright; row problems are kept for the preview.
 */
export async function previewRoster(actor: Actor, upload: { fileName: string; bytes: Uint8Array }, now = Date.now()): Promise<{ importId: string; summary: RosterSummary }> {
  const school = rosterSchool(actor);
  const cells = await readRosterCells(upload.bytes);
  const checked = rosterRowsFromCells(cells);
  const { rows, summary } = planRoster(school, checked);
  const importId = randomId();
  db().insert(schema.rosterImports)
    .values({
      id: importId,
      schoolId: school.id,
      uploadedBy: actor!.id,
      fileName: upload.fileName.slice(0, 200) || "roster",
      rowCount: rows.length,
      status: "preview",
      rows,
      summary,
      createdAt: new Date(now),
    })
    .run();
  return { importId, summary };
}

export type RosterPreview = {
  id: string;
  fileName: string;
  status: "preview" | "imported" | "discarded";
  createdAt: Date;
  importedAt: Date | null;
  summary: RosterSummary;
  problemRows: RosterRow[];
  sampleRows: RosterRow[];
};

function ownImport(actor: Actor, importId: string) {
  const school = rosterSchool(actor);
  const found = db().select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId)).get();
  if (!found) throw new NotFoundError();
  if (found.schoolId !== school.id) throw new ForbiddenError();
  return { school, found };
}

/** A stored preview: totals, every row with a problem, and the first rows that are fine. */
export function rosterPreview(actor: Actor, importId: string): RosterPreview {
  const { found } = ownImport(actor, importId);
  const rows = found.rows as RosterRow[];
  return {
    id: found.id,
    fileName: found.fileName,
    status: found.status,
    createdAt: found.createdAt,
    importedAt: found.importedAt,
    summary: found.summary as RosterSummary,
    problemRows: rows.filter((r) => r.problems.length),
    sampleRows: rows.filter((r) => !r.problems.length).slice(0, SAMPLE_ROWS),
  };
}

/** The school's recent uploads, newest first, for the upload page. */
export function recentRosterImports(actor: Actor, limit = 5) {
  const school = rosterSchool(actor);
  return db()
    .select({ id: schema.rosterImports.id, fileName: schema.rosterImports.fileName, status: schema.rosterImports.status, rowCount: schema.rosterImports.rowCount, createdAt: schema.rosterImports.createdAt })
    .from(schema.rosterImports)
    .where(eq(schema.rosterImports.schoolId, school.id))
    .orderBy(desc(schema.rosterImports.createdAt))
    .limit(limit)
    .all();
}

// ── Import ─────────────────────────────────────────────────────────────────────────────────────

export type Slip = { realName: string; className: string | null; loginName: string; code: string; expiresAt: Date };
export type SlipBatch = { school: { name: string; defaultLocale: Locale }; slips: Slip[] };
export type RosterImportResult = SlipBatch & { created: number; updated: number; unchanged: number };

/**
 * Imports a previewed roster: all or nothing, in one immediate transaction. The plan is made again
 * inside it, so a login taken or a class archived since the preview stops the import instead of
 * half-applying it. Returns the new people's slips (in clear; slip-codes.server keeps sealed copies to print again).
 */
export function importRoster(actor: Actor, importId: string, now = Date.now(), options: ImportOptions = {}): RosterImportResult {
  const { school } = ownImport(actor, importId);
  const adminId = actor!.id;
  try {
    return importInTransaction(school, adminId, importId, now, options);
  } catch (error) {
    // The transaction rolled back; store the fresh findings so the preview shows why.
    if (error instanceof RosterChangedError) refreshRosterPreview(actor, importId);
    throw error;
  }
}

/** `guardianCodes`: pre-issue a parent link code per guardian row of the imported pupils (slips to print). */
export type ImportOptions = { guardianCodes?: boolean };

function importInTransaction(school: School, adminId: string, importId: string, now: number, options: ImportOptions): RosterImportResult {
  return db().transaction(
    (tx) => {
      const found = tx.select().from(schema.rosterImports).where(eq(schema.rosterImports.id, importId)).get()!;
      if (found.status === "imported") throw new ValidationError({}, "roster:problems.alreadyImported");
      if (found.status !== "preview") throw new ValidationError({}, "roster:problems.notPreview");
      const plan = planRoster(school, found.rows as RosterRow[]);
      if (plan.summary.withProblems > 0) throw new RosterChangedError();
      const at = new Date(now);
      const slips: Slip[] = [];
      const importedPupils: string[] = [];
      const classNames = new Map(
        tx.select({ id: schema.classes.id, name: schema.classes.name }).from(schema.classes).where(eq(schema.classes.schoolId, school.id)).all().map((c) => [c.id, c.name]),
      );
      for (const row of plan.rows) {
        const role = row.role!;
        const classId = plan.classIds.get(row.line) ?? null;
        const existing = plan.matches.get(row.line);
        let userId: string;
        if (existing) {
          userId = existing.id;
          if (row.outcome === "unchanged") continue;
          tx.update(schema.users)
            .set({
              realName: row.realName,
              ...(row.gender ? { gender: row.gender } : {}),
              ...(role === "student" && row.birthDate ? { birthDate: row.birthDate } : {}),
              ...(role === "student" && row.studentNumber ? { studentNumber: row.studentNumber } : {}),
            })
            .where(eq(schema.users.id, userId))
            .run();
        } else {
          userId = randomId();
          const loginName = row.plannedLogin!;
          tx.insert(schema.users)
            .values({
              id: userId,
              handle: freeHandle(tx, loginName),
              loginName,
              realName: row.realName,
              schoolId: school.id,
              birthDate: row.birthDate,
              gender: row.gender,
              studentNumber: row.studentNumber,
              status: "provisioned",
              createdAt: at,
            })
            .run();
        }
        tx.insert(schema.userRoles).values({ userId, role, schoolId: school.id, createdAt: at }).onConflictDoNothing().run();
        if (role === "student") importedPupils.push(userId);
        if (classId && role === "student") {
          // A student belongs to one class of the school: moving them takes them out of the old one.
          const current = existing ? [...existing.studentClassIds] : [];
          const others = current.filter((c) => c !== classId);
          if (others.length) {
            tx.delete(schema.classMemberships)
              .where(and(eq(schema.classMemberships.userId, userId), inArray(schema.classMemberships.classId, others), eq(schema.classMemberships.role, "student")))
              .run();
          }
          if (!current.includes(classId)) tx.insert(schema.classMemberships).values({ classId, userId, role: "student", createdAt: at }).onConflictDoNothing().run();
        } else if (classId) {
          tx.insert(schema.classMemberships).values({ classId, userId, role: "teacher", createdAt: at }).onConflictDoNothing().run();
        }
        if (row.guardians.length) {
          const keep = row.guardians.map((g) => g.name);
          for (const name of existing ? [...existing.guardians.keys()].filter((n) => !keep.includes(n)) : []) {
            tx.delete(schema.guardianContacts).where(and(eq(schema.guardianContacts.studentId, userId), eq(schema.guardianContacts.name, name))).run();
          }
          for (const g of row.guardians) {
            tx.insert(schema.guardianContacts)
              .values({ id: randomId(), studentId: userId, name: g.name, phone: g.phone, createdAt: at })
              .onConflictDoUpdate({ target: [schema.guardianContacts.studentId, schema.guardianContacts.name], set: { phone: g.phone } })
              .run();
          }
        }
        if (!existing) {
          const { code, expiresAt } = storeActivationCode(userId, adminId, now, tx, importId);
          slips.push({ realName: row.realName, className: classId ? (classNames.get(classId) ?? null) : null, loginName: row.plannedLogin!, code: formatActivationCode(code), expiresAt });
        }
      }
      if (options.guardianCodes) issueGuardianCodesForImport(tx, { importId, schoolId: school.id, adminId, studentIds: importedPupils }, now);
      const counts = { created: plan.summary.new, updated: plan.summary.updated, unchanged: plan.summary.unchanged };
      tx.update(schema.rosterImports).set({ status: "imported", importedAt: at, rows: plan.rows, summary: plan.summary }).where(eq(schema.rosterImports.id, importId)).run();
      recordAudit({ actorId: adminId, action: "roster.import", targetType: "roster_import", targetId: importId, schoolId: school.id, detail: { ...counts, rows: plan.summary.total } }, tx);
      return { school: { name: school.name, defaultLocale: school.defaultLocale }, slips: sortSlips(slips), ...counts };
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
export function refreshRosterPreview(actor: Actor, importId: string): void {
  const { school, found } = ownImport(actor, importId);
  if (found.status !== "preview") return;
  const plan = planRoster(school, found.rows as RosterRow[]);
  db().update(schema.rosterImports).set({ rows: plan.rows, summary: plan.summary }).where(eq(schema.rosterImports.id, importId)).run();
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["transaction"]>[0]>[0];

function freeHandle(tx: Tx, loginName: string): string {
  return handleFromLogin(loginName, (handle) => Boolean(tx.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.handle, handle)).get()));
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
export function slipChoices(actor: Actor): SlipChoices {
  const school = rosterSchool(actor);
  const waiting = waitingPeople(school.id);
  const classes = db()
    .select({ id: schema.classes.id, name: schema.classes.name })
    .from(schema.classes)
    .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
    .orderBy(schema.classes.grade, schema.classes.name)
    .all();
  const members = classes.length
    ? db().select().from(schema.classMemberships).where(inArray(schema.classMemberships.classId, classes.map((c) => c.id))).all()
    : [];
  const waitingIds = new Set(waiting.map((p) => p.id));
  return {
    classes: classes.map((c) => ({ ...c, waiting: members.filter((m) => m.classId === c.id && waitingIds.has(m.userId)).length })),
    waiting: waiting.length,
  };
}

function waitingPeople(schoolId: string) {
  return db()
    .select({ id: schema.users.id, loginName: schema.users.loginName, realName: schema.users.realName })
    .from(schema.users)
    .where(and(eq(schema.users.schoolId, schoolId), eq(schema.users.status, "provisioned")))
    .all();
}

/**
 * New codes for a class, for everyone not yet activated, or for one person; the old codes stop
 * working. Already-activated (and disabled) people get no slip. One transaction: all or none.
 */
export function reissueSlips(actor: Actor, target: SlipTarget): SlipBatch {
  const school = rosterSchool(actor);
  let people: { id: string; loginName: string; realName: string }[];
  if (target.kind === "person") {
    const loginName = normalizeLoginName(target.loginName);
    if (!loginName) throw new ValidationError({ loginName: { key: "roster:slips.loginRequired" } });
    const user = db().select().from(schema.users).where(eq(schema.users.loginName, loginName)).get();
    if (!user || user.schoolId !== school.id) throw new ValidationError({ loginName: { key: "roster:slips.personNotFound", params: { login: loginName } } });
    if (user.status !== "provisioned") throw new ValidationError({ loginName: { key: "roster:slips.alreadyActive", params: { login: loginName } } });
    people = [user];
  } else if (target.kind === "class") {
    const klass = db().select().from(schema.classes).where(eq(schema.classes.id, target.classId)).get();
    if (!klass || klass.schoolId !== school.id) throw new ValidationError({ classId: { key: "roster:slips.chooseClass" } });
    const ids = new Set(db().select({ userId: schema.classMemberships.userId }).from(schema.classMemberships).where(eq(schema.classMemberships.classId, klass.id)).all().map((m) => m.userId));
    people = waitingPeople(school.id).filter((p) => ids.has(p.id));
  } else {
    people = waitingPeople(school.id);
  }
  const classOf = studentClassNames(people.map((p) => p.id));
  const codes = reissueActivationCodes(actor, people.map((p) => p.id));
  const slips = people.map((p) => {
    const { code, expiresAt } = codes.get(p.id)!;
    return { realName: p.realName, className: classOf.get(p.id) ?? null, loginName: p.loginName, code: formatActivationCode(code), expiresAt };
  });
  return { school: { name: school.name, defaultLocale: school.defaultLocale }, slips: sortSlips(slips) };
}

/** Each person's class for the slip: a student's own class, else the first class a teacher teaches. */
function studentClassNames(userIds: string[]): Map<string, string> {
  const names = new Map<string, string>();
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = db()
      .select({ userId: schema.classMemberships.userId, role: schema.classMemberships.role, name: schema.classes.name })
      .from(schema.classMemberships)
      .innerJoin(schema.classes, eq(schema.classes.id, schema.classMemberships.classId))
      .where(and(inArray(schema.classMemberships.userId, userIds.slice(i, i + 500)), isNull(schema.classes.archivedAt)))
      .orderBy(desc(schema.classMemberships.role), schema.classes.grade)
      .all();
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
export function renamedLogins(actor: Actor, now = Date.now()): RenamedLogin[] {
  const school = rosterSchool(actor);
  const people = db()
    .selectDistinct({ id: schema.users.id, realName: schema.users.realName, loginName: schema.users.loginName, status: schema.users.status })
    .from(schema.retiredLogins)
    .innerJoin(schema.users, eq(schema.users.id, schema.retiredLogins.userId))
    .where(and(eq(schema.users.schoolId, school.id), gt(schema.retiredLogins.expiresAt, new Date(now))))
    .all();
  const classOf = studentClassNames(people.map((p) => p.id));
  const renamed = people.map((p) => ({ realName: p.realName, className: classOf.get(p.id) ?? null, loginName: p.loginName, activated: p.status === "active" }));
  return renamed.sort((a, b) => byClassName.compare(a.className ?? "", b.className ?? "") || byLogin.compare(a.loginName, b.loginName));
}

// ── Template ───────────────────────────────────────────────────────────────────────────────────

/** Example class names for the template: the school's own, so the example rows would import. */
export function templateClassNames(actor: Actor): string[] {
  const school = rosterSchool(actor);
  return db()
    .select({ name: schema.classes.name })
    .from(schema.classes)
    .where(and(eq(schema.classes.schoolId, school.id), isNull(schema.classes.archivedAt)))
    .orderBy(schema.classes.grade, schema.classes.name)
    .limit(2)
    .all()
    .map((c) => c.name);
}
