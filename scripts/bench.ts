// `npm run build && npm run bench [-- --students 100000 --small 1000 --workers 2]` (issue 17): the key
// pages on a generated province slice (npm run seed:scale; databases kept in .bench-data/<N>), against
// the budgets. For each page: SQL statements for one request (one worker, BENCH_ROUTES=1 counts
// them), then requests per second and p50/p99 latency with autocannon at 1 and 32 connections, asking
// for compressed answers as browsers do, signed in as a sample user of the slice, on the production
// server (`--workers` processes), with a bare route (/__bench/hello, same middleware) as the reference.
// The same pages at `--small` students give the p50 ratio. Also the compressed bytes of a first visit to
// each page (HTML, CSS, JS, fonts; user images aside) in Chromium as a phone without Tibetan or Yi
// fonts: read pages at most 60 KB. Each page's HTML is kept in .bench-data/<N>/pages for
// npm run bench:compression.
// Each page is first loaded unmeasured for `--warmup` seconds (default 2) at 32 connections.
// `--postgres` (issue 18): the same slices copied into a throwaway PostgreSQL cluster
// (scripts/pg-throwaway.sh, db:copy-to-postgres) and served by two app server processes per core.
// Results: a table on stdout and .bench-data/bench-results.json (-postgres.json). Exit 1 when a budget is missed.
import autocannon from "autocannon";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { Browser } from "@playwright/test";
import { copyToPostgres } from "../db/copy-to-postgres";
import { LIBRARY_SEARCH_SAMPLE, SCALE_SEED_VERSION } from "../db/seed/scale";
import { launchChromium } from "./demo-server";

const { values } = parseArgs({
  options: {
    students: { type: "string", default: "100000" },
    small: { type: "string", default: "1000" },
    workers: { type: "string", default: "2" },
    seconds: { type: "string", default: "5" },
    warmup: { type: "string", default: "2" },
    port: { type: "string", default: "3250" },
    postgres: { type: "boolean", default: false },
    /** Only the pages whose label contains this (e.g. "library"); every page when empty. */
    only: { type: "string", default: "" },
  },
});
const onPostgres = values.postgres;
const BUDGET = { statements: 15, p99Ms: 100, ratio: 0.4, growth: 1.5, readPageBytes: 60 * 1024 };
const port = Number(values.port);
const base = `http://localhost:${port}`;
const seconds = Number(values.seconds);

type Login = { role: string; loginName: string; ids?: Record<string, string> };
/** read: a page to read (no editor), held to the first-visit byte budget. */
type Page = { label: string; as: "teacher" | "student" | "parent" | "region" | null; path: (l: Logins) => string; read?: boolean };
type Logins = Record<"teacher" | "student" | "parent" | "region", Login>;

const ALL_PAGES: Page[] = [
  { label: "sign-in (anonymous)", as: null, path: () => "/login" },
  { label: "space home (a teacher's, read by a pupil)", as: "student", path: (l) => `/u/${l.teacher.loginName.replace(".", "-")}`, read: true },
  { label: "post", as: "student", path: (l) => `/posts/${l.teacher.ids!.postId}`, read: true },
  { label: "class space", as: "teacher", path: (l) => `/classes/${l.teacher.ids!.classId}`, read: true },
  { label: "grading queue", as: "teacher", path: (l) => `/assignments/${l.teacher.ids!.assignmentId}/grading` },
  { label: "gradebook", as: "teacher", path: (l) => `/classes/${l.teacher.ids!.classId}/gradebook` },
  { label: "parent progress", as: "parent", path: (l) => `/parent/children/${l.parent.ids!.studentId}`, read: true },
  { label: "group thread", as: "teacher", path: (l) => `/groups/${l.teacher.ids!.groupId}/threads/${l.teacher.ids!.threadId}`, read: true },
  { label: "feed", as: "student", path: () => "/feed", read: true },
  { label: "region adoption dashboard", as: "region", path: () => "/region/adoption" },
  { label: "library search", as: "teacher", path: () => `/library?q=${encodeURIComponent(LIBRARY_SEARCH_SAMPLE)}`, read: true },
  { label: "library dashboard", as: "region", path: () => "/region/library", read: true },
];

const PAGES = values.only ? ALL_PAGES.filter((p) => p.label.includes(values.only!)) : ALL_PAGES;

