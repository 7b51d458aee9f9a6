// Issue 18: with DATABASE_URL set, the server runs on that PostgreSQL server or not at all: an
// unreachable one stops the start with one line naming the host, never a silent fall-back to SQLite.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("starting on a PostgreSQL server", () => {
  it("stops with one line naming the host, and exit 1, when DATABASE_URL does not answer", () => {
    const started = spawnSync(process.execPath, ["server.mjs"], {
      env: { ...process.env, DATABASE_URL: "postgres://app:secret@127.0.0.1:9/province", PORT: "0", NODE_ENV: "development" },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(started.status).toBe(1);
    const lines = started.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("cannot reach PostgreSQL at 127.0.0.1:9");
    expect(lines[0]).not.toContain("secret");
    expect(started.stdout).not.toContain("serving on");
  });

  it("refuses a DATABASE_URL that is not a postgres:// address", async () => {
    const started = spawnSync(process.execPath, ["--import", "tsx", "-e", "await import('./db/client.ts')"], {
      env: { ...process.env, DATABASE_URL: "mysql://app:secret@db/province" },
      encoding: "utf8",
      timeout: 15_000,
    });
    expect(started.status).not.toBe(0);
    expect(started.stderr).toContain("DATABASE_URL must be a postgres:// address");
    expect(started.stderr).not.toContain("secret");
  });
});
