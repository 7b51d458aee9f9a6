import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import type { Stage } from "#db/schema";
import { ForbiddenError, ValidationError } from "~/domain/foundation/errors.server";
import { randomId } from "~/domain/foundation/ids.server";
import { libraryCoverage, termAt, termChoices, termOf, type CoverageFigure, type CoverageFigureKey, type LibraryCoverage } from "~/domain/library/coverage.server";
import { bumpLibraryVersion } from "~/domain/library/library-access.server";
import { createSession } from "~/domain/accounts/sessions.server";
import { loader as csvLoader } from "~/routes/region.library[.csv]";
import { loader as pageLoader } from "~/routes/region.library";
import { actorFor, userByLogin } from "../support/world";
import { countStatements } from "../support/count-statements";

const MINUTE = 60_000;
const NOW = Date.parse("2026-05-20T08:00:00Z");
// 2026-spring runs from 2026-02-01 00:00 to 2026-08-01 00:00, Beijing time.
const SPRING_START = Date.parse("2026-01-31T16:00:00Z");
const SPRING_END = Date.parse("2026-07-31T16:00:00Z");
const ADMITTED = Date.parse("2025-09-01T02:00:00Z");

// A world of its own (not the demo's, whose library changes as the demo grows): a province with two
// prefectures; the first with two counties and a school of its own.
const ids = { province: randomId(), pref: randomId(), pref2: randomId(), c1: randomId(), c2: randomId(), c3: randomId() };
const schools: Record<string, string> = {};
let author: string;

async function person(login: string, role: "teacher" | "student" | "parent" | "school_admin" | "region_admin" | "platform_admin", where: { schoolId?: string; regionId?: string } = {}) {
  const id = randomId();
  await db()
      .insert(schema.users)
      .values({ id, handle: login.replace(/\./g, "-"), loginName: login, realName: login, schoolId: where.schoolId ?? null, status: "active" });
  await db()
      .insert(schema.userRoles)
      .values({ userId: id, role, regionId: where.regionId ?? null, schoolId: where.schoolId ?? null });
  return id;
}

async function school(key: string, regionId: string, stage: Stage) {
  const id = randomId();
  await db()
      .insert(schema.schools)
      .values({ id, regionId, name: `覆盖测试${key}`, stage, loginPrefix: `cov-${key}` });
  schools[key] = id;
  await bumpLibraryVersion();
  return id;
}

type Listing = { regionId: string; version: number | null; admittedAt?: number; quality?: boolean };

/** A resource with versions (stage, subject) and listings admitting one of them (or none: pending). */
async function resource(versions: [Stage, string][], listings: Listing[], opts: { withdrawnAt?: number } = {}) {
  const id = randomId();
  await db()
      .insert(schema.libraryResources)
      .values({ id, authorId: author, withdrawnAt: opts.withdrawnAt === undefined ? null : new Date(opts.withdrawnAt), createdAt: new Date(ADMITTED - 86_400_000) });
  const versionIds: string[] = [];
  for (const [i, [stage, subject]] of versions.entries()) {
    const versionId = randomId();
    versionIds.push(versionId);
    await db()
        .insert(schema.libraryVersions)
        .values({
          id: versionId,
          resourceId: id,
          number: i + 1,
          title: `资源 ${subject}`,
          bodyJson: {},
          bodyHtml: "",
          kind: "lesson_plan",
          stage,
          grade: 1,
          subject,
          edition: "pep",
          unit: "pep:1a:1",
          language: "zh-Hans",
          licence: "platform_adapt",
          createdAt: new Date(ADMITTED - 86_400_000),
        });
  }
  await db().update(schema.libraryResources).set({ latestVersionId: versionIds[versionIds.length - 1]! }).where(eq(schema.libraryResources.id, id));
  for (const l of listings) {
    const admitted = l.version === null ? null : versionIds[l.version - 1]!;
    await db()
        .insert(schema.libraryListings)
        .values({
          id: randomId(),
          resourceId: id,
          regionId: l.regionId,
          state: admitted ? "admitted" : "pending",
          versionId: versionIds[versionIds.length - 1]!,
          admittedVersionId: admitted,
          admittedAt: admitted ? new Date(l.admittedAt ?? ADMITTED) : null,
          quality: l.quality ?? false,
        });
  }
  await bumpLibraryVersion();
  return { id, versionId: versionIds[versionIds.length - 1]! };
}