/** The slice at `students`, generated once into .bench-data/<students> (again when the scale seed's version changes). */
function slice(students: number): { dir: string; logins: Logins } {
  const dir = resolve(".bench-data", String(students));
  const versionFile = join(dir, "seed-version");
  const current = existsSync(join(dir, "scale-logins.json")) && existsSync(versionFile) && readFileSync(versionFile, "utf8").trim() === String(SCALE_SEED_VERSION);
  if (!current) {
    mkdirSync(dir, { recursive: true });
    const run = spawnSync("node", ["--import", "tsx", "scripts/seed-scale.ts", "--students", String(students), "--out", dir, "--force"], { stdio: "inherit" });
    if (run.status !== 0) throw new Error(`seed:scale --students ${students} failed`);
    writeFileSync(versionFile, `${SCALE_SEED_VERSION}\n`);
  }
  const all = (JSON.parse(readFileSync(join(dir, "scale-logins.json"), "utf8")) as { logins: Login[] }).logins;
  const pick = (role: string, need: string[]) => {
    const found = all.find((l) => l.role === role && need.every((k) => l.ids?.[k]));
    if (!found) throw new Error(`no sample ${role} with ${need.join(", ")} in ${dir}`);
    return found;
  };
  const teacher = pick("teacher", ["classId", "assignmentId", "groupId", "threadId", "postId"]);
  return {
    dir,
    logins: { teacher, student: all.find((l) => l.role === "student" && l.ids?.schoolId === teacher.ids!.schoolId) ?? pick("student", []), parent: pick("parent", ["studentId"]), region: all.find((l) => l.loginName === "sichuan.edu") ?? pick("region_admin", []) },
  };
}

/** The throwaway PostgreSQL cluster of a --postgres run, and the slices copied into it. */
let cluster: { url: string; dir: string } | undefined;
const copied = new Map<string, string>();

async function postgresCopyOf(dir: string): Promise<string> {
  if (!cluster) {
    const started = spawnSync("bash", ["scripts/pg-throwaway.sh", "start"], { encoding: "utf8" });
    if (started.status !== 0) throw new Error(`no PostgreSQL cluster: ${started.stderr}`);
    const vars = Object.fromEntries([...started.stdout.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
    cluster = { url: vars.DATABASE_URL!, dir: vars.PG_THROWAWAY_DIR! };
    process.once("exit", () => spawnSync("bash", ["scripts/pg-throwaway.sh", "stop", cluster!.dir]));
  }
  if (!copied.has(dir)) {
    const name = `bench_${copied.size}`;
    spawnSync("psql", [cluster.url, "-qc", `create database ${name} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C.UTF-8'`], { stdio: "inherit" });
    const url = cluster.url.replace(/\/postgres$/, `/${name}`);
    const t = performance.now();
    const rows = (await copyToPostgres({ sqliteFile: join(dir, "app.sqlite"), databaseUrl: url })).reduce((sum, c) => sum + c.rows, 0);
    console.log(`copied ${dir} into PostgreSQL: ${rows.toLocaleString("en")} rows in ${Math.round(performance.now() - t)} ms`);
    spawnSync("psql", [url, "-qc", "vacuum analyze"], { stdio: "inherit" });
    copied.set(dir, url);
  }
  return copied.get(dir)!;
}

async function startServer(dir: string, workers: number): Promise<ChildProcess> {
  const database = onPostgres ? { DATABASE_URL: await postgresCopyOf(dir) } : {};
  const server = spawn("node", ["server.mjs"], {
    env: { ...process.env, ...database, PORT: String(port), DATA_DIR: dir, NODE_ENV: "production", WORKERS: String(workers), BENCH_ROUTES: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let ready = 0;
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on("data", (chunk: Buffer) => {
      ready += chunk.toString().split("serving on").length - 1;
      if (ready >= 1) resolve();
    });
    server.on("exit", (code) => reject(new Error(`server exited ${code}`)));
  });
  // Every worker listening (each prints its own line).
  for (let i = 0; i < 100 && ready < workers; i++) await new Promise((r) => setTimeout(r, 100));
  return server;
}

async function stopServer(server: ChildProcess) {
  const exited = new Promise((r) => server.on("exit", r));
  server.kill("SIGTERM");
  await exited;
}

async function signIn(login: Login, password: string): Promise<string> {
  const response = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams({ loginName: login.loginName, password }),
  });
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (response.status !== 302 || !cookies.length) throw new Error(`sign-in as ${login.loginName}: ${response.status}`);
  return cookies.join("; ");
}

const statementsSoFar = async () => ((await (await fetch(`${base}/__bench/statements`)).json()) as { statements: number }).statements;

/**
 * Waits until every worker is idle: requests of a finished run may still be queued (at 32 connections
 * on a slow page, seconds of them), and would otherwise land in the next run's latencies.
 */
async function settle() {
  for (let i = 0; i < 300; i++) {
    const times = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const t = performance.now();
        await (await fetch(`${base}/__bench/hello`, { headers: { Connection: "close" } })).text();
        return performance.now() - t;
      }),
    );
    if (Math.max(...times) < 50) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Load = { rps: number; p50: number; p99: number; errors: number };
