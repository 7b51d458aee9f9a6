// Flag evaluation for 10,000 users on the demo world plus the demo flag rules and some overrides.
// Each user is one "request": a fresh actor-like evaluation, so the per-request statement (cache
// version + school + region path) is paid every time, and the flag rows and overrides come from the
// process cache. Usage: npm run bench:flags
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const dir = mkdtempSync(join(tmpdir(), "rrt-bench-flags-"));
process.env.DATA_DIR = dir;

const { db, schema, sqlite, runMigrations, closeDb } = await import("#db/client");
const { seedDemo } = await import("#db/seed/demo");
const { seedDemoFlags } = await import("#db/seed/flags");
const { evaluateFlagsForUser, bumpFlagsVersion, FLAG_KEYS } = await import("~/domain/rollout/flags.server");
const { randomId } = await import("~/domain/foundation/ids.server");

const USERS = 10_000;

await runMigrations();
await seedDemo();
await seedDemoFlags();

const schools = await db().select().from(schema.schools);
const regions = await db().select().from(schema.regions);
const roles = ["teacher", "student", "student", "student"] as const;
const people: { id: string; schoolId: string; role: (typeof roles)[number] }[] = [];
await db().transaction(async (tx) => {
  for (let i = 0; i < USERS; i++) {
    const school = schools[i % schools.length]!;
    const role = roles[i % roles.length]!;
    const id = randomId();
    await tx.insert(schema.users).values({ id, handle: `bench-${i}`, loginName: `bench.${i}`, realName: `测试${i}`, schoolId: school.id, status: "active" });
    await tx.insert(schema.userRoles).values({ userId: id, role, schoolId: school.id });
    people.push({ id, schoolId: school.id, role });
  }
  // Some overrides at every level, and a lock, so evaluation walks every step.
  const override = async (flagKey: string, scopeType: "region" | "school" | "user", scopeId: string, enabled: boolean, locked = false) =>
    tx.insert(schema.flagOverrides).values({ id: randomId(), flagKey, scopeType, scopeId, enabled, locked });
  await override("blog", "region", regions.find((r) => r.name === "甘孜藏族自治州")!.id, false, true);
  await override("assignments", "region", regions.find((r) => r.name === "昭觉县")!.id, false);
  for (const s of schools.slice(0, 4)) await override("study_groups", "school", s.id, true);
  for (const p of people.slice(0, 500)) await override("blog", "user", p.id, false);
  await bumpFlagsVersion();
});

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

async function pass(label: string) {
  statements = 0;
  const open = Object.fromEntries(FLAG_KEYS.map((k) => [k, 0]));
  const started = process.hrtime.bigint();
  for (const p of people) {
    for (const e of await evaluateFlagsForUser({ id: p.id, schoolId: p.schoolId }, p.role)) if (e.enabled) open[e.key]!++;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  console.log(
    `${label}: ${USERS} users × ${FLAG_KEYS.length} flags in ${ms.toFixed(1)} ms = ${((ms * 1000) / USERS).toFixed(1)} µs per user; ${statements} SQL statements (${(statements / USERS).toFixed(2)} per user)`,
  );
  return open;
}

// First pass after a version bump: the cache is reloaded once.
await db().transaction(async () => bumpFlagsVersion());
await pass("cold cache");
const open = await pass("warm cache");
console.log("users with the flag on:", open);

await closeDb();
rmSync(dir, { recursive: true, force: true });