async function use(target: { id: string; versionId: string }, schoolId: string | null, at: number) {
  await db()
      .insert(schema.libraryUses)
      .values({ id: randomId(), resourceId: target.id, versionId: target.versionId, userId: author, schoolId, createdAt: new Date(at) });
  // Written here directly, not through the domain: move the library's cache version as the domain does.
  await bumpLibraryVersion();
}

const figure = (view: LibraryCoverage, key: CoverageFigureKey): CoverageFigure => view.figures.find((f) => f.key === key)!;
/** [numerator, denominator] per stage, in the catalogue's order. */
const byStage = (f: CoverageFigure) => Object.fromEntries(f.stages.map((s) => [s.stage, [s.numerator, s.denominator]]));
const bySubject = (f: CoverageFigure) => Object.fromEntries(f.subjects.map((s) => [`${s.stage}.${s.subject}`, [s.numerator, s.denominator]]));

beforeAll(async () => {
  await db().insert(schema.regions).values({ id: ids.province, parentId: null, name: "覆盖测试省", level: "province" });
  await db().insert(schema.regions).values({ id: ids.pref, parentId: ids.province, name: "甲州", level: "prefecture" });
  await db().insert(schema.regions).values({ id: ids.pref2, parentId: ids.province, name: "乙州", level: "prefecture" });
  await db().insert(schema.regions).values({ id: ids.c1, parentId: ids.pref, name: "甲一县", level: "county" });
  await db().insert(schema.regions).values({ id: ids.c2, parentId: ids.pref, name: "甲二县", level: "county" });
  await db().insert(schema.regions).values({ id: ids.c3, parentId: ids.pref2, name: "乙一县", level: "county" });
  await school("s1", ids.c1, "primary");
  await school("s2", ids.c1, "primary");
  await school("s3", ids.c1, "junior");
  await school("s4", ids.c1, "preschool"); // no library for this stage: never counted
  await school("s5", ids.c2, "senior");
  await school("s6", ids.pref, "vocational");
  await school("s7", ids.c3, "primary");
  await person("cov.province", "region_admin", { regionId: ids.province });
  await person("cov.c1", "region_admin", { regionId: ids.c1 });
  author = await person("cov-s1.t1", "teacher", { schoolId: schools.s1! });
  await person("cov-s1.s1", "student", { schoolId: schools.s1! });
  await person("cov-s1.p1", "parent");
  await person("cov-s1.admin", "school_admin", { schoolId: schools.s1! });
  await person("cov.platform", "platform_admin");
  await person("cov.pref2", "region_admin", { regionId: ids.pref2 });

  // In reach of 甲州: R1, R2, R3, R4, R9. Out: R5 (the other prefecture), R6 (withdrawn in term),
  // R7 (admitted at the term's end), R8 (pending).
  const r1 = await resource([["primary", "math"]], [{ regionId: ids.c1, version: 1 }]);
  // Its newest admitted version (v2, at the prefecture) says English; v1, admitted in the county, said Chinese.
  const r2 = await resource(
    [
      ["primary", "chinese"],
      ["primary", "english"],
    ],
    [
      { regionId: ids.c1, version: 1, quality: true },
      { regionId: ids.pref, version: 2 },
    ],
  );
  // The same version admitted in the province and the prefecture: one resource, quality from either.
  await resource(
    [["junior", "physics"]],
    [
      { regionId: ids.province, version: 1, quality: true },
      { regionId: ids.pref, version: 1 },
    ],
  );
  const r4 = await resource([["senior", "math"]], [{ regionId: ids.c2, version: 1 }]);
  const r5 = await resource([["primary", "science"]], [{ regionId: ids.c3, version: 1, quality: true }]);
  await resource([["vocational", "tourism"]], [{ regionId: ids.pref, version: 1, quality: true }], { withdrawnAt: SPRING_END - MINUTE });
  await resource([["junior", "chinese"]], [{ regionId: ids.pref, version: 1, admittedAt: SPRING_END }]);
  await resource([["primary", "art"]], [{ regionId: ids.c1, version: null }]);
  const r9 = await resource([["primary", "math"]], [{ regionId: ids.c1, version: 1 }], { withdrawnAt: SPRING_END });

  // Uses: s1 a minute after the term starts (in), s2 a minute before (in the autumn term), s3 mid-term,
  // s6 a minute before the end (in) and at the end (out), s7 (other prefecture) in term.
  await use(r1, schools.s1!, SPRING_START + MINUTE);
  await use(r9, schools.s2!, SPRING_START - MINUTE);
  await use(r1, schools.s3!, NOW - 86_400_000);
  await use(r5, schools.s6!, SPRING_END - MINUTE);
  await use(r5, schools.s6!, SPRING_END);
  await use(r4, schools.s7!, NOW);
  // A use by nobody's school exactly at the term's start: the resource counts as used, no school does.
  await use(r2, null, SPRING_START);
});