async function load(path: string, cookie: string | undefined, connections: number): Promise<Load> {
  await settle();
  // Compressed, as every browser asks for it: compressing is part of what a page costs.
  const headers: Record<string, string> = { "accept-encoding": "br, gzip" };
  if (cookie) headers.cookie = cookie;
  const result = await autocannon({ url: base + path, connections, duration: seconds, headers });
  return { rps: Math.round(result.requests.average), p50: result.latency.p50, p99: result.latency.p99, errors: result.errors + result.timeouts + result.non2xx };
}

/**
 * What a first visit downloads, compressed as sent (body and headers), with an empty cache: the
 * reader's session only. User images (files, thumbnails) are content, not the page's weight.
 */
async function firstVisitBytes(browser: Browser, path: string, cookie: string | undefined): Promise<number> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  if (cookie) await context.addCookies(cookie.split("; ").map((c) => ({ name: c.slice(0, c.indexOf("=")), value: c.slice(c.indexOf("=") + 1), url: base })));
  const page = await context.newPage();
  const sizes: Promise<number>[] = [];
  page.on("requestfinished", (request) => {
    if (/\/(files|thumbs)\//.test(new URL(request.url()).pathname)) return;
    sizes.push(request.sizes().then((s) => s.responseBodySize + s.responseHeadersSize));
  });
  const response = await page.goto(base + path, { waitUntil: "networkidle" });
  await page.waitForTimeout(200);
  if (response?.status() !== 200) throw new Error(`${path}: ${response?.status()} in Chromium`);
  const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
  await context.close();
  return bytes;
}

type Row = { page: string; path: string; statements: number; bytes: number; c1: Load; c32: Load; ratio32: number };

async function measure(students: number, workers: number): Promise<{ hello: { c1: Load; c32: Load }; rows: Row[] }> {
  const { dir, logins } = slice(students);
  const password = (JSON.parse(readFileSync(join(dir, "scale-logins.json"), "utf8")) as { password: string }).password;
  const paths = PAGES.map((p) => p.path(logins));

  // One worker: the statements one request costs (a warm-up request first, as the load below is warm).
  let server = await startServer(dir, 1);
  const cookies: Partial<Record<string, string>> = {};
  for (const role of ["teacher", "student", "parent", "region"] as const) cookies[role] = await signIn(logins[role], password);
  const statements: number[] = [];
  const pagesDir = join(dir, "pages");
  mkdirSync(pagesDir, { recursive: true });
  for (const [i, page] of PAGES.entries()) {
    const headers = page.as ? { cookie: cookies[page.as]! } : undefined;
    const warm = await fetch(base + paths[i], { headers, redirect: "manual" });
    if (warm.status !== 200) throw new Error(`${page.label} (${paths[i]}) answered ${warm.status} at ${students} students`);
    await warm.arrayBuffer();
    const before = await statementsSoFar();
    const html = await (await fetch(base + paths[i], { headers })).text();
    statements.push((await statementsSoFar()) - before);
    // Kept for npm run bench:compression, which weighs compression settings on real pages.
    writeFileSync(join(pagesDir, `${i}.html`), html);
  }
  // First visits in Chromium (compression is the production server's, the same with one worker).
  const browser = await launchChromium({ withoutTibetanYiFonts: true });
  const bytes: number[] = [];
  for (const [i, page] of PAGES.entries()) bytes.push(await firstVisitBytes(browser, paths[i]!, page.as ? cookies[page.as] : undefined));
  await browser.close();
  await stopServer(server);

  // The production server: throughput and latency.
  server = await startServer(dir, workers);
  const hello = { c1: await load("/__bench/hello", undefined, 1), c32: await load("/__bench/hello", undefined, 32) };
  const rows: Row[] = [];
  for (const [i, page] of PAGES.entries()) {
    const cookie = page.as ? cookies[page.as] : undefined;
    // Unmeasured first: every worker's connections, prepared statements and plans warm, as on a server
    // that has been up for a while (a fresh PostgreSQL connection prepares and plans each statement anew).
    await autocannon({ url: base + paths[i]!, connections: 32, duration: Number(values.warmup), headers: { "accept-encoding": "br, gzip", ...(cookie ? { cookie } : {}) } });
    const c1 = await load(paths[i]!, cookie, 1);
    const c32 = await load(paths[i]!, cookie, 32);
    rows.push({ page: page.label, path: paths[i]!, statements: statements[i]!, bytes: bytes[i]!, c1, c32, ratio32: Math.round((c32.rps / hello.c32.rps) * 100) / 100 });
    console.log(`${students}: ${page.label}: ${statements[i]} statements, ${c32.rps} req/s at 32 (p99 ${c32.p99} ms)`);
  }
  await stopServer(server);
  return { hello, rows };
}

