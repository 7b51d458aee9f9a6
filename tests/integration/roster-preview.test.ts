// Issue 15: the preview shows every row (paged, filtered), what an update would change, keeps
// guardians' phones and relationships, and expires after 7 days with its pupil data.
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import { NotFoundError, ForbiddenError } from "~/domain/foundation/errors.server";
import { importRoster, previewRoster, rosterPreview, sweepExpiredRosterPreviews } from "~/domain/provisioning/rosters.server";
import { failure } from "../support/refusal";
import { actorFor, demoWorld } from "../support/world";
import { xuejiGbkCsv, xuejiPupils, type XuejiPupil } from "../support/xueji-fixtures";

beforeAll(async () => {
  await demoWorld();
});

const admin = async () => actorFor("wuhou-pri.admin");
const DAY = 86_400_000;

describe("issue 15 #3: the preview shows every row, paged", () => {
  it("issue 15 #3: 250 rows in pages of 100 with counts per outcome and a filter; a stranger sees nothing", async () => {
    const pupils = xuejiPupils(250, [[5, 2], [3, 1]], { nameOffset: 2000 });
    pupils[7] = { ...pupils[7]!, gender: "男", birthDate: null, idNumber: "bad" };
    const { importId } = await previewRoster(await admin(), { fileName: "x.csv", bytes: xuejiGbkCsv(pupils) });
    const first = await rosterPreview(await admin(), importId, { filter: "all" });
    expect(first.rows).toHaveLength(100);
    expect(first.pages).toBe(3);
    expect((await rosterPreview(await admin(), importId, { filter: "all", page: 3 })).rows).toHaveLength(50);
    expect((await rosterPreview(await admin(), importId, { filter: "all", page: 99 })).page).toBe(3);
    expect(first.counts).toEqual({ all: 250, problems: 0, new: 250, updated: 0, unchanged: 0, skipped: 0 });
    expect((await rosterPreview(await admin(), importId, { filter: "new" })).rows).toHaveLength(100);
    expect((await rosterPreview(await admin(), importId, { filter: "problems" })).rows).toHaveLength(0);
    expect(await failure(async () => rosterPreview(await actorFor("wuhou-jun.admin"), importId, { filter: "all" }))).toBeInstanceOf(NotFoundError);
    expect(await failure(async () => rosterPreview(await actorFor("wuhou-pri.t1"), importId, { filter: "all" }))).toBeInstanceOf(ForbiddenError);
  });
});

describe("issue 15: guardians and what an update changes", () => {
  it("issue 15 #3: guardians' phones and relationships are kept; an update says what would change", async () => {
    const pupils = xuejiPupils(3, [[5, 2]], { nameOffset: 2400 });
    const { importId } = await previewRoster(await admin(), { fileName: "x.csv", bytes: xuejiGbkCsv(pupils) });
    const result = await importRoster(await admin(), importId);
    expect(result.newStudents).toHaveLength(3);
    const ids = result.newStudents.map((s) => s.userId);
    const contacts = await db().select().from(schema.guardianContacts).where(inArray(schema.guardianContacts.studentId, ids));
    expect(contacts).toHaveLength(4);
    expect(contacts.find((c) => c.name === pupils[0]!.guardians[0]!.name)).toMatchObject({ relation: "父亲", phone: pupils[0]!.guardians[0]!.phone });
    expect(new Set(result.newStudents.flatMap((s) => s.guardianContactIds))).toEqual(new Set(contacts.map((c) => c.id)));

    const changed: XuejiPupil[] = [
      { ...pupils[0]!, grade: 3, classNo: 1 },
      { ...pupils[1]!, guardians: [{ ...pupils[1]!.guardians[0]!, phone: "13912345678" }] },
      pupils[2]!,
    ];
    const again = await previewRoster(await admin(), { fileName: "x.csv", bytes: xuejiGbkCsv(changed) });
    const p = await rosterPreview(await admin(), again.importId, { filter: "updated" });
    expect(p.counts).toMatchObject({ updated: 2, unchanged: 1 });
    expect(p.rows[0]!.changes).toEqual([{ field: "className", from: "五年级（2）班", to: "三年级（1）班" }]);
    expect(p.rows[1]!.changes).toEqual([{ field: "guardianPhone", from: null, to: null, guardian: pupils[1]!.guardians[0]!.name }]);
    await importRoster(await admin(), again.importId);
    const user = (await first(db().select().from(schema.users).where(eq(schema.users.id, ids[1]!)).limit(1)))!;
    expect((await first(db().select().from(schema.guardianContacts).where(eq(schema.guardianContacts.studentId, user.id)).limit(1)))!.phone).toBe("13912345678");
  });
});

describe("issue 15 #6: previews expire after 7 days", () => {
  it("issue 15 #6: previews older than 7 days are deleted with their rows by the sweep and on the next upload; imported ones stay", async () => {
    const now = Date.now();
    const bytes = () => xuejiGbkCsv(xuejiPupils(2, [[5, 2]], { nameOffset: 2600 }));
    const old = await previewRoster(await admin(), { fileName: "old.csv", bytes: bytes() }, now - 8 * DAY);
    const recent = await previewRoster(await admin(), { fileName: "recent.csv", bytes: bytes() }, now - 6 * DAY);
    const otherSchool = await previewRoster(await actorFor("wuhou-jun.admin"), { fileName: "old.csv", bytes: bytes() }, now - 9 * DAY);
    const imported = await previewRoster(await admin(), { fileName: "imported.csv", bytes: xuejiGbkCsv(xuejiPupils(1, [[5, 2]], { nameOffset: 2700 })) }, now - 10 * DAY);
    await importRoster(await admin(), imported.importId);

    expect(await sweepExpiredRosterPreviews(now)).toBe(2);
    const left = (await db().select({ id: schema.rosterImports.id }).from(schema.rosterImports)).map((r) => r.id);
    expect(left).not.toContain(old.importId);
    expect(left).not.toContain(otherSchool.importId);
    expect(left).toEqual(expect.arrayContaining([recent.importId, imported.importId]));
    expect(await failure(async () => rosterPreview(await admin(), old.importId))).toBeInstanceOf(NotFoundError);

    // A new upload sweeps too.
    const stale = await previewRoster(await admin(), { fileName: "stale.csv", bytes: bytes() }, now - 8 * DAY);
    await previewRoster(await admin(), { fileName: "new.csv", bytes: bytes() });
    expect(await first(db().select().from(schema.rosterImports).where(eq(schema.rosterImports.id, stale.importId)).limit(1))).toBeUndefined();
    expect(await sweepExpiredRosterPreviews(now)).toBe(0);
  });
});