describe("terms", () => {
  it("start and end at midnight Beijing time, January belonging to the autumn before", () => {
    expect(termOf("2026-spring")).toMatchObject({ start: new Date(SPRING_START), end: new Date(SPRING_END) });
    expect(termOf("2025-autumn")).toMatchObject({ start: new Date(Date.parse("2025-07-31T16:00:00Z")), end: new Date(SPRING_START) });
    expect(termAt(SPRING_START - 1).key).toBe("2025-autumn");
    expect(termAt(SPRING_START).key).toBe("2026-spring");
    expect(termAt(SPRING_END).key).toBe("2026-autumn");
    expect(termChoices(NOW).map((t) => t.key)).toEqual(["2026-spring", "2025-autumn", "2025-spring", "2024-autumn", "2024-spring", "2023-autumn"]);
  });

  it("default to the term containing now, and offer it with the five before it", async () => {
    const view = await libraryCoverage(await actorFor("cov.province"), {}, NOW);
    expect(view.term.key).toBe("2026-spring");
    expect(view.terms.map((t) => t.key)).toEqual(termChoices(NOW).map((t) => t.key));
  });

  it("refuses a term that is not one, with the translated key", async () => {
    const admin = await actorFor("cov.province");
    for (const term of ["2026-summer", "26-spring", "2026-Spring", "spring", "1999-autumn", "2026-spring;"]) {
      const refusal = libraryCoverage(admin, { term }, NOW);
      await expect(refusal).rejects.toThrow(ValidationError);
      await expect(refusal).rejects.toMatchObject({ key: "libraryCoverage:termInvalid", fields: { term: { key: "libraryCoverage:termInvalid" } } });
    }
  });
});

