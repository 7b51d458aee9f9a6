// Roster files shaped like exports of the national student-registration system (学籍系统), as a school
// admin downloads them: a title row and a blank row above the header, no role column, 学籍号 and ID
// numbers, classes spelled "5年级(2)班" (or split into 年级 and 班级 columns), Excel date cells in
// XLSX, GBK in CSV, and 监护人N姓名/关系/联系电话 columns. Used by the integration tests, the e2e story
// and `npm run bench:roster`.
import { fixtureName, gbkBytes, rosterCsv, rosterXlsx, type FixtureCell } from "../e2e/roster-fixtures";

export type XuejiGuardian = { name: string; relation: string; phone: string };
export type XuejiPupil = {
  /** 全国学籍号: "G" + the ID number, as the system issues it. */
  registrationNumber: string | null;
  name: string;
  gender: "男" | "女";
  birthDate: Date | null;
  idNumber: string | null;
  /** Grade and class as the export writes them: 5 and 2 → "5年级(2)班". */
  grade: number;
  classNo: number;
  guardians: XuejiGuardian[];
};

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

/** A valid 18-digit resident ID number (area 510104, the check digit computed) for a birth date. */
export function idNumberFor(birth: Date, serial: number): string {
  const body = `510104${birth.toISOString().slice(0, 10).replace(/-/g, "")}${String(serial % 1000).padStart(3, "0")}`;
  const sum = [...body].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i]!, 0);
  return body + ID_CHECK[sum % 11]!;
}

/**
 * `count` pupils spread over the given grade/class pairs, each with a 学籍号, an ID number and one
 * or two guardians. Names are distinct; births are in `birthYear`.
 */
export function xuejiPupils(count: number, classes: [grade: number, classNo: number][], { nameOffset = 3000, birthYear = 2016 } = {}): XuejiPupil[] {
  return Array.from({ length: count }, (_, i) => {
    const name = fixtureName(nameOffset + i);
    const birthDate = new Date(Date.UTC(birthYear, i % 12, (i % 27) + 1));
    // The serial follows the name, so two calls with different offsets never share a 学籍号.
    const idNumber = idNumberFor(birthDate, nameOffset + i);
    const [grade, classNo] = classes[i % classes.length]!;
    const guardians: XuejiGuardian[] = [{ name: `${name.slice(0, 1)}建国`, relation: "父亲", phone: `139${String(10_000_000 + i).slice(-8)}` }];
    if (i % 3 === 0) guardians.push({ name: `刘${name.slice(-1)}英`, relation: "母亲", phone: `138${String(20_000_000 + i).slice(-8)}` });
    return { registrationNumber: `G${idNumber}`, name, gender: i % 2 ? "男" : "女", birthDate, idNumber, grade, classNo, guardians };
  });
}

export const XUEJI_TITLE = "武侯区实验小学学生名册（2026年9月导出）";

export type XuejiOptions = {
  title?: string | null;
  /** "joined": one 班级 column "5年级(2)班"; "split": 年级 "五年级" and 班级 "(2)班". */
  classes?: "joined" | "split";
  /** Leave the 学籍号 column out (older exports, or a school's own list). */
  withoutRegistration?: boolean;
};

const CN = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

/** The sheet: title row, blank row, header, then one row per pupil (dates stay Date for XLSX cells). */
export function xuejiSheet(pupils: XuejiPupil[], { title = XUEJI_TITLE, classes = "joined", withoutRegistration = false }: XuejiOptions = {}): FixtureCell[][] {
  const header = [
    "序号",
    ...(withoutRegistration ? [] : ["全国学籍号"]),
    "姓名",
    "性别",
    "出生日期",
    "民族",
    "身份证件号",
    ...(classes === "split" ? ["年级", "班级"] : ["班级"]),
    "监护人1姓名",
    "监护人1关系",
    "监护人1联系电话",
    "监护人2姓名",
    "监护人2关系",
    "监护人2联系电话",
  ];
  const rows: FixtureCell[][] = [];
  if (title !== null) rows.push([title], []);
  rows.push(header);
  pupils.forEach((p, i) => {
    const [g1, g2] = p.guardians;
    rows.push([
      i + 1,
      ...(withoutRegistration ? [] : [p.registrationNumber]),
      p.name,
      p.gender,
      p.birthDate,
      "汉族",
      p.idNumber,
      ...(classes === "split" ? [`${CN[p.grade]}年级`, `(${p.classNo})班`] : [`${p.grade}年级(${p.classNo})班`]),
      g1?.name ?? null,
      g1?.relation ?? null,
      g1?.phone ?? null,
      g2?.name ?? null,
      g2?.relation ?? null,
      g2?.phone ?? null,
    ]);
  });
  return rows;
}

/** The export as XLSX, birth dates as real Excel date cells. */
export async function xuejiXlsx(pupils: XuejiPupil[], options?: XuejiOptions): Promise<Buffer> {
  return rosterXlsx(xuejiSheet(pupils, options));
}

/** The export as the GBK-encoded CSV that Chinese Excel saves. */
export function xuejiGbkCsv(pupils: XuejiPupil[], options?: XuejiOptions): Uint8Array {
  return gbkBytes(rosterCsv(xuejiSheet(pupils, options)));
}
