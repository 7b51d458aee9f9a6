// `npm run seed:scale -- --students N [--seed S] [--out folder] [--base ISO-date] [--force] [--no-check]`:
// generates a province slice (db/seed/scale.ts) into the data folder's app.sqlite (default DATA_DIR or
// ./data), prints sample logins and writes them to scale-logins.json beside the database.
import Database from "better-sqlite3";
import { existsSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    students: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    out: { type: "string" },
    base: { type: "string" },
    force: { type: "boolean", default: false },
    "no-check": { type: "boolean", default: false },
  },
});
const students = Number(values.students);
if (!Number.isInteger(students) || students < 1) throw new Error(`--students must be a whole number above 0, not ${values.students}`);
const base = values.base ? Date.parse(values.base) : undefined;
if (base !== undefined && Number.isNaN(base)) throw new Error(`--base must be a date, e.g. 2026-12-01, not ${values.base}`);
if (values.out) process.env.DATA_DIR = resolve(values.out);

const { databaseFile } = await import("#db/paths.mjs");
const { hashPassword } = await import("~/domain/accounts/passwords.server");
const { isEmptyDatabase, openMigrated, SCALE_PASSWORD, seedScale } = await import("#db/seed/scale");

const file = databaseFile();
if (existsSync(file)) {
  const probe = openMigrated(file, Database);
  const empty = isEmptyDatabase(probe);
  probe.close();
  if (!empty && !values.force) {
    console.error(`${file} already holds data. Give another --out folder, or --force to replace it.`);
    process.exit(1);
  }
  if (!empty) for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });
}

const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
const sqlite = openMigrated(file, Database);
const passwordHash = await hashPassword(SCALE_PASSWORD);
const result = seedScale(sqlite, { students, seed: values.seed, now: base, passwordHash, log: (m) => console.log(`[${seconds()} s] ${m}`) });
sqlite.pragma("wal_checkpoint(TRUNCATE)");
if (!values["no-check"]) {
  const problems = sqlite.prepare("pragma foreign_key_check").all();
  console.log(`[${seconds()} s] foreign_key_check: ${problems.length ? `${problems.length} problems, e.g. ${JSON.stringify(problems.slice(0, 3))}` : "none"}`);
  if (problems.length) process.exitCode = 1;
}
sqlite.close();
const total = performance.now() - started;

const size = statSync(file).size;
const rows = Object.values(result.counts).reduce((a, b) => a + b, 0);
console.log(`\nScale database: ${file}\n${students.toLocaleString("en")} students, seed ${result.seed}, base ${new Date(result.base).toISOString()}: ${rows.toLocaleString("en")} rows in ${(total / 1000).toFixed(1)} s, ${(size / 1048576).toFixed(1)} MiB`);
console.table(Object.fromEntries(Object.entries(result.counts).filter(([, n]) => n > 0)));
console.log(`Sample logins — password for all: ${SCALE_PASSWORD}`);
console.table(result.logins.map((l) => ({ role: l.role, login: l.loginName, name: l.realName, school: l.school ?? "", note: l.note ?? "" })));
const loginsFile = join(dirname(file), "scale-logins.json");
writeFileSync(loginsFile, JSON.stringify({ password: SCALE_PASSWORD, students, seed: result.seed, base: new Date(result.base).toISOString(), database: file, seconds: Math.round(total) / 1000, bytes: size, counts: result.counts, logins: result.logins }, null, 2) + "\n");
console.log(`Logins written to ${loginsFile}`);
