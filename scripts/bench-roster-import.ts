// Roster import benchmark: a 5,000-row 学籍系统 export for 武侯区实验小学 as XLSX (title row above the
// header, 学籍号 and ID numbers, two guardians for a third of the pupils, its existing classes spelled
// "5年级(2)班"), parsed and checked into a preview, then imported, on a temporary demo database; then the
// same size for 武侯区第一初级中学, imported with a parent link code for every guardian on record.
// Usage: node --import tsx scripts/bench-roster-import.ts [rows]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { xuejiPupils, xuejiXlsx } from "../tests/support/xueji-fixtures";
import { first } from "#db/client";

const rows = Number(process.argv[2] ?? 5000);
const dir = mkdtempSync(join(tmpdir(), "rrt-bench-roster-"));
// The database opens on first use, so DATA_DIR must be set before anything imports the client.
process.env.DATA_DIR = dir;

const { closeDb, runMigrations, db, schema } = await import("#db/client");
const { seedDemo } = await import("#db/seed/demo");
const { createSession, validateSessionToken } = await import("~/domain/accounts/sessions.server");
const { previewRoster, importRoster } = await import("~/domain/provisioning/rosters.server");
const { eq } = await import("drizzle-orm");

try {
  await runMigrations();
  await seedDemo();
  const actorOf = async (login: string) => {
    const admin = (await first(db().select().from(schema.users).where(eq(schema.users.loginName, login)).limit(1)))!;
    return (await validateSessionToken((await createSession(admin.id, { remember: false, activeRole: "school_admin" })).token))!.actor;
  };
  const actor = await actorOf("wuhou-pri.admin");

  let t = performance.now();
  const file = await xuejiXlsx(xuejiPupils(rows, [[3, 1], [5, 2]]));
  const generateMs = performance.now() - t;

  t = performance.now();
  const { importId, summary } = await previewRoster(actor, { fileName: "bench.xlsx", bytes: new Uint8Array(file) });
  const previewMs = performance.now() - t;
  if (summary.withProblems) throw new Error(`the generated roster has ${summary.withProblems} rows with problems`);

  t = performance.now();
  const result = await importRoster(actor, importId);
  const importMs = performance.now() - t;

  const rate = (ms: number) => Math.round((rows / ms) * 1000).toLocaleString("en");
  console.log(`roster rows:        ${rows.toLocaleString("en")} 学籍 export rows (${summary.students} pupils, classes matched after normalising)`);
  console.log(`XLSX file size:     ${(file.byteLength / 1024).toFixed(0)} KB (generated in ${generateMs.toFixed(0)} ms)`);
  console.log(`parse + validate:   ${previewMs.toFixed(0)} ms  (${rate(previewMs)} rows/s, preview stored)`);
  console.log(`import:             ${importMs.toFixed(0)} ms  (${rate(importMs)} rows/s; ${result.created} accounts, ${result.slips.length} activation codes, one transaction)`);
  console.log(`total:              ${(previewMs + importMs).toFixed(0)} ms`);

  const junior = await actorOf("wuhou-jun.admin");
  const second = await previewRoster(junior, { fileName: "bench-junior.xlsx", bytes: new Uint8Array(await xuejiXlsx(xuejiPupils(rows, [[7, 3], [9, 1]], { nameOffset: 20_000, birthYear: 2012 }))) });
  if (second.summary.withProblems) throw new Error(`the junior roster has ${second.summary.withProblems} rows with problems`);
  t = performance.now();
  await importRoster(junior, second.importId, undefined, { guardianCodes: true });
  const withCodesMs = performance.now() - t;
  const linkCodes = (await db().select({ id: schema.guardianLinkCodes.id }).from(schema.guardianLinkCodes).where(eq(schema.guardianLinkCodes.rosterImportId, second.importId))).length;
  console.log(`import + parent codes: ${withCodesMs.toFixed(0)} ms  (${rows.toLocaleString("en")} accounts and ${linkCodes.toLocaleString("en")} parent link codes, one transaction)`);
} finally {
  await closeDb();
  rmSync(dir, { recursive: true, force: true });
}
