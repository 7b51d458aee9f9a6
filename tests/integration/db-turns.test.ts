// Issue 18 item 1: on the embedded SQLite, a transaction spans awaits, and the process's other requests
// share its one connection. Their queries must wait for the transaction's end: otherwise a write of
// theirs would be rolled back with someone else's refused transaction, and a read would see what was
// never committed.
import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, engineName, execute, firstRow, outsideTransaction, schema, first } from "#db/client";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const versionOf = async (name: string) => (await firstRow<{ version: number }>(sql`select version from cache_versions where name = ${name}`))?.version;
const write = (name: string, version = 1) => execute(sql`insert into cache_versions (name, version) values (${name}, ${version}) on conflict(name) do update set version = ${version}`);

describe("transactions on the one SQLite connection", () => {
  // On PostgreSQL each request has its own connection: nothing waits, and a rollback takes only its own writes.
  it.skipIf(engineName !== "sqlite")("hold back another request's write until they end, so a rollback does not take it along", async () => {
    const events: string[] = [];
    const refused = db()
      .transaction(async () => {
        await execute(sql`insert into cache_versions (name, version) values ('turns-a', 1)`);
        events.push("a written");
        await pause(30); // a real wait (a file upload, a hash): other requests run meanwhile
        throw new Error("refused");
      })
      .catch((error: Error) => events.push(`a ${error.message}`));
    const other = (async () => {
      await pause(5);
      await write("turns-b");
      events.push("b written");
    })();
    await Promise.all([refused, other]);
    expect(events).toEqual(["a written", "a refused", "b written"]);
    expect(await versionOf("turns-a")).toBeUndefined();
    expect(await versionOf("turns-b")).toBe(1);
  });

  it("let a read from elsewhere see only what was committed", async () => {
    await write("turns-c", 1);
    let seenDuring: number | undefined;
    const changing = db()
      .transaction(async () => {
        await execute(sql`update cache_versions set version = 2 where name = 'turns-c'`);
        await pause(20);
        throw new Error("refused");
      })
      .catch(() => undefined);
    const reading = (async () => {
      await pause(5);
      seenDuring = await versionOf("turns-c");
    })();
    await Promise.all([changing, reading]);
    expect(seenDuring).toBe(1); // it waited for the end, and never saw the 2 that was rolled back
  });

  it("take turns with each other: two read-then-write transactions never lose an update", async () => {
    await write("turns-d", 0);
    const bump = () =>
      db().transaction(async (tx) => {
        const row = await first(tx.select({ version: schema.cacheVersions.version }).from(schema.cacheVersions).where(eq(schema.cacheVersions.name, "turns-d")).limit(1));
        await pause(5);
        await execute(sql`update cache_versions set version = ${row!.version + 1} where name = 'turns-d'`);
      });
    await Promise.all(Array.from({ length: 5 }, bump));
    expect(await versionOf("turns-d")).toBe(5);
  });

  it("make a transaction opened inside one a savepoint: its failure undoes only itself", async () => {
    await db().transaction(async () => {
      await execute(sql`insert into cache_versions (name, version) values ('turns-e', 1)`);
      await db()
        .transaction(async (inner) => {
          await inner.run(sql`insert into cache_versions (name, version) values ('turns-f', 1)`);
          throw new Error("inner refused");
        })
        .catch(() => undefined);
    });
    expect(await versionOf("turns-e")).toBe(1);
    expect(await versionOf("turns-f")).toBeUndefined();
  });

  it("run work outside the caller's transaction after its end (removing the bytes of deleted files)", async () => {
    await write("turns-g", 1);
    let seenOutside: number | undefined;
    let outside: Promise<void> | undefined;
    await db().transaction(async () => {
      await execute(sql`update cache_versions set version = 2 where name = 'turns-g'`);
      outside = outsideTransaction(async () => {
        seenOutside = await versionOf("turns-g");
      });
      await pause(10);
      expect(seenOutside).toBeUndefined(); // still waiting for the commit
    });
    await outside;
    expect(seenOutside).toBe(2);
  });
});
