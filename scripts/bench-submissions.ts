// Hand-in benchmark: a class of 60 students hands in the same assignment around its due time, through
// the built server over HTTP (multipart POST /assignments/:id/submit with text and a file), while ten
// of the requests are sent twice (a double click, a retry after a lost answer). Then the database and
// the uploads folder are checked: one submission and one version per student, nothing lost, nothing
// stored twice, every file on disk with the bytes sent, and "late" exactly where the due time says.
// Usage: node --import tsx scripts/bench-submissions.ts [--workers N] [--postgres]   (npm run bench:submissions)
//   --postgres   everything on one throwaway PostgreSQL cluster (scripts/pg-throwaway.sh) instead of
//                SQLite: with --workers 2, two app servers writing to one PostgreSQL (issue 18)
//   --workers N  serve as `npm start` does with WORKERS=N: N worker processes over the one SQLite file
//                (node:cluster, see server.mjs); default 1, a single process. WORKERS=N works too.
//   BUILD_DIR    the build to serve (default build-bench; built first when missing or older than app/)
//   DUE_MS       when the assignment falls due, counted from the first hand-in (default 4000)
//   RUSH_LEAD_MS 40 students press "hand in" all at once, this long before the due time (default 300)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

const STUDENTS = 60;
/** How the class hands in: 15 early, one every 100 ms; 40 at once just before the due time; 5 after it. */
const EARLY = 15;
const RUSH = 40;
const EARLY_GAP_MS = 100;
const STRAGGLER_GAP_MS = 200;
const DUE_MS = Number(process.env.DUE_MS ?? 4000);
const RUSH_LEAD_MS = Number(process.env.RUSH_LEAD_MS ?? 300);
/** Students (by position) who send their hand-in twice at the same instant: a double click in the rush. */
const DOUBLE_CLICKS = new Set([15, 23, 31, 39, 47]);
/** Students who send it again as soon as the first answer is in, as a client that lost the answer would. */
const RETRIES = new Set([3, 9, 19, 35, 57]);
/** Late work is accepted for this long after the due time. */
const LATE_WINDOW_MS = 60_000;
const buildDir = process.env.BUILD_DIR ?? "build-bench";
const workersArg = process.argv.indexOf("--workers");
const WORKERS = Math.max(1, Number.parseInt(workersArg > 0 ? (process.argv[workersArg + 1] ?? "") : (process.env.WORKERS ?? "1"), 10) || 1);
const root = process.cwd();

