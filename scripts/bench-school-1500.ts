// A school of 1,500 pupils in 30 classes (tests/support/big-school.ts) on the demo world: how long
// the data of the rollout page's and a class page's loaders takes (the domain calls each loader makes;
// the routes themselves import CSS, which only Vite loads), and how many SQL statements each runs,
// for the first page, page 2, a search and a class filter. Usage: npm run bench:school
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "rrt-bench-school-"));
process.env.DATA_DIR = dir;

const { sqlite, runMigrations, closeDb } = await import("#db/client");
const { seedDemo } = await import("#db/seed/demo");
const { actorOf } = await import("~/domain/foundation/actor.server");
const { rolloutOverview, consentChecklist } = await import("~/domain/rollout/rollout.server");
const { classDetail } = await import("~/domain/classwork/classes.server");
const { guardiansOfClass } = await import("~/domain/families/guardian-links.server");
const { parsePupilQuery, pupilClassOptions } = await import("~/domain/people/pupils.server");
const { addBigSchool, SHARED_NAME } = await import("../tests/support/big-school");

const RUNS = 30;

await runMigrations();
await seedDemo();
const seeding = performance.now();
const big = await addBigSchool();
console.log(`seeded 1,500 pupils in 30 classes in ${(performance.now() - seeding).toFixed(0)} ms`);

const admin = actorOfLogin(big.adminLogin);
function actorOfLogin(login: string) {
  const user = sqlite().prepare("select id, login_name as loginName, real_name as realName, handle, school_id as schoolId, locale, status from users where login_name = ?").get(login) as never;
  return actorOf(user, [{ role: "school_admin", regionId: null, schoolId: big.schoolId }], "school_admin", "bench");
}
/** What the rollout page's loader asks the domain for. */
const rolloutData = async (search: string) => {
  const params = new URLSearchParams(search);
  const overview = await rolloutOverview(admin, parsePupilQuery(params, { consent: "missing" }));
  await pupilClassOptions(overview.school.id);
  const bulkClass = params.get("bulkClass");
  if (bulkClass) await consentChecklist(admin, bulkClass);
};
/** What a class page's loader asks the domain for. */
const classData = async (classId: string, search: string) => {
  await classDetail(admin, classId, parsePupilQuery(new URLSearchParams(search), { consent: "all" }));
  await guardiansOfClass(admin, classId);
};

// Count every statement run, whoever prepared it.
const proto = Object.getPrototypeOf(sqlite().prepare("select 1")) as Record<string, (...args: unknown[]) => unknown>;
let statements = 0;
for (const name of ["get", "all", "run", "iterate"]) {
  const original = proto[name]!;
  proto[name] = function (this: unknown, ...args: unknown[]) {
    statements++;
    return original.apply(this, args);
  };
}

async function bench(label: string, run: () => unknown) {
  await run(); // warm caches
  const times: number[] = [];
  let perRun = 0;
  for (let i = 0; i < RUNS; i++) {
    statements = 0;
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
    perRun = statements;
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: median ${times[RUNS >> 1]!.toFixed(1)} ms, p90 ${times[Math.floor(RUNS * 0.9)]!.toFixed(1)} ms, ${perRun} SQL statements`);
}

const classId = big.classIds.get("四年级（1）班")!;
await bench("rollout page, under-14s without consent, page 1 (100 rows)", async () => rolloutData(""));
await bench("rollout page, page 2 (24 rows)", async () => rolloutData("consent=missing&page=2"));
await bench("rollout page, all pupils, page 15 (100 rows)", async () => rolloutData("consent=all&page=15"));
await bench("rollout page, search for a shared name", async () => rolloutData(`consent=all&q=${encodeURIComponent(SHARED_NAME)}`));
await bench("rollout page, class filter", async () => rolloutData(`consent=all&class=${classId}`));
await bench("rollout page with the bulk-consent checklist of a class", async () => rolloutData(`bulkClass=${classId}`));
await bench("class page (50 pupils)", async () => classData(classId, ""));
await bench("class page, search", async () => classData(classId, "q=s77"));

await closeDb();
rmSync(dir, { recursive: true, force: true });
