import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first as firstOf } from "#db/client";
import type { Actor } from "~/domain/foundation/actor.server";
import { ForbiddenError, NotFoundError, ValidationError } from "~/domain/foundation/errors.server";
import { receiveUploadForm } from "~/domain/uploads/files.server";
import { bumpFlagsVersion, FeatureClosedError, setFlagOverride } from "~/domain/rollout/flags.server";
import { recordConsent } from "~/domain/rollout/rollout.server";
import {
  createPortfolioItem,
  deletePortfolioItem,
  exportPortfolio,
  featuredPortfolio,
  movePortfolioItem,
  portfolioItem,
  portfolioItemForEdit,
  portfolioOf,
  safeZipName,
  updatePortfolioItem,
} from "~/domain/portfolio/portfolio.server";
import { seedDemoPortfolio } from "#db/seed/portfolio";
import { actorFor, demoWorld, userByLogin } from "../support/world";
import { refusal } from "../support/refusal";

beforeAll(async () => {
  await demoWorld();
  // wuhou-pri.s3 reads as a classmate: a pupil reads others only once their own space is open
  // (issue 13 #8b), so the demo's s3 gets a guardian's paper consent. wuhou-pri.s2 stays without.
  await recordConsent(await actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

type Input = Partial<Record<"title" | "kind" | "occurredOn" | "description" | "descriptionJson" | "tags" | "featured" | "visibility" | "version", string>>;

const form = (input: Input) => new Map(Object.entries({ title: "我的作品", kind: "work", occurredOn: "2026-05-01", description: "一段说明", visibility: "classes", ...input }));

async function create(login: string, input: Input = {}, files: string[] = []) {
  return (await createPortfolioItem(await actorFor(login), form(input), files)).id;
}


const handleOf = async (login: string) => (await userByLogin(login)).handle;

async function upload(actor: Actor, name: string, bytes: Uint8Array) {
  const body = new FormData();
  body.append("title", "ignored");
  body.append("files", new File([new Uint8Array(bytes)], name));
  const { files } = await receiveUploadForm(actor, new Request("http://localhost/portfolio/new", { method: "POST", body }));
  return files.get("files")!;
}

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`);

describe("who may choose which visibility", () => {
  it("keeps a student under 14 within their classes and every student off 'public'", async () => {
    // wuhou-pri.s1 is 8 with guardian consent; wuhou-jun.s5 is 15.
    expect((await refusal(async () => create("wuhou-pri.s1", { visibility: "school" }))).key).toBe("errors:invalidInput");
    expect((await refusal(async () => create("wuhou-pri.s1", { visibility: "school" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityNotAllowed_under14");
    expect((await refusal(async () => create("wuhou-pri.s1", { visibility: "public" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityNotAllowed_under14");
    expect((await refusal(async () => create("wuhou-jun.s5", { visibility: "public" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityNotAllowed_student");
    expect(await create("wuhou-jun.s5", { visibility: "school" })).toBeTruthy();
    expect(await create("wuhou-pri.s1", { visibility: "classes" })).toBeTruthy();
    expect(await create("wuhou-pri.t2", { visibility: "public" })).toBeTruthy();
    expect((await refusal(async () => create("wuhou-pri.t2", { visibility: "everyone" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityInvalid");
  });

  it("offers the form only the levels the author may choose", async () => {
    expect((await portfolioItemForEdit(await actorFor("wuhou-pri.s1"), await create("wuhou-pri.s1"))).choices).toEqual(["private", "classes"]);
    expect((await portfolioItemForEdit(await actorFor("wuhou-jun.s5"), await create("wuhou-jun.s5"))).choices).toEqual(["private", "classes", "school"]);
    expect((await portfolioItemForEdit(await actorFor("wuhou-pri.t2"), await create("wuhou-pri.t2"))).choices).toEqual(["private", "classes", "school", "public"]);
  });
});

describe("who may read an item", () => {
  it("shows a private item to its owner only; a guessed URL reads as not found", async () => {
    const id = await create("wuhou-pri.s1", { visibility: "private", title: "秘密" });
    expect((await portfolioItem(await actorFor("wuhou-pri.s1"), id)).title).toBe("秘密");
    for (const other of ["wuhou-pri.s2", "wuhou-pri.t1", "wuhou-pri.p1", "wuhou-pri.admin", "kangding-pri.t1"]) {
      await expect(portfolioItem(await actorFor(other), id)).rejects.toThrow(NotFoundError);
    }
    expect((await refusal(async () => portfolioItem(null, id))).status).toBe(401);
    await expect(portfolioItem(await actorFor("wuhou-pri.t1"), "nosuchitem00000")).rejects.toThrow(NotFoundError);
  });

  it("shows a 'classes' item to classmates, the class's teachers, the guardian and the school's admin, not to another class or school", async () => {
    const id = await create("wuhou-pri.s1", { visibility: "classes" });
    for (const reader of ["wuhou-pri.s3", "wuhou-pri.t1", "wuhou-pri.t3", "wuhou-pri.p1", "wuhou-pri.admin"]) {
      expect((await portfolioItem(await actorFor(reader), id)).id, reader).toBe(id);
    }
    // wuhou-pri.s5 is in the other class of the same school; the rest are other schools or nobody's guardian.
    for (const outsider of ["wuhou-pri.s5", "wuhou-pri.p2", "wuhou-jun.t1", "wuhou-jun.s5", "kangding-pri.admin", "wuhou-pri.s2"]) {
      await expect(portfolioItem(await actorFor(outsider), id)).rejects.toThrow(NotFoundError);
    }
    expect((await refusal(async () => portfolioItem(null, id))).status).toBe(401);
  });

  it("shows a 'school' item to the whole school, never beyond", async () => {
    const id = await create("wuhou-jun.s5", { visibility: "school" });
    expect((await portfolioItem(await actorFor("wuhou-jun.s1"), id)).id).toBe(id); // another class of the same school
    expect((await portfolioItem(await actorFor("wuhou-jun.t2"), id)).id).toBe(id);
    for (const outsider of ["wuhou-pri.t1", "wuhou-voc.s1", "kangding-pri.admin"]) await expect(portfolioItem(await actorFor(outsider), id)).rejects.toThrow(NotFoundError);
  });

  it("shows a teacher's public item to anyone, signed in or not", async () => {
    const id = await create("wuhou-pri.t2", { visibility: "public", title: "公开课" });
    expect((await portfolioItem(null, id)).title).toBe("公开课");
    expect((await portfolioItem(await actorFor("zhaojue-jun.s5"), id)).title).toBe("公开课");
    const list = (await portfolioOf(null, await handleOf("wuhou-pri.t2"))).items;
    expect(list.every((i) => i.visibility === "public")).toBe(true);
    expect(list.map((i) => i.id)).toContain(id);
  });

  it("never shows a student's portfolio to anonymous readers, and hides a closed space's items", async () => {
    expect((await refusal(async () => portfolioOf(null, await handleOf("wuhou-jun.s5")))).status).toBe(401);
    // zhaojue-pri.t1's school is at phase 1 (teachers open); closing it to phase 0 hides even a public item.
    const id = await create("zhaojue-pri.t1", { visibility: "public" });
    expect((await portfolioItem(null, id)).id).toBe(id);
    const school = (await userByLogin("zhaojue-pri.t1")).schoolId!;
    await db().update(schema.schools).set({ phase: 0 }).where(eq(schema.schools.id, school));
    try {
      await expect(portfolioItem(await actorFor("zhaojue-pri.t2"), id)).rejects.toThrow(NotFoundError);
      expect((await refusal(async () => portfolioItem(null, id))).status).toBe(401);
    } finally {
      await db().update(schema.schools).set({ phase: 1 }).where(eq(schema.schools.id, school));
    }
  });

  it("lists a space's items featured first, then in the owner's order, filtered for the reader", async () => {
    const owner = "wuhou-voc.t2"; // a teacher without demo items
    const a = await create(owner, { title: "A", visibility: "school" });
    const b = await create(owner, { title: "B", visibility: "public", featured: "on" });
    const c = await create(owner, { title: "C", visibility: "private" });
    expect((await portfolioOf(await actorFor(owner), await handleOf(owner))).items.map((i) => i.title)).toEqual(["B", "C", "A"]);
    expect((await portfolioOf(await actorFor("wuhou-voc.s1"), await handleOf(owner))).items.map((i) => i.id)).toEqual([b, a]);
    expect((await portfolioOf(await actorFor("kangding-pri.t1"), await handleOf(owner))).items.map((i) => i.id)).toEqual([b]);
    expect((await featuredPortfolio(await actorFor("kangding-pri.t1"), (await userByLogin(owner)).id)).map((i) => i.id)).toEqual([b]);
    await movePortfolioItem(await actorFor(owner), a, "up");
    expect((await portfolioOf(await actorFor(owner), await handleOf(owner))).items.map((i) => i.id)).toEqual([b, a, c]);
    // A move across the featured boundary does nothing.
    await movePortfolioItem(await actorFor(owner), a, "up");
    expect((await portfolioOf(await actorFor(owner), await handleOf(owner))).items.map((i) => i.id)).toEqual([b, a, c]);
    await movePortfolioItem(await actorFor(owner), a, "down");
    expect((await portfolioOf(await actorFor(owner), await handleOf(owner))).items.map((i) => i.id)).toEqual([b, c, a]);
    await expect(movePortfolioItem(await actorFor("wuhou-voc.t1"), a, "up")).rejects.toThrow(NotFoundError);
  });
});

describe("gating by rollout and flags", () => {
  it("refuses writing in a closed space and reading a portfolio whose flag is off for its owner", async () => {
    // zhaojue-pri is at phase 1: its students' spaces are closed.
    expect((await refusal(async () => create("zhaojue-pri.s1"))).key).toBe("rollout:spaceClosed");
    // kangding-pri students are outside 成都's student rule: the portfolio flag is off for them.
    await expect(create("kangding-pri.s1")).rejects.toThrow(FeatureClosedError);
    const teacherItem = await create("wuhou-pri.t3", { visibility: "school" });
    const school = (await userByLogin("wuhou-pri.t3")).schoolId!;
    await setFlagOverride(await actorFor("wuhou-pri.admin"), { flag: "portfolio", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      await expect(portfolioItem(await actorFor("wuhou-pri.t1"), teacherItem)).rejects.toThrow(FeatureClosedError);
      await expect(portfolioOf(await actorFor("wuhou-pri.t1"), await handleOf("wuhou-pri.t3"))).rejects.toThrow(FeatureClosedError);
      await expect(create("wuhou-pri.t3")).rejects.toThrow(FeatureClosedError);
    } finally {
      await db().delete(schema.flagOverrides).where(eq(schema.flagOverrides.scopeId, school));
      await bumpFlagsVersion();
    }
    expect((await portfolioItem(await actorFor("wuhou-pri.t1"), teacherItem)).id).toBe(teacherItem);
  });
});

describe("bad input", () => {
  it("refuses each bad field beside it and stores nothing", async () => {
    const before = (await db().select().from(schema.portfolioItems)).length;
    const error = await refusal(async () => create("wuhou-pri.t2", { title: " ", kind: "poem", occurredOn: "2026-02-30", tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") })) as ValidationError;
    expect(error.fields.title?.key).toBe("portfolio:titleRequired");
    expect(error.fields.kind?.key).toBe("portfolio:kindInvalid");
    expect(error.fields.occurredOn?.key).toBe("portfolio:dateInvalid");
    expect(error.fields.tags?.key).toBe("portfolio:tagsInvalid");
    expect((await refusal(async () => create("wuhou-pri.t2", { title: "x".repeat(201) })) as ValidationError).fields.title?.key).toBe("portfolio:titleTooLong");
    expect((await refusal(async () => create("wuhou-pri.t2", { description: "长".repeat(100_000) })) as ValidationError).fields.description?.key).toBe("blog:bodyTooLong");
    const unknownNode = JSON.stringify({ type: "doc", content: [{ type: "iframe", attrs: { src: "https://evil.example" } }] });
    expect((await refusal(async () => create("wuhou-pri.t2", { descriptionJson: unknownNode })) as ValidationError).fields.description).toBeTruthy();
    expect((await db().select().from(schema.portfolioItems)).length).toBe(before);
  });

  it("stores a pasted script as harmless text", async () => {
    const id = await create("wuhou-pri.t2", { description: '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>' });
    const html = (await portfolioItem(await actorFor("wuhou-pri.t2"), id)).descriptionHtml;
    expect(html).not.toMatch(/<script|<img|<a /i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("discards the files uploaded with a form that is refused", async () => {
    const actor = await actorFor("wuhou-pri.t2");
    const [stored] = await upload(actor, "教案.pdf", pdf("lesson"));
    await expect(createPortfolioItem(actor, form({ title: "" }), [stored!.id])).rejects.toThrow(ValidationError);
    expect(await firstOf(db().select().from(schema.files).where(eq(schema.files.id, stored!.id)).limit(1))).toBeUndefined();
  });

  it("makes archive names safe and unique", () => {
    const used = new Set<string>();
    expect(safeZipName("../../x", used)).toBe("_.._x");
    expect(safeZipName("CON", used)).toBe("_CON");
    expect(safeZipName("con.txt", used)).toBe("_con.txt");
    expect(safeZipName("作品.pdf", used)).toBe("作品.pdf");
    expect(safeZipName("作品.PDF", used)).toBe("作品 (2).PDF");
    expect([...safeZipName(`${"长".repeat(300)}.pdf`, used)].length).toBeLessThanOrEqual(100);
    expect(safeZipName("a\u0000b<c>:d.txt", used)).toBe("a_b_c__d.txt");
  });
});

describe("editing", () => {
  it("refuses an edit made from an older version and keeps the newer one", async () => {
    const owner = await actorFor("wuhou-jun.s5");
    const id = await create("wuhou-jun.s5", { title: "初稿" });
    const { version } = await portfolioItemForEdit(owner, id);
    await updatePortfolioItem(owner, id, form({ title: "第一处修改", version: String(version) }));
    const conflict = await refusal(async () => updatePortfolioItem(owner, id, form({ title: "第二处修改", version: String(version) })));
    expect(conflict.key).toBe("portfolio:editConflict");
    expect((await portfolioItem(owner, id)).title).toBe("第一处修改");
    await updatePortfolioItem(owner, id, form({ title: "第二处修改", version: String(version + 1), tags: "科学, 实验，科学" }));
    expect(await portfolioItem(owner, id)).toMatchObject({ title: "第二处修改", tags: ["实验", "科学"] });
  });

  it("lets only the owner edit or delete; others who cannot see it learn nothing", async () => {
    const id = await create("wuhou-jun.s5", { visibility: "school" });
    const edit = async (login: string) => updatePortfolioItem(await actorFor(login), id, form({ version: "1" }));
    await expect(edit("wuhou-jun.s6")).rejects.toThrow(NotFoundError); // a schoolmate reads it, and finds nothing of theirs to edit
    await expect(edit("wuhou-pri.t2")).rejects.toThrow(NotFoundError);
    await expect(deletePortfolioItem(await actorFor("wuhou-jun.t1"), id)).rejects.toThrow(NotFoundError);
    await expect(portfolioItemForEdit(await actorFor("wuhou-jun.t1"), id)).rejects.toThrow(NotFoundError);
    await deletePortfolioItem(await actorFor("wuhou-jun.s5"), id);
    await expect(portfolioItem(await actorFor("wuhou-jun.s5"), id)).rejects.toThrow(NotFoundError);
  });

  it("attaches uploaded files, removes ticked ones, and deletes them with the item", async () => {
    const owner = await actorFor("wuhou-jun.s6");
    const [first] = await upload(owner, "报告.pdf", pdf("report"));
    const id = await create("wuhou-jun.s6", {}, [first!.id]);
    expect((await portfolioItem(await actorFor("wuhou-jun.s7"), id)).files.map((f) => f.name)).toEqual(["报告.pdf"]);
    const [second] = await upload(owner, "附录.pdf", pdf("appendix"));
    await updatePortfolioItem(owner, id, new Map([...form({ version: "1" }), [`removeFile.${first!.id}`, "on"]]), [second!.id]);
    expect((await portfolioItem(owner, id)).files.map((f) => f.name)).toEqual(["附录.pdf"]);
    // Someone else's draft cannot be attached.
    const [foreign] = await upload(await actorFor("wuhou-jun.s7"), "别人的.pdf", pdf("other"));
    await expect(create("wuhou-jun.s6", {}, [foreign!.id])).rejects.toThrow(ForbiddenError);
    await deletePortfolioItem(owner, id);
    expect(await firstOf(db().select().from(schema.files).where(eq(schema.files.id, second!.id)).limit(1))).toBeUndefined();
  });
});

describe("export", () => {
  async function unzip(body: ReadableStream<Uint8Array>) {
    const dir = mkdtempSync(join(tmpdir(), "portfolio-zip-"));
    const path = join(dir, "export.zip");
    writeFileSync(path, Buffer.from(await new Response(body).arrayBuffer()));
    const names = execFileSync("unzip", ["-Z1", path], { encoding: "utf8" }).trim().split("\n");
    const index = execFileSync("unzip", ["-p", path, "index.html"], { encoding: "utf8" });
    return { path, names, index };
  }

  const labels = { lng: "zh-Hans", t: (key: string, params?: Record<string, unknown>) => `${key}${params ? JSON.stringify(params) : ""}`, formatDate: (d: string) => d };

  it("zips the owner's items of a year with a printable index and their files", async () => {
    const login = "wuhou-jun.s7";
    const owner = await actorFor(login);
    const [a] = await upload(owner, "作品.pdf", pdf("a"));
    const [b] = await upload(owner, "作品.pdf", pdf("b"));
    await create(login, { title: "书法作品 <b>", occurredOn: "2026-03-01", description: "第一段\n\n第二段", visibility: "private" }, [a!.id]);
    await create(login, { title: "科学实验", kind: "project", occurredOn: "2026-06-01" }, [b!.id]);
    await create(login, { title: "去年的作品", occurredOn: "2025-06-01" });
    const { body, fileName, items } = await exportPortfolio(owner, 2026, labels);
    expect(fileName).toBe(`portfolio-${owner.handle}-2026.zip`);
    expect(items).toBe(2);
    const { names, index } = await unzip(body);
    expect(names.sort()).toEqual(["files/作品 (2).pdf", "files/作品.pdf", "index.html"]);
    expect(index).toContain(owner.realName);
    expect(index).toContain("武侯区第一初级中学");
    expect(index).toContain("书法作品 &lt;b&gt;");
    expect(index).toContain("<p>第一段</p>");
    expect(index).toContain('href="files/%E4%BD%9C%E5%93%81.pdf"');
    expect(index).toContain("portfolio:kinds.project");
    expect(index).not.toContain("去年的作品");
    expect(index).toMatch(/<style>/);
    expect(index).not.toMatch(/<script|<link/);
    const all = await unzip((await exportPortfolio(owner, null, labels)).body);
    expect(all.index).toContain("去年的作品");
  });

  it("exports only the actor's own portfolio, and only where it is open", async () => {
    await expect(exportPortfolio(null, null, labels)).rejects.toThrow(ForbiddenError);
    await expect(exportPortfolio(await actorFor("kangding-pri.s1"), null, labels)).rejects.toThrow(FeatureClosedError);
    await expect(exportPortfolio(await actorFor("wuhou-jun.s7"), 99999, labels)).rejects.toThrow(ValidationError);
  });
});

describe("demo portfolio", () => {
  it("adds the demo items once (the demo world has them already), each readable by the rules", async () => {
    expect(await seedDemoPortfolio()).toEqual({ created: 0 });
    const teacher = (await portfolioOf(null, await handleOf("kangding-pri.t1"))).items;
    expect(teacher.map((i) => i.title)).toContain("藏文书法兴趣课");
    expect((await portfolioOf(await actorFor("wuhou-pri.s3"), await handleOf("wuhou-pri.s1"))).items.map((i) => i.title)).toContain("我的第一幅水彩画");
    expect((await portfolioOf(await actorFor("wuhou-jun.s6"), await handleOf("wuhou-jun.s5"))).items.map((i) => i.title)).not.toContain("期中学习反思");
  });
});
