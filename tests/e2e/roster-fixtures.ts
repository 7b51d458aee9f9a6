// Roster files as schools send them, generated for tests and the benchmark: XLSX with real date
// cells, CSV in UTF-8 (with or without BOM) and in GBK as Chinese Excel writes it.
import writeXlsxFile from "write-excel-file/node";

export const HEADER_ZH = ["真实姓名", "身份", "登录名", "班级", "学号", "出生日期", "性别", "监护人1姓名", "监护人1电话", "监护人2姓名", "监护人2电话"];

export type FixtureCell = string | number | Date | null;

/** An XLSX file; Date values become real date cells (yyyy-mm-dd), numbers stay numbers. */
export async function rosterXlsx(rows: FixtureCell[][]): Promise<Buffer> {
  const sheet = rows.map((row) =>
    row.map((value) => {
      if (value === null || value === "") return null;
      if (value instanceof Date) return { value, type: Date, format: "yyyy-mm-dd" };
      if (typeof value === "number") return { value, type: Number };
      return { value, type: String };
    }),
  );
  return writeXlsxFile(sheet as never).toBuffer();
}

export function rosterCsv(rows: FixtureCell[][], { bom = false } = {}): string {
  const text = rows
    .map((row) =>
      row
        .map((c) => (c === null ? "" : c instanceof Date ? c.toISOString().slice(0, 10) : String(c)))
        .map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c))
        .join(","),
    )
    .join("\r\n");
  return (bom ? "\uFEFF" : "") + text + "\r\n";
}

let gbkTable: Map<string, number[]> | undefined;

/** Encodes text as GBK (Node can decode GBK but not encode it): a reverse table of the two-byte range. */
export function gbkBytes(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const decoder = new TextDecoder("gbk");
    for (let lead = 0x81; lead <= 0xfe; lead++) {
      for (let trail = 0x40; trail <= 0xfe; trail++) {
        if (trail === 0x7f) continue;
        const ch = decoder.decode(new Uint8Array([lead, trail]));
        if (ch.length === 1 && ch !== "\uFFFD" && !gbkTable.has(ch)) gbkTable.set(ch, [lead, trail]);
      }
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new Error(`not in GBK: ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

const SURNAMES = [...new Set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")];
const GIVEN = [...new Set("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞鑫宇浩然子涵梓轩一诺欣怡佳琪思远雨桐若曦俊熙嘉怡晨阳天佑")];

/** A distinct, plausible Chinese name for index i. */
export function fixtureName(i: number): string {
  const s = SURNAMES[i % SURNAMES.length]!;
  const a = GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]!;
  const b = GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length]!;
  return `${s}${a}${b}`;
}

/**
 * A roster of `people` for a school with the given classes: one teacher in ten, the rest students
 * spread over the classes with student numbers from `firstNumber`, real birth-date cells and guardians.
 */
export function generatedRoster(people: number, classes: string[], { firstNumber = 2026_0001, nameOffset = 1000, birthYear = 2016 } = {}): FixtureCell[][] {
  const rows: FixtureCell[][] = [HEADER_ZH];
  for (let i = 0; i < people; i++) {
    const name = fixtureName(nameOffset + i);
    const className = classes[i % classes.length]!;
    if (i % 10 === 0) {
      rows.push([name, "教师", null, className, null, null, i % 20 ? "男" : "女", null, null, null, null]);
    } else {
      const birth = new Date(Date.UTC(birthYear, i % 12, (i % 27) + 1));
      rows.push([name, "学生", null, className, String(firstNumber + i), birth, i % 2 ? "男" : "女", `${name.slice(0, 1)}建国`, `139${String(10_000_000 + i).slice(-8)}`, null, null]);
    }
  }
  return rows;
}
