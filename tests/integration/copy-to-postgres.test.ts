// Issue 18: a county that started on the embedded SQLite joins the province's PostgreSQL without losing
// a post. The copy keeps every row and id (checked by counts and checksums), the app then works on the
// copy, and the copy refuses what it must: a non-empty target, a SQLite database of a newer schema.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl, db, engineName, first, schema } from "#db/client";
import { CopyRefused, copyToPostgres } from "#db/copy-to-postgres";
import { signIn } from "~/domain/accounts/accounts.server";
import { DEMO_PASSWORD } from "#db/seed/demo";

const county = mkdtempSync(join(tmpdir(), "rrt-county-"));
const sqliteFile = join(county, "app.sqlite");

beforeAll(() => {
  if (engineName !== "postgres") return;
  // The county's data folder: the demo world, made by the embedded default (no DATABASE_URL).
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: county };
  delete env.DATABASE_URL;
  const seeded = spawnSync(process.execPath, ["--import", "tsx", "db/seed-demo.ts"], { env, encoding: "utf8", timeout: 120_000 });
  if (seeded.status !== 0) throw new Error(seeded.stderr);
}, 120_000);

afterAll(() => rmSync(county, { recursive: true, force: true }));

describe.skipIf(engineName !== "postgres")("copying a SQLite data folder into PostgreSQL", () => {
  it("copies every table with its ids, the counts and checksums agree, and the app signs in and reads on the copy", async () => {
    const copied = await copyToPostgres({ sqliteFile, databaseUrl: databaseUrl! });
    expect(copied.every((c) => c.same)).toBe(true);
    const source = new Database(sqliteFile, { readonly: true });
    try {
      for (const { table, rows } of copied) expect(rows, table).toBe((source.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n);
      const post = source.prepare("select id, title from posts order by id limit 1").get() as { id: string; title: string };
      expect((await first(db().select({ title: schema.posts.title }).from(schema.posts).where(eq(schema.posts.id, post.id)).limit(1)))?.title).toBe(post.title);
    } finally {
      source.close();
    }
    const signedIn = await signIn({ loginName: "wuhou-pri.t1", password: DEMO_PASSWORD, remember: false }, { address: "10.0.0.1", userAgent: "test", knownDevices: null });
    expect(signedIn.token).toBeTruthy();
  });

  it("refuses to copy into a database that already holds rows, and changes nothing", async () => {
    const before = (await db().select().from(schema.users)).length;
    await expect(copyToPostgres({ sqliteFile, databaseUrl: databaseUrl! })).rejects.toThrow(CopyRefused);
    await expect(copyToPostgres({ sqliteFile, databaseUrl: databaseUrl! })).rejects.toThrow(/already holds rows/);
    expect((await db().select().from(schema.users)).length).toBe(before);
  });

  it("refuses a SQLite database of a newer schema than the code, saying what to do", async () => {
    const newer = join(county, "newer.sqlite");
    copyFileSync(sqliteFile, newer);
    const file = new Database(newer);
    file.prepare("insert into __drizzle_migrations (hash, created_at) values ('from-the-future', ?)").run(Date.now() + 365 * 86_400_000);
    file.close();
    await expect(copyToPostgres({ sqliteFile: newer, databaseUrl: databaseUrl! })).rejects.toThrow(/newer schema than this code.*update this copy of the app/);
  });
});