describe("the four figures of a prefecture", () => {
  let view: LibraryCoverage;
  beforeAll(async () => {
    view = await libraryCoverage(await actorFor("cov.province"), { regionId: ids.pref, term: "2026-spring" }, NOW);
  });

  it("reach: schools of library stages that used a resource within the term", () => {
    const reach = figure(view, "reach");
    expect(reach.target).toBe(0.6);
    // s1 (a minute after the start), s3 and s6 (a minute before the end); not s2 (a minute before the
    // start), s5 (none), s4 (preschool), s7 (another prefecture).
    expect(byStage(reach)).toEqual({ primary: [1, 2], junior: [1, 1], senior: [0, 1], vocational: [1, 1] });
    expect(reach.total).toEqual({ numerator: 3, denominator: 5, share: 0.6 });
  });

  it("subjects: catalogue pairs of the stages its schools have, with a resource in reach", () => {
    const subjects = figure(view, "subjects");
    expect(subjects.target).toBe(0.6);
    // R2 counts as English (its newest admitted version), not Chinese; R5 is in the other prefecture.
    expect(byStage(subjects)).toEqual({ primary: [2, 11], junior: [1, 12], senior: [1, 12], vocational: [0, 11] });
    expect(subjects.stages.find((s) => s.stage === "primary")!.covered).toEqual(["math", "english"]);
    expect(subjects.stages.find((s) => s.stage === "junior")!.covered).toEqual(["physics"]);
    expect(subjects.total).toMatchObject({ numerator: 4, denominator: 46 });
    expect(subjects.subjects.filter((s) => s.numerator === 1).map((s) => `${s.stage}.${s.subject}`)).toEqual(["primary.math", "primary.english", "junior.physics", "senior.math"]);
  });

  it("quality: resources in reach marked 优质 on any of their listings", () => {
    const quality = figure(view, "quality");
    expect(quality.target).toBe(0.75);
    expect(quality.total).toEqual({ numerator: 2, denominator: 5, share: 0.4 });
    expect(byStage(quality)).toEqual({ primary: [1, 3], junior: [1, 1], senior: [0, 1], vocational: [0, 0] });
    expect(quality.stages.find((s) => s.stage === "vocational")!.share).toBeNull();
    expect(bySubject(quality)).toEqual({ "primary.math": [0, 2], "primary.english": [1, 1], "junior.physics": [1, 1], "senior.math": [0, 1] });
    expect(quality.subjects.map((s) => `${s.stage}.${s.subject}`)).toEqual(["primary.math", "primary.english", "junior.physics", "senior.math"]);
  });

  it("used: resources in reach used at least once within the term, by anyone", () => {
    const used = figure(view, "used");
    expect(used.target).toBe(0.7);
    // R1 (in term), R2 (exactly at the start), R4 (by a school of the other prefecture); not R9 (a minute
    // before the start) nor R3.
    expect(used.total).toEqual({ numerator: 3, denominator: 5, share: 0.6 });
    expect(byStage(used)).toEqual({ primary: [2, 3], junior: [0, 1], senior: [1, 1], vocational: [0, 0] });
    expect(bySubject(used)).toEqual({ "primary.math": [1, 2], "primary.english": [1, 1], "junior.physics": [0, 1], "senior.math": [1, 1] });
  });

  it("names the focus, the path from the reader's region, and the regions below", () => {
    expect(view.focus).toMatchObject({ id: ids.pref, name: "甲州" });
    expect(view.path.map((r) => r.name)).toEqual(["覆盖测试省", "甲州"]);
    expect(view.upId).toBe(ids.province);
    expect(view.children.map((r) => r.name).sort()).toEqual(["甲一县", "甲二县"].sort());
  });

  it("moves with the term: the autumn before counts the use a minute before spring began", async () => {
    const autumn = await libraryCoverage(await actorFor("cov.province"), { regionId: ids.pref, term: "2025-autumn" }, NOW);
    expect(byStage(figure(autumn, "reach"))).toEqual({ primary: [1, 2], junior: [0, 1], senior: [0, 1], vocational: [0, 1] });
    expect(figure(autumn, "reach").total).toMatchObject({ numerator: 1, denominator: 5 });
    // In reach then too (admitted in September), and R6, R7 not yet withdrawn or admitted: R6 was withdrawn
    // after that term's end, so it counts; R7 was admitted later, so it does not.
    expect(figure(autumn, "quality").total).toMatchObject({ numerator: 3, denominator: 6 });
    expect(figure(autumn, "used").total).toMatchObject({ numerator: 1, denominator: 6 });
  });

  it("are the same for the platform admin", async () => {
    const platform = await libraryCoverage(await actorFor("cov.platform"), { regionId: ids.pref, term: "2026-spring" }, NOW);
    expect(platform.figures).toEqual(view.figures);
    expect(platform.path.map((r) => r.name)).toEqual(["覆盖测试省", "甲州"]);
  });
});

