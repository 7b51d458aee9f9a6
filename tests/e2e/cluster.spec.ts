// The production server as `npm start` runs it with two workers (server.mjs, node:cluster), on its own
// port and its own empty data folder (the suite's server is the single-process one, tests/e2e/serve.ts):
// the primary prepares the database once; sign-in throttling holds whichever worker answers; a worker
// that dies is replaced; SIGTERM stops everything.
import { expect, test } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { request as httpRequest } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

test.setTimeout(180_000);

let server: ChildProcess | undefined;
let dataDir = "";
let log = "";

test.afterEach(() => {
  if (server && server.exitCode === null) server.kill("SIGKILL");
  for (const pid of workerPids()) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

function workerPids(): number[] {
  return [...log.matchAll(/worker \d+ \(pid (\d+)\) serving on/g)].map((m) => Number(m[1]));
}

async function until(what: string, ok: () => boolean, ms = 90_000) {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}; server output:\n${log}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** One request on a connection of its own, so that successive requests reach the workers in turn. */
function send(base: string, method: string, path: string, form?: Record<string, string>): Promise<{ status: number; body: string }> {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${base}${path}`,
      {
        method,
        agent: false,
        headers: body ? { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body), Origin: base } : {},
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

test("two workers over one database: migrated once, throttling shared, a dead worker replaced, SIGTERM stops all", async () => {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
  const base = `http://127.0.0.1:${port}`;
  dataDir = mkdtempSync(join(tmpdir(), "rrt-cluster-"));
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", BUILD_DIR: process.env.BUILD_DIR ?? "build", WORKERS: "2" };
  delete env.WEB_CONCURRENCY;
  server = spawn("node", ["server.mjs"], { env, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout!.on("data", (c: Buffer) => (log += c.toString()));
  server.stderr!.on("data", (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((resolve) => server!.once("exit", (code) => resolve(code)));

  await until("two workers serving", () => workerPids().length === 2);
  expect(log.match(/database ready/g)).toHaveLength(1);
  expect(new Set(workerPids()).size).toBe(2);
  expect((await send(base, "GET", "/login")).status).toBe(200);

  // Five failures lock the account from this address (throttle.server.ts). Each attempt comes on a new
  // connection, so the workers take them in turn: a per-process counter would have counted 2 or 3.
  const attempt = () => send(base, "POST", "/login", { loginName: "cluster-check", password: "not-the-password" });
  for (let i = 0; i < 5; i++) expect((await attempt()).status).not.toBe(429);
  for (let i = 0; i < 2; i++) expect((await attempt()).status).toBe(429);

  const [first] = workerPids();
  process.kill(first!, "SIGKILL");
  await until("the dead worker replaced", () => workerPids().length === 3);
  expect(log).toMatch(new RegExp(`pid ${first}\\) died \\(SIGKILL\\)`));
  expect((await send(base, "GET", "/login")).status).toBe(200);

  server.kill("SIGTERM");
  expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r("still running"), 20_000))])).toBe(0);
  for (const pid of workerPids()) expect(() => process.kill(pid, 0), `worker ${pid} still running`).toThrow();
});
