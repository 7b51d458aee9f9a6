// Pupil rosters with guardian rows, the way a school's export carries them: GBK-encoded CSV (as Chinese
// Excel saves it), classmates sharing a name (扎西 ×3: two born in the same month, one without a birth
// date), and one or two guardians per pupil. Columns are the ones today's import reads.
import { gbkBytes, HEADER_ZH, rosterCsv, type FixtureCell } from "../e2e/roster-fixtures";

export const SLIPS_CLASS = "三年级（1）班"; // a class of 武侯区实验小学 in the demo world

/** Three pupils named 扎西 in one class, and a fourth pupil with two guardians. */
export function guardianRosterRows(): FixtureCell[][] {
  return [
    HEADER_ZH,
    ["扎西", "学生", null, SLIPS_CLASS, "Z001", "2018-03-05", "男", "扎西次仁", "13900000001", null, null],
    ["扎西", "学生", null, SLIPS_CLASS, "Z002", "2018-03-20", "男", "卓玛", "13900000002", null, null],
    ["扎西", "学生", null, SLIPS_CLASS, "Z003", null, "男", "拉姆", "13900000003", null, null],
    ["格桑", "学生", null, SLIPS_CLASS, "Z004", "2018-07-01", "女", "格桑爸爸", "13900000004", "格桑妈妈", "13900000005"],
  ];
}

/** The roster as bytes of a GBK CSV file. */
export function guardianRosterGbk(rows = guardianRosterRows()): Uint8Array {
  return gbkBytes(rosterCsv(rows));
}