describe("who sees what", () => {
  it("gives the province admin their whole province by default", async () => {
    const view = await libraryCoverage(await actorFor("cov.province"), {}, NOW);
    expect(view.focus?.id).toBe(ids.province);
    expect(view.upId).toBeNull();
    expect(byStage(figure(view, "reach"))).toEqual({ primary: [2, 3], junior: [1, 1], senior: [0, 1], vocational: [1, 1] });
    // R5 (the other prefecture's, marked quality, used at s6 a minute before the end) is now in reach.
    expect(figure(view, "quality").total).toMatchObject({ numerator: 3, denominator: 6 });
    expect(figure(view, "used").total).toMatchObject({ numerator: 4, denominator: 6 });
  });

  it("gives a county admin their county only: its schools, and the libraries above and in it", async () => {
    const county = await actorFor("cov.c1");
    const view = await libraryCoverage(county, { term: "2026-spring" }, NOW);
    expect(view.focus?.id).toBe(ids.c1);
    expect(view.path.map((r) => r.name)).toEqual(["甲一县"]);
    expect(view.upId).toBeNull();
    expect(byStage(figure(view, "reach"))).toEqual({ primary: [1, 2], junior: [1, 1], senior: [0, 0], vocational: [0, 0] });
    // R1, R2, R3 (province and prefecture) and R9; not R4 (a sibling county).
    expect(byStage(figure(view, "subjects"))).toEqual({ primary: [2, 11], junior: [1, 12], senior: [0, 0], vocational: [0, 0] });
    expect(figure(view, "quality").total).toEqual({ numerator: 2, denominator: 4, share: 0.5 });
    expect(figure(view, "used").total).toEqual({ numerator: 2, denominator: 4, share: 0.5 });
  });

  it("refuses a county admin a region above, beside or outside theirs, alike whether it exists", async () => {
    const county = await actorFor("cov.c1");
    for (const regionId of [ids.pref, ids.province, ids.c2, ids.c3, randomId()]) await expect(libraryCoverage(county, { regionId }, NOW)).rejects.toThrow(ForbiddenError);
    await expect(libraryCoverage(await actorFor("cov.pref2"), { regionId: ids.c1 }, NOW)).rejects.toThrow(ForbiddenError);
  });

  it("refuses teachers, students, parents, school admins and anonymous", async () => {
    for (const login of ["cov-s1.t1", "cov-s1.s1", "cov-s1.p1", "cov-s1.admin"]) {
      await expect(libraryCoverage(await actorFor(login), {}, NOW)).rejects.toThrow(ForbiddenError);
      await expect(libraryCoverage(await actorFor(login), { regionId: ids.c1 }, NOW)).rejects.toThrow(ForbiddenError);
    }
    await expect(libraryCoverage(null, {}, NOW)).rejects.toThrow(ForbiddenError);
  });
});