const dir = mkdtempSync(join(tmpdir(), "rrt-bench-submissions-"));
// The database opens on first use, so DATA_DIR must be set before anything imports the client.
process.env.DATA_DIR = dir;
const onPostgres = process.argv.includes("--postgres");
if (onPostgres) {
  const started = spawnSync("bash", ["scripts/pg-throwaway.sh", "start"], { encoding: "utf8" });
  if (started.status !== 0) throw new Error(`no PostgreSQL cluster: ${started.stderr}`);
  const vars = Object.fromEntries([...started.stdout.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
  process.env.DATABASE_URL = vars.DATABASE_URL;
  process.once("exit", () => spawnSync("bash", ["scripts/pg-throwaway.sh", "stop", vars.PG_THROWAWAY_DIR!]));
  console.log(`on PostgreSQL (throwaway cluster, port ${vars.PG_THROWAWAY_PORT})`);
}

const { closeDb, runMigrations, db, schema, first } = await import("#db/client");
const { seedDemo } = await import("#db/seed/demo");
const { createSession, validateSessionToken } = await import("~/domain/accounts/sessions.server");
const { createAssignment, shortChecksum } = await import("~/domain/classwork/assignments.server");
const { requireSpaceFeature } = await import("~/domain/spaces/spaces.server");
const { beijingLocalTimeOf } = await import("~/domain/foundation/beijing-time.server");
const { randomId } = await import("~/domain/foundation/ids.server");
const { LocalStorage } = await import("~/storage/local.server");
const { and, asc, eq, inArray } = await import("drizzle-orm");

type Student = { id: string; loginName: string; realName: string; cookie: string };
type HandIn = { student: Student; versionId: string; body: string; fileName: string; fileBytes: Buffer; sha256: string };
type Shot = {
  handIn: HandIn;
  kind: "first" | "double click" | "retry";
  /** Wall-clock times (both processes read the same clock) and the measured duration. */
  sentAt: number;
  answeredAt: number;
  ms: number;
  status: number;
  location: string | null;
  error?: string;
};

let server: ChildProcess | undefined;
// Interrupted: stop the server and leave no temporary folder behind.
process.once("SIGINT", () => {
  server?.kill();
  void closeDb();
  rmSync(dir, { recursive: true, force: true });
  process.exit(130);
});
const serverLog: string[] = [];
const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  if (!ok) failures.push(what);
  return ok;
};

try {
  // ---- the build ----------------------------------------------------------------------------
  const entry = join(root, buildDir, "server", "index.js");
  const newest = (path: string): number => {
    const info = statSync(path);
    if (!info.isDirectory()) return info.mtimeMs;
    return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
  };
  const sourcesChanged = () => Math.max(newest(join(root, "app")), newest(join(root, "db")), newest(join(root, "locales"))) > statSync(entry).mtimeMs;
  if (!existsSync(entry) || sourcesChanged()) {
    console.log(`building into ${buildDir}/ …`);
    const built = spawnSync("npx", ["remix", "vite:build"], { env: { ...process.env, BUILD_DIR: buildDir }, stdio: ["ignore", "ignore", "inherit"] });
    if (built.status !== 0) throw new Error(`the build failed (exit ${built.status})`);
  }
  if (!existsSync(join(root, "app", "routes", "assignments.$id_.submit.tsx"))) throw new Error("app/routes/assignments.$id_.submit.tsx does not exist yet: nothing to post to");

  // ---- the class, its teacher, the assignment (not measured) ------------------------------------
  await runMigrations();
  await seedDemo();
  const school = (await first(db().select().from(schema.schools).where(eq(schema.schools.name, "武侯区实验小学")).limit(1)))!;
  const admin = (await first(db().select().from(schema.users).where(eq(schema.users.loginName, "wuhou-pri.admin")).limit(1)))!;
  const teacher = (await first(db().select().from(schema.users).where(eq(schema.users.loginName, "wuhou-pri.t1")).limit(1)))!;
  const classId = randomId();
  const students: Student[] = [];
  const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
  const given = ["子涵", "欣怡", "浩然", "梓萱", "宇轩", "雨桐", "俊杰", "诗涵", "一诺", "思远", "嘉怡", "明轩"];
  await db().transaction(async (tx) => {
    await tx.insert(schema.classes).values({ id: classId, schoolId: school.id, grade: 4, name: "四年级（9）班", year: 2026 });
    await tx.insert(schema.classMemberships).values({ classId, userId: teacher.id, role: "teacher", isHeadTeacher: true, subject: "语文" });
    for (let i = 1; i <= STUDENTS; i++) {
      const id = randomId();
      const loginName = `wuhou-pri.bench${i}`;
      const realName = `${surnames[i % surnames.length]}${given[i % given.length]}`;
      // Real pupils' ages (under 14): their spaces open on the guardian consent recorded below.
      const birthDate = `2017-${String((i % 12) + 1).padStart(2, "0")}-${String((i % 27) + 1).padStart(2, "0")}`;
      await tx.insert(schema.users)
              .values({ id, handle: loginName.replace(/[^a-z0-9]+/g, "-"), loginName, realName, schoolId: school.id, birthDate, status: "active", activatedAt: new Date() });
      await tx.insert(schema.userRoles).values({ userId: id, role: "student", schoolId: school.id });
      await tx.insert(schema.classMemberships).values({ classId, userId: id, role: "student" });
      await tx.insert(schema.consentRecords)
              .values({ id: randomId(), studentId: id, guardianName: `${realName.slice(0, 1)}家长`, method: "paper", decision: "given", decidedAt: new Date(), recordedBy: admin.id });
      students.push({ id, loginName, realName, cookie: "" });
    }
  });
  // A session per student, as signing in would leave (no password round trip: sign-in is not measured).
  for (const s of students) {
    const { token } = await createSession(s.id, { remember: false, activeRole: "student" });
    // The app names its cookie `session` over plain HTTP (`__Host-session` needs HTTPS).
    s.cookie = `session=${token}`;
    await requireSpaceFeature((await validateSessionToken(token))!.actor, "assignments");
  }
  const teacherActor = (await validateSessionToken((await createSession(teacher.id, { remember: false, activeRole: "teacher" })).token))!.actor;
  const hour = 3_600_000;
  const { id: assignmentId } = await createAssignment(
    teacherActor,
    new Map([
      ["id", randomId()],
      ["title", "《桂花雨》读后感"],
      ["body", "读完课文，写一段读后感（不少于一百字），可以附上图片或文档。"],
      [`class.${classId}`, "on"],
      ["openAt", beijingLocalTimeOf(new Date(Date.now() - hour))],
      ["dueAt", beijingLocalTimeOf(new Date(Date.now() + hour))],
      ["acceptLate", "on"],
      ["lateUntil", beijingLocalTimeOf(new Date(Date.now() + 2 * hour))],
      ["points", "100"],
      ["intent", "publish"],
    ]),
  );

  const handIns: HandIn[] = students.map((student, i) => {
    const line = `${student.realName}的读后感：桂花的香气让我想起了家乡的秋天。第${i + 1}号。\n`;
    const fileBytes = Buffer.from(line.repeat(Math.ceil(3000 / Buffer.byteLength(line))), "utf8");
    return {
      student,
      versionId: randomId(),
      body: `${line}我最喜欢“摇花”那一段，因为它写出了童年的快乐。`,
      fileName: `读后感-${student.realName}-${i + 1}.txt`,
      fileBytes,
      sha256: createHash("sha256").update(fileBytes).digest("hex"),
    };
  });

  // ---- the server ---------------------------------------------------------------------------
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
  const base = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", BUILD_DIR: buildDir, WORKERS: String(WORKERS) };
  delete env.WEB_CONCURRENCY;
  delete env.UPLOADTHING_TOKEN; // the files are checked on the local disk
  server = spawn("node", ["server.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const started = server;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start within 60 s")), 60_000);
    // Ready when every worker says it is serving (one line each).
    started.stdout!.on("data", (chunk: Buffer) => {
      serverLog.push(chunk.toString());
      if (serverLog.join("").split("serving on").length - 1 >= WORKERS) {
        clearTimeout(timer);
        resolve();
      }
    });
    started.stderr!.on("data", (chunk: Buffer) => serverLog.push(chunk.toString()));
    started.on("exit", (code) => reject(new Error(`the server exited (${code}):\n${serverLog.join("")}`)));
  });

  // Warm up (first requests load modules and fill the flag cache): the hand-in page as the students
  // would have opened it, for a few of them.
  for (const s of students.slice(0, 3)) {
    const page = await fetch(`${base}/assignments/${assignmentId}/submit`, { headers: { Cookie: s.cookie } });
    await page.arrayBuffer();
    if (page.status !== 200) console.warn(`warm-up: GET /assignments/:id/submit answered ${page.status}`);
  }
  const uploads = new LocalStorage();
  const filesOnDisk = () => countFiles(join(dir, "uploads"));
  const filesBefore = filesOnDisk();

  // ---- the burst ----------------------------------------------------------------------------
  // As a class does it: some hand in early, one by one; most press the button together shortly before
  // the due time, so their requests are in flight as it passes (late or not is decided by the server's
  // clock when the work is stored); a few come after it. The due time is set once, before the first.
  const t0 = Date.now() + 300;
  const dueAt = new Date(t0 + DUE_MS);
  const rushAt = dueAt.getTime() - RUSH_LEAD_MS;
  const sendAt = (i: number) =>
    i < EARLY ? t0 + i * EARLY_GAP_MS : i < EARLY + RUSH ? rushAt : dueAt.getTime() + 1000 + (i - EARLY - RUSH) * STRAGGLER_GAP_MS;
  await db().update(schema.assignments).set({ dueAt, lateUntil: new Date(dueAt.getTime() + LATE_WINDOW_MS) }).where(eq(schema.assignments.id, assignmentId));

  const send = async (handIn: HandIn, kind: Shot["kind"]): Promise<Shot> => {
    const form = new FormData();
    form.set("versionId", handIn.versionId);
    form.set("body", handIn.body);
    form.set("files", new Blob([new Uint8Array(handIn.fileBytes)], { type: "text/plain" }), handIn.fileName);
    const sentAt = Date.now();
    const start = performance.now();
    try {
      const res = await fetch(`${base}/assignments/${assignmentId}/submit`, {
        method: "POST",
        headers: { Cookie: handIn.student.cookie, Origin: base },
        body: form,
        redirect: "manual",
      });
      await res.arrayBuffer();
      return { handIn, kind, sentAt, answeredAt: Date.now(), ms: performance.now() - start, status: res.status, location: res.headers.get("location") };
    } catch (error) {
      return { handIn, kind, sentAt, answeredAt: Date.now(), ms: performance.now() - start, status: 0, location: null, error: String(error) };
    }
  };
  const at = (when: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, when - Date.now())));
  const burst = handIns.map(async (handIn, i) => {
      await at(sendAt(i));
      if (DOUBLE_CLICKS.has(i)) return Promise.all([send(handIn, "first"), send(handIn, "double click")]);
      const first = await send(handIn, "first");
      return RETRIES.has(i) ? [first, await send(handIn, "retry")] : [first];
  });
  const shots = (await Promise.all(burst)).flat();
  const burstStart = Math.min(...shots.map((s) => s.sentAt));
  const burstEnd = Math.max(...shots.filter((s) => s.kind === "first").map((s) => s.answeredAt));
  const groupOf = (s: Shot) => {
    const i = handIns.indexOf(s.handIn);
    return i < EARLY ? "early" : i < EARLY + RUSH ? "rush" : "after";
  };
  const rush = shots.filter((s) => s.kind === "first" && groupOf(s) === "rush");
  const rushStart = Math.min(...rush.map((s) => s.sentAt));
  const rushEnd = Math.max(...rush.map((s) => s.answeredAt));

  // ---- the checks ---------------------------------------------------------------------------
  // The receipt page, scrolled to the receipt (#receipt).
  const redirectOf = (h: HandIn) => `/assignments/${assignmentId}?receipt=${h.versionId}#receipt`;
  for (const s of shots) {
    const name = `${s.handIn.student.loginName} (${s.kind})`;
    check(!s.error, `${name}: request failed: ${s.error}`);
    check(s.status === 302 || s.status === 303, `${name}: answered ${s.status}, not a redirect`);
    check(s.location === redirectOf(s.handIn), `${name}: redirected to ${s.location}`);
  }
  check(shots.filter((s) => s.kind !== "first").length === DOUBLE_CLICKS.size + RETRIES.size, "not every second request was sent");

  const submissions = await db().select().from(schema.submissions).where(eq(schema.submissions.assignmentId, assignmentId));
  const versions = submissions.length
    ? await db()
              .select()
              .from(schema.submissionVersions)
              .where(
                inArray(
                  schema.submissionVersions.submissionId,
                  submissions.map((s) => s.id),
                ),
              )
    : [];
  check(submissions.length === STUDENTS, `${submissions.length} submissions stored, not ${STUDENTS}`);
  check(versions.length === STUDENTS, `${versions.length} versions stored, not ${STUDENTS} (a retry stored twice, or work was lost)`);
  check(new Set(submissions.map((s) => s.studentId)).size === submissions.length, "a student has two submissions");

  const dueMs = dueAt.getTime();
  let late = 0;
  let lateButPressedInTime = 0;
  for (const h of handIns) {
    const name = h.student.loginName;
    const submission = submissions.find((s) => s.studentId === h.student.id);
    if (!check(Boolean(submission), `${name}: no submission (lost)`)) continue;
    const mine = versions.filter((v) => v.submissionId === submission!.id);
    if (!check(mine.length === 1 && mine[0]!.id === h.versionId, `${name}: versions ${mine.map((v) => v.id).join(", ")}, expected only ${h.versionId}`)) continue;
    const v = mine[0]!;
    check(submission!.versionCount === 1 && v.number === 1, `${name}: version count ${submission!.versionCount}, number ${v.number}`);
    check(submission!.classId === classId, `${name}: submission not in the class`);
    check(submission!.lastSubmittedAt?.getTime() === v.submittedAt.getTime() && submission!.late === v.late, `${name}: submission and version disagree`);
    // Late is decided by the server's clock when the hand-in is stored; the bench shares that clock.
    const isLate = v.submittedAt.getTime() > dueMs;
    check(v.late === isLate, `${name}: late=${v.late} but stored at due${fmtOffset(v.submittedAt.getTime() - dueMs)}`);
    const sent = shots.filter((s) => s.handIn === h);
    const firstSent = Math.min(...sent.map((s) => s.sentAt));
    const firstAnswered = Math.min(...sent.map((s) => s.answeredAt));
    check(!(firstSent > dueMs && !v.late), `${name}: sent after the due time but not marked late`);
    check(!(firstAnswered < dueMs && v.late), `${name}: answered before the due time but marked late`);
    check(v.submittedAt.getTime() >= firstSent - 5 && v.submittedAt.getTime() <= firstAnswered + 5, `${name}: stored at a time outside its request`);
    if (v.late) late++;
    if (v.late && firstSent < dueMs) lateButPressedInTime++;

    const files = await db()
          .select()
          .from(schema.files)
          .where(and(eq(schema.files.attachedTo, "submission"), eq(schema.files.attachedId, v.id)))
          .orderBy(asc(schema.files.position));
    if (!check(files.length === 1, `${name}: ${files.length} files attached, expected 1`)) continue;
    const f = files[0]!;
    check(f.name === h.fileName && f.size === h.fileBytes.byteLength && f.sha256 === h.sha256, `${name}: file row ${f.name} ${f.size} B differs from what was sent`);
    const path = uploads.pathOf(f.storageKey);
    const onDisk = existsSync(path) ? createHash("sha256").update(readFileSync(path)).digest("hex") : null;
    check(onDisk === h.sha256, `${name}: file ${onDisk ? "on disk has other bytes" : "missing on disk"} (${path})`);
    // The receipt's promise, recomputed here: SHA-256 of the stored text, then each file's name and hash.
    const expected = createHash("sha256").update(v.bodyHtml, "utf8").update(`\n${f.name}\n${f.sha256}`, "utf8").digest("hex");
    check(v.checksum === expected, `${name}: receipt checksum does not match what was stored`);
  }
  const drafts = await db()
      .select({ id: schema.files.id })
      .from(schema.files)
      .where(and(eq(schema.files.attachedTo, "draft"), inArray(schema.files.ownerId, students.map((s) => s.id))));
  check(drafts.length === 0, `${drafts.length} uploaded files of repeated requests left behind as drafts`);
  // A repeated request's upload is removed after its commit, in the background: give it a moment.
  let filesAdded = filesOnDisk() - filesBefore;
  for (let i = 0; i < 20 && filesAdded > STUDENTS; i++) {
    await new Promise((r) => setTimeout(r, 100));
    filesAdded = filesOnDisk() - filesBefore;
  }
  check(filesAdded === STUDENTS, `${filesAdded} files added to the uploads folder, not ${STUDENTS}`);
  check(late > 0 && late < STUDENTS, `the hand-ins did not straddle the due time (${late} of ${STUDENTS} late): change DUE_MS / RUSH_LEAD_MS`);

  // The receipt page each redirect leads to (not timed): it should show the stored checksum.
  let receiptsShown = 0;
  let receiptStatus = 0;
  for (const h of handIns) {
    const v = versions.find((x) => x.id === h.versionId);
    if (!v) continue;
    const page = await fetch(base + redirectOf(h), { headers: { Cookie: h.student.cookie } });
    receiptStatus = page.status;
    if ((await page.text()).includes(shortChecksum(v.checksum))) receiptsShown++;
  }
  check(receiptsShown === STUDENTS, `${receiptsShown} of ${STUDENTS} receipt pages show the stored checksum (last answered ${receiptStatus})`);

  // The whole server log, for reading what went wrong.
  writeFileSync(join(tmpdir(), "bench-submissions-server.log"), serverLog.join(""));
  const serverErrors = serverLog.join("").split("\n").filter((l) => /SQLITE_BUSY|error|Error|ERR/.test(l));
  check(serverErrors.length === 0, `the server logged ${serverErrors.length} error lines:\n  ${serverErrors.slice(0, 20).join("\n  ")}`);

  // ---- the report ---------------------------------------------------------------------------
  const firsts = shots.filter((s) => s.kind === "first");
  const repeats = shots.filter((s) => s.kind !== "first");
  const pct = (of: Shot[], p: number) => {
    const sorted = of.map((s) => s.ms).sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
  };
  const early = firsts.filter((s) => groupOf(s) === "early");
  const slowest = firsts.reduce((a, b) => (b.ms > a.ms ? b : a));
  let inFlight = 0;
  let peak = 0;
  for (const [, d] of shots.flatMap((s) => [[s.sentAt, 1] as const, [s.answeredAt, -1] as const]).sort((a, b) => a[0] - b[0] || a[1] - b[1])) peak = Math.max(peak, (inFlight += d));
  const ms = (n: number) => `${n.toFixed(0)} ms`;
  console.log(
    `\n${WORKERS === 1 ? "one server process" : `${WORKERS} server workers (node:cluster)`}: ${STUDENTS} students hand in text + a ${(handIns[0]!.fileBytes.byteLength / 1024).toFixed(1)} KB file: ${EARLY} early (one every ${EARLY_GAP_MS} ms), ` +
      `${RUSH} at once ${RUSH_LEAD_MS} ms before the due time, ${STUDENTS - EARLY - RUSH} after it; ${DOUBLE_CLICKS.size} double clicks + ${RETRIES.size} retries\n`,
  );
  console.table({
    "hand-ins stored": { value: `${submissions.length} submissions, ${versions.length} versions` },
    "on time / late": { value: `${STUDENTS - late} / ${late} (${lateButPressedInTime} of the late pressed "hand in" before the due time)` },
    "repeated requests": { value: `${repeats.length} → same receipt: ${repeats.filter((s) => s.location === redirectOf(s.handIn)).length}, slowest ${ms(Math.max(...repeats.map((s) => s.ms)))}` },
    "throughput (the rush)": { value: `${(rush.length / ((rushEnd - rushStart) / 1000)).toFixed(1)} hand-ins/s (${rush.length} sent at once, all answered in ${ms(rushEnd - rushStart)})` },
    "whole class": { value: `first sent to last answered: ${ms(burstEnd - burstStart)}` },
    "response p50 / p95, all": { value: `${ms(pct(firsts, 50))} / ${ms(pct(firsts, 95))}` },
    "response p50 / p95, early": { value: `${ms(pct(early, 50))} / ${ms(pct(early, 95))}` },
    "response p50 / p95, the rush": { value: `${ms(pct(rush, 50))} / ${ms(pct(rush, 95))}` },
    "slowest response": { value: `${ms(slowest.ms)} (${slowest.handIn.student.loginName}, sent at due${fmtOffset(slowest.sentAt - dueMs)})` },
    "most in flight at once": { value: String(peak) },
    "receipt pages": { value: `${receiptsShown}/${STUDENTS} show the checksum` },
  });
  if (failures.length) {
    console.error(`\nFAILED (${failures.length}):\n- ${failures.slice(0, 40).join("\n- ")}`);
    process.exitCode = 1;
  } else {
    console.log("all checks passed: every hand-in stored once, none lost, files on disk, late marks agree with the due time");
  }
} catch (error) {
  console.error(error);
  if (serverLog.length) console.error(`server output:\n${serverLog.join("")}`);
  process.exitCode = 1;
} finally {
  if (server && server.exitCode === null) {
    const stopped = new Promise((resolve) => server!.once("exit", resolve));
    server.kill();
    await Promise.race([stopped, new Promise((r) => setTimeout(r, 5000))]);
  }
  await closeDb();
  rmSync(dir, { recursive: true, force: true });
}

function fmtOffset(ms: number): string {
  return `${ms >= 0 ? "+" : "−"}${Math.abs(ms).toFixed(0)} ms`;
}

/** Stored files under the uploads folder (staging and partial files aside). */
function countFiles(folder: string): number {
  if (!existsSync(folder)) return 0;
  let n = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    if (entry.name === ".incoming" || entry.name.endsWith(".partial")) continue;
    n += entry.isDirectory() ? countFiles(join(folder, entry.name)) : 1;
  }
  return n;
}