const big = Number(values.students);
const small = Number(values.small);
// On PostgreSQL, two app server processes per core (the topology); on SQLite, --workers.
const workers = onPostgres ? 2 * cpus().length : Number(values.workers);
const started = Date.now();
const large = await measure(big, workers);
const little = await measure(small, workers);

const table = large.rows.map((r, i) => {
  const s = little.rows[i]!;
  const growth = Math.round((r.c1.p50 / Math.max(s.c1.p50, 1)) * 100) / 100;
  const read = PAGES[i]!.read;
  const missed = [
    r.statements > BUDGET.statements && `>${BUDGET.statements} SQL`,
    read && r.bytes > BUDGET.readPageBytes && `> ${BUDGET.readPageBytes / 1024} KB`,
    r.c32.p99 >= BUDGET.p99Ms && `p99 ≥ ${BUDGET.p99Ms} ms`,
    r.ratio32 < BUDGET.ratio && `< ${BUDGET.ratio * 100}% of bare`,
    growth > BUDGET.growth && `p50 × ${growth}`,
    (r.c1.errors || r.c32.errors) && "errors",
  ].filter(Boolean);
  return {
    page: r.page,
    sql: r.statements,
    [`sql@${small}`]: s.statements,
    KB: Math.round(r.bytes / 102.4) / 10,
    "rps c1": r.c1.rps,
    "p50 c1": r.c1.p50,
    "rps c32": r.c32.rps,
    "p50 c32": r.c32.p50,
    "p99 c32": r.c32.p99,
    "÷bare": r.ratio32,
    errors: r.c1.errors + r.c32.errors,
    [`p50 ÷ @${small}`]: growth,
    verdict: missed.length ? missed.join("; ") : "ok",
  };
});
console.log(`\n${onPostgres ? "PostgreSQL" : "SQLite"}: ${big.toLocaleString("en")} students (p50 growth against ${small.toLocaleString("en")}), ${workers} workers on ${cpus().length} cores, ${seconds} s per run`);
console.log(`bare route: ${large.hello.c1.rps} req/s at 1 connection, ${large.hello.c32.rps} req/s at 32 (p99 ${large.hello.c32.p99} ms)`);
console.table(table);
mkdirSync(".bench-data", { recursive: true });
writeFileSync(join(".bench-data", onPostgres ? "bench-results-postgres.json" : "bench-results.json"), JSON.stringify({ at: new Date().toISOString(), engine: onPostgres ? "postgres" : "sqlite", machine: { cores: cpus().length, cpu: cpus()[0]?.model }, students: big, small, workers, budgets: BUDGET, large, little, table }, null, 2));
console.log(`took ${Math.round((Date.now() - started) / 1000)} s; results in .bench-data/${onPostgres ? "bench-results-postgres.json" : "bench-results.json"}`);
if (table.some((r) => r.verdict !== "ok")) process.exitCode = 1;
