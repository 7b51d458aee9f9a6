// `npm run demo` runs this before serving: migrate, fill the demo world, print the logins.
import { closeDb, databaseUrl, runMigrations } from "./client";
import { databaseFile } from "./paths.mjs";
import { DEMO_PASSWORD, seedDemo } from "./seed/demo";

await runMigrations();
const { logins, activations, created } = await seedDemo();
const where = databaseUrl ? `PostgreSQL ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}` : databaseFile();
console.log(`\nDemo database: ${where} (${created} rows new this run)\n`);
console.log(`Demo logins — password for all: ${DEMO_PASSWORD}`);
console.table(logins.map((l) => ({ role: l.role, login: l.loginName, name: l.realName, school: l.school ?? "", note: l.note ?? "" })));
console.log("Not yet activated — try /activate with login name, code and real name (codes are new on every run):");
const onePerSchool = activations.filter((a, i) => activations.findIndex((b) => b.school === a.school) === i);
console.table(onePerSchool.map((a) => ({ login: a.loginName, code: a.code, name: a.realName, school: a.school })));
await closeDb();
