// Issue 18: PostgreSQL restarts while the app serves. Requests in flight fail (the app answers them with
// its error page), the pool replaces its broken connections, the next request works, and no hand-in that
// was acknowledged is lost. Needs the throwaway cluster of scripts/test-postgres.sh (PG_THROWAWAY_DIR).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, engineName, schema } from "#db/client";
import { createAssignment, submitWork, type Receipt } from "~/domain/classwork/assignments.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { randomId } from "~/domain/foundation/ids.server";
import { actorFor, classIdOf, demoWorld } from "../support/world";

const cluster = process.env.PG_THROWAWAY_DIR;
const HOUR = 3_600_000;
const form = (fields: Record<string, string>) => new Map(Object.entries(fields));
let assignmentId: string;

beforeAll(async () => {
  if (engineName !== "postgres" || !cluster) return;
  await demoWorld();
  const classId = await classIdOf("wuhou-pri", "三年级（1）班");
  const now = Date.now();
  const local = (ms: number) => beijingLocalTimeOf(new Date(ms));
  const fields = { id: randomId(), title: "重启时交作业", body: "写一段话。", [`class.${classId}`]: "on", openAt: local(now - HOUR), dueAt: local(now + 48 * HOUR), allowResubmit: "on", points: "10", intent: "publish" };
  assignmentId = (await createAssignment(await actorFor("wuhou-pri.t1", "teacher"), form(fields), [], now)).id;
});

describe.skipIf(engineName !== "postgres" || !cluster)("PostgreSQL restarts while the app serves", () => {
  it("fails what is in flight, works again on the next request, and loses no acknowledged hand-in", async () => {
    const pupil = await actorFor("wuhou-pri.s1");
    const handIn = (text: string) => submitWork(pupil, assignmentId, form({ versionId: randomId(), body: text }));
    const acknowledged: Receipt[] = [];
    let failed = 0;
    for (let i = 0; i < 5; i++) acknowledged.push(await handIn(`重启前 ${i}`));

    const restart = promisify(execFile)("bash", ["scripts/pg-throwaway.sh", "restart", cluster!]);
    let restarted = false;
    void restart.finally(() => (restarted = true));
    while (!restarted) {
      try {
        acknowledged.push(await handIn(`重启中 ${acknowledged.length}`));
      } catch {
        failed++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    await restart;

    // The next request after the restart works: broken connections were dropped from the pool.
    acknowledged.push(await handIn("重启后"));
    expect(failed, "some hand-ins met the restart").toBeGreaterThan(0);

    const kept = await db()
      .select({ id: schema.submissionVersions.id, number: schema.submissionVersions.number })
      .from(schema.submissionVersions)
      .where(inArray(schema.submissionVersions.id, acknowledged.map((r) => r.versionId)));
    expect(kept).toHaveLength(acknowledged.length);
    expect(new Set(kept.map((v) => v.number)).size).toBe(acknowledged.length);
  });
});