/** A route's answer for a signed-in person: its data, or the Response it returned or threw. */
async function get<T>(loader: (args: never) => Promise<T>, login: string, path: string): Promise<T | Response> {
  const user = await userByLogin(login);
  const [role] = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, user.id));
  const { token } = await createSession(user.id, { remember: false, activeRole: role!.role });
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: `session=${token}`, "Accept-Language": "zh-Hans" } });
  try {
    return await (loader as unknown as (args: object) => Promise<T>)({ request, params: {}, context: { clientAddress: "203.0.113.7" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("the dashboard and its CSV", () => {
  it("gives the page each figure's shares by stage, formatted, with the term chooser", async () => {
    const page = await get(pageLoader, "cov.province", `/region/library?region=${ids.pref}&term=2025-autumn`);
    if (page instanceof Response) throw new Error(`status ${page.status}`);
    expect(page.termKey).toBe("2025-autumn");
    expect(page.terms.length).toBe(6);
    expect(page.figures.map((f) => f.key)).toEqual(["reach", "subjects", "quality", "used"]);
    expect(page.figures[0]!.total).toEqual({ numerator: "1", denominator: "5", percent: "20%" });
    expect(page.csvHref).toBe(`/region/library.csv?region=${ids.pref}&term=2025-autumn`);
  });

  it("shows the current term, with the reason, for a term that is not one", async () => {
    const page = await get(pageLoader, "cov.province", `/region/library?term=2026-winter`);
    if (page instanceof Response) throw new Error(`status ${page.status}`);
    expect(page.termError).toBe("libraryCoverage:termInvalid");
    expect(page.termKey).toBe(termAt(Date.now()).key);
  });

  it("hands a region admin the CSV with a BOM and headers in their language, and refuses a teacher", async () => {
    const csv = await get(csvLoader, "cov.province", `/region/library.csv?region=${ids.pref}&term=2026-spring`);
    if (!(csv instanceof Response)) throw new Error("not a response");
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(await csv.arrayBuffer());
    expect(text.startsWith("\uFEFF")).toBe(true);
    const lines = text.slice(1).split("\r\n");
    expect(lines[0]).toBe("指标,学段,学科,分子,分母,占比");
    expect(lines).toContain("学校覆盖,合计,,3,5,0.6");
    expect(lines).toContain("优质资源,小学,,1,3,0.3333");
    expect(lines).toContain("优质资源,职业教育,,0,0,");
    const refused = await get(csvLoader, "cov-s1.t1", `/region/library.csv`);
    expect(refused instanceof Response && refused.status).toBe(403);
    const badTerm = await get(csvLoader, "cov.province", `/region/library.csv?term=nope`);
    expect(badTerm instanceof Response && badTerm.status).toBe(400);
  });
});

// Last: it adds rows that change the figures above.
describe("cost", () => {
  it("runs the same few statements however many schools, resources and uses there are", async () => {
    const admin = await actorFor("cov.province");
    // Counted afresh each time (the version moved), as after any decision or use.
    const measure = async () => {
      await bumpLibraryVersion();
      return countStatements(async () => libraryCoverage(admin, { regionId: ids.pref, term: "2026-spring" }, NOW));
    };
    const before = await measure();
    for (let i = 0; i < 15; i++) {
      const id = await school(`more${i}`, i % 2 ? ids.c1 : ids.c2, i % 3 ? "primary" : "senior");
      const r = await resource([[i % 3 ? "primary" : "senior", i % 2 ? "math" : "it"]], [{ regionId: i % 2 ? ids.c1 : ids.pref, version: 1, quality: i % 4 === 0 }]);
      await use(r, id, NOW - i * MINUTE);
    }
    expect(await measure()).toBe(before);
    expect(before).toBeLessThanOrEqual(10);
  });
});

describe("kept counts", () => {
  it("a dashboard read again without a change reads the library's version instead of counting; a use counts again", async () => {
    const admin = await actorFor("cov.province");
    const read = async () => {
      let view: LibraryCoverage | undefined;
      const statements = await countStatements(async () => {
        view = await libraryCoverage(admin, { regionId: ids.pref, term: "2026-spring" }, NOW);
      });
      return { statements, used: figure(view!, "used").total.numerator };
    };
    await bumpLibraryVersion();
    const cold = await read();
    const warm = await read();
    expect(warm.statements).toBe(cold.statements - 2);
    expect(warm.used).toBe(cold.used);
    // A use recorded anywhere moves the version: the next reading counts it.
    const fresh = await resource([["primary", "math"]], [{ regionId: ids.pref, version: 1 }]);
    await use(fresh, schools.s1!, NOW - MINUTE);
    const after = await read();
    expect(after.statements).toBe(cold.statements);
    expect(after.used).toBe(cold.used + 1);
  });
});
