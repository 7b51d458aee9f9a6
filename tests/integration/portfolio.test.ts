import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
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
  recordConsent(actorFor("wuhou-pri.admin"), { student: "wuhou-pri.s3", guardianName: "王秀兰", signedOn: "2026-09-01", decision: "given" });
});

type Input = Partial<Record<"title" | "kind" | "occurredOn" | "description" | "descriptionJson" | "tags" | "featured" | "visibility" | "version", string>>;

const form = (input: Input) => new Map(Object.entries({ title: "我的作品", kind: "work", occurredOn: "2026-05-01", description: "一段说明", visibility: "classes", ...input }));

function create(login: string, input: Input = {}, files: string[] = []) {
  return createPortfolioItem(actorFor(login), form(input), files).id;
}


const handleOf = (login: string) => userByLogin(login).handle;

async function upload(actor: Actor, name: string, bytes: Uint8Array) {
  const body = new FormData();
  body.append("title", "ignored");
  body.append("files", new File([new Uint8Array(bytes)], name));
  const { files } = await receiveUploadForm(actor, new Request("http://localhost/portfolio/new", { method: "POST", body }));
  return files.get("files")!;
}

const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.4\n% ${text}\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n`);

describe("who may choose which visibility", () => {
  it("keeps a student under 14 within their classes and every student off 'public'", () => {
    // wuhou-pri.s1 is 8 with guardian consent; wuhou-jun.s5 is 15.
    expect(refusal(() => create("wuhou-pri.s1", { visibility: "school" })).key).toBe("errors:invalidInput");
    expect((refusal(() => create("wuhou-pri.s1", { visibility: "school" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityNotAllowed_under14");
    expect((refusal(() => create("wuhou-pri.s1", { visibility: "public" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityNotAllowed_under14");
    expect((refusal(() => create("wuhou-jun.s5", { visibility: "public" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityNotAllowed_student");
    expect(create("wuhou-jun.s5", { visibility: "school" })).toBeTruthy();
    expect(create("wuhou-pri.s1", { visibility: "classes" })).toBeTruthy();
    expect(create("wuhou-pri.t2", { visibility: "public" })).toBeTruthy();
    expect((refusal(() => create("wuhou-pri.t2", { visibility: "everyone" })) as ValidationError).fields.visibility?.key).toBe("space:visibilityInvalid");
  });

  it("offers the form only the levels the author may choose", () => {
    expect(portfolioItemForEdit(actorFor("wuhou-pri.s1"), create("wuhou-pri.s1")).choices).toEqual(["private", "classes"]);
    expect(portfolioItemForEdit(actorFor("wuhou-jun.s5"), create("wuhou-jun.s5")).choices).toEqual(["private", "classes", "school"]);
    expect(portfolioItemForEdit(actorFor("wuhou-pri.t2"), create("wuhou-pri.t2")).choices).toEqual(["private", "classes", "school", "public"]);
  });
});

describe("who may read an item", () => {
  it("shows a private item to its owner only; a guessed URL reads as not found", () => {
    const id = create("wuhou-pri.s1", { visibility: "private", title: "秘密" });
    expect(portfolioItem(actorFor("wuhou-pri.s1"), id).title).toBe("秘密");
    for (const other of ["wuhou-pri.s2", "wuhou-pri.t1", "wuhou-pri.p1", "wuhou-pri.admin", "kangding-pri.t1"]) {
      expect(() => portfolioItem(actorFor(other), id), other).toThrow(NotFoundError);
    }
    expect(refusal(() => portfolioItem(null, id)).status).toBe(401);
    expect(() => portfolioItem(actorFor("wuhou-pri.t1"), "nosuchitem00000")).toThrow(NotFoundError);
  });

  it("shows a 'classes' item to classmates, the class's teachers, the guardian and the school's admin, not to another class or school", () => {
    const id = create("wuhou-pri.s1", { visibility: "classes" });
    for (const reader of ["wuhou-pri.s3", "wuhou-pri.t1", "wuhou-pri.t3", "wuhou-pri.p1", "wuhou-pri.admin"]) {
      expect(portfolioItem(actorFor(reader), id).id, reader).toBe(id);
    }
    // wuhou-pri.s5 is in the other class of the same school; the rest are other schools or nobody's guardian.
    for (const outsider of ["wuhou-pri.s5", "wuhou-pri.p2", "wuhou-jun.t1", "wuhou-jun.s5", "kangding-pri.admin", "wuhou-pri.s2"]) {
      expect(() => portfolioItem(actorFor(outsider), id), outsider).toThrow(NotFoundError);
    }
    expect(refusal(() => portfolioItem(null, id)).status).toBe(401);
  });

  it("shows a 'school' item to the whole school, never beyond", () => {
    const id = create("wuhou-jun.s5", { visibility: "school" });
    expect(portfolioItem(actorFor("wuhou-jun.s1"), id).id).toBe(id); // another class of the same school
    expect(portfolioItem(actorFor("wuhou-jun.t2"), id).id).toBe(id);
    for (const outsider of ["wuhou-pri.t1", "wuhou-voc.s1", "kangding-pri.admin"]) expect(() => portfolioItem(actorFor(outsider), id), outsider).toThrow(NotFoundError);
  });

  it("shows a teacher's public item to anyone, signed in or not", () => {
    const id = create("wuhou-pri.t2", { visibility: "public", title: "公开课" });
    expect(portfolioItem(null, id).title).toBe("公开课");
    expect(portfolioItem(actorFor("zhaojue-jun.s5"), id).title).toBe("公开课");
    const list = portfolioOf(null, handleOf("wuhou-pri.t2")).items;
    expect(list.every((i) => i.visibility === "public")).toBe(true);
    expect(list.map((i) => i.id)).toContain(id);
  });

  it("never shows a student's portfolio to anonymous readers, and hides a closed space's items", () => {
    expect(refusal(() => portfolioOf(null, handleOf("wuhou-jun.s5"))).status).toBe(401);
    // zhaojue-pri.t1's school is at phase 1 (teachers open); closing it to phase 0 hides even a public item.
    const id = create("zhaojue-pri.t1", { visibility: "public" });
    expect(portfolioItem(null, id).id).toBe(id);
    const school = userByLogin("zhaojue-pri.t1").schoolId!;
    db().update(schema.schools).set({ phase: 0 }).where(eq(schema.schools.id, school)).run();
    try {
      expect(() => portfolioItem(actorFor("zhaojue-pri.t2"), id)).toThrow(NotFoundError);
      expect(refusal(() => portfolioItem(null, id)).status).toBe(401);
    } finally {
      db().update(schema.schools).set({ phase: 1 }).where(eq(schema.schools.id, school)).run();
    }
  });

  it("lists a space's items featured first, then in the owner's order, filtered for the reader", () => {
    const owner = "wuhou-voc.t2"; // a teacher without demo items
    const a = create(owner, { title: "A", visibility: "school" });
    const b = create(owner, { title: "B", visibility: "public", featured: "on" });
    const c = create(owner, { title: "C", visibility: "private" });
    expect(portfolioOf(actorFor(owner), handleOf(owner)).items.map((i) => i.title)).toEqual(["B", "C", "A"]);
    expect(portfolioOf(actorFor("wuhou-voc.s1"), handleOf(owner)).items.map((i) => i.id)).toEqual([b, a]);
    expect(portfolioOf(actorFor("kangding-pri.t1"), handleOf(owner)).items.map((i) => i.id)).toEqual([b]);
    expect(featuredPortfolio(actorFor("kangding-pri.t1"), userByLogin(owner).id).map((i) => i.id)).toEqual([b]);
    movePortfolioItem(actorFor(owner), a, "up");
    expect(portfolioOf(actorFor(owner), handleOf(owner)).items.map((i) => i.id)).toEqual([b, a, c]);
    // A move across the featured boundary does nothing.
    movePortfolioItem(actorFor(owner), a, "up");
    expect(portfolioOf(actorFor(owner), handleOf(owner)).items.map((i) => i.id)).toEqual([b, a, c]);
    movePortfolioItem(actorFor(owner), a, "down");
    expect(portfolioOf(actorFor(owner), handleOf(owner)).items.map((i) => i.id)).toEqual([b, c, a]);
    expect(() => movePortfolioItem(actorFor("wuhou-voc.t1"), a, "up")).toThrow(NotFoundError);
  });
});

describe("gating by rollout and flags", () => {
  it("refuses writing in a closed space and reading a portfolio whose flag is off for its owner", () => {
    // zhaojue-pri is at phase 1: its students' spaces are closed.
    expect(refusal(() => create("zhaojue-pri.s1")).key).toBe("rollout:spaceClosed");
    // kangding-pri students are outside 成都's student rule: the portfolio flag is off for them.
    expect(() => create("kangding-pri.s1")).toThrow(FeatureClosedError);
    const teacherItem = create("wuhou-pri.t3", { visibility: "school" });
    const school = userByLogin("wuhou-pri.t3").schoolId!;
    setFlagOverride(actorFor("wuhou-pri.admin"), { flag: "portfolio", scope: "school", scopeId: school, enabled: false, locked: false });
    try {
      expect(() => portfolioItem(actorFor("wuhou-pri.t1"), teacherItem)).toThrow(FeatureClosedError);
      expect(() => portfolioOf(actorFor("wuhou-pri.t1"), handleOf("wuhou-pri.t3"))).toThrow(FeatureClosedError);
      expect(() => create("wuhou-pri.t3")).toThrow(FeatureClosedError);
    } finally {
      db().delete(schema.flagOverrides).where(eq(schema.flagOverrides.scopeId, school)).run();
      bumpFlagsVersion();
    }
    expect(portfolioItem(actorFor("wuhou-pri.t1"), teacherItem).id).toBe(teacherItem);
  });
});

describe("bad input", () => {
  it("refuses each bad field beside it and stores nothing", () => {
    const before = db().select().from(schema.portfolioItems).all().length;
    const error = refusal(() => create("wuhou-pri.t2", { title: " ", kind: "poem", occurredOn: "2026-02-30", tags: Array.from({ length: 11 }, (_, i) => `t${i}`).join(",") })) as ValidationError;
    expect(error.fields.title?.key).toBe("portfolio:titleRequired");
    expect(error.fields.kind?.key).toBe("portfolio:kindInvalid");
    expect(error.fields.occurredOn?.key).toBe("portfolio:dateInvalid");
    expect(error.fields.tags?.key).toBe("portfolio:tagsInvalid");
    expect((refusal(() => create("wuhou-pri.t2", { title: "x".repeat(201) })) as ValidationError).fields.title?.key).toBe("portfolio:titleTooLong");
    expect((refusal(() => create("wuhou-pri.t2", { description: "长".repeat(100_000) })) as ValidationError).fields.description?.key).toBe("blog:bodyTooLong");
    const unknownNode = JSON.stringify({ type: "doc", content: [{ type: "iframe", attrs: { src: "https://evil.example" } }] });
    expect((refusal(() => create("wuhou-pri.t2", { descriptionJson: unknownNode })) as ValidationError).fields.description).toBeTruthy();
    expect(db().select().from(schema.portfolioItems).all().length).toBe(before);
  });

  it("stores a pasted script as harmless text", () => {
    const id = create("wuhou-pri.t2", { description: '<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a>' });
    const html = portfolioItem(actorFor("wuhou-pri.t2"), id).descriptionHtml;
    expect(html).not.toMatch(/<script|<img|<a /i);
    expect(html).toContain("&lt;script&gt;");
  });

  it("discards the files uploaded with a form that is refused", async () => {
    const actor = actorFor("wuhou-pri.t2");
    const [stored] = await upload(actor, "教案.pdf", pdf("lesson"));
    expect(() => createPortfolioItem(actor, form({ title: "" }), [stored!.id])).toThrow(ValidationError);
    expect(db().select().from(schema.files).where(eq(schema.files.id, stored!.id)).get()).toBeUndefined();
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
  it("refuses an edit made from an older version and keeps the newer one", () => {
    const owner = actorFor("wuhou-jun.s5");
    const id = create("wuhou-jun.s5", { title: "初稿" });
    const { version } = portfolioItemForEdit(owner, id);
    updatePortfolioItem(owner, id, form({ title: "第一处修改", version: String(version) }));
    const conflict = refusal(() => updatePortfolioItem(owner, id, form({ title: "第二处修改", version: String(version) })));
    expect(conflict.key).toBe("portfolio:editConflict");
    expect(portfolioItem(owner, id).title).toBe("第一处修改");
    updatePortfolioItem(owner, id, form({ title: "第二处修改", version: String(version + 1), tags: "科学, 实验，科学" }));
    expect(portfolioItem(owner, id)).toMatchObject({ title: "第二处修改", tags: ["实验", "科学"] });
  });

  it("lets only the owner edit or delete; others who cannot see it learn nothing", () => {
    const id = create("wuhou-jun.s5", { visibility: "school" });
    const edit = (login: string) => updatePortfolioItem(actorFor(login), id, form({ version: "1" }));
    expect(() => edit("wuhou-jun.s6")).toThrow(NotFoundError); // a schoolmate reads it, and finds nothing of theirs to edit
    expect(() => edit("wuhou-pri.t2")).toThrow(NotFoundError);
    expect(() => deletePortfolioItem(actorFor("wuhou-jun.t1"), id)).toThrow(NotFoundError);
    expect(() => portfolioItemForEdit(actorFor("wuhou-jun.t1"), id)).toThrow(NotFoundError);
    deletePortfolioItem(actorFor("wuhou-jun.s5"), id);
    expect(() => portfolioItem(actorFor("wuhou-jun.s5"), id)).toThrow(NotFoundError);
  });

  it("attaches uploaded files, removes ticked ones, and deletes them with the item", async () => {
    const owner = actorFor("wuhou-jun.s6");
    const [first] = await upload(owner, "报告.pdf", pdf("report"));
    const id = create("wuhou-jun.s6", {}, [first!.id]);
    expect(portfolioItem(actorFor("wuhou-jun.s7"), id).files.map((f) => f.name)).toEqual(["报告.pdf"]);
    const [second] = await upload(owner, "附录.pdf", pdf("appendix"));
    updatePortfolioItem(owner, id, new Map([...form({ version: "1" }), [`removeFile.${first!.id}`, "on"]]), [second!.id]);
    expect(portfolioItem(owner, id).files.map((f) => f.name)).toEqual(["附录.pdf"]);
    // Someone else's draft cannot be attached.
    const [foreign] = await upload(actorFor("wuhou-jun.s7"), "别人的.pdf", pdf("other"));
    expect(() => create("wuhou-jun.s6", {}, [foreign!.id])).toThrow(ForbiddenError);
    deletePortfolioItem(owner, id);
    expect(db().select().from(schema.files).where(eq(schema.files.id, second!.id)).get()).toBeUndefined();
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
    const owner = actorFor(login);
    const [a] = await upload(owner, "作品.pdf", pdf("a"));
    const [b] = await upload(owner, "作品.pdf", pdf("b"));
    create(login, { title: "书法作品 <b>", occurredOn: "2026-03-01", description: "第一段\n\n第二段", visibility: "private" }, [a!.id]);
    create(login, { title: "科学实验", kind: "project", occurredOn: "2026-06-01" }, [b!.id]);
    create(login, { title: "去年的作品", occurredOn: "2025-06-01" });
    const { body, fileName, items } = exportPortfolio(owner, 2026, labels);
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
    const all = await unzip(exportPortfolio(owner, null, labels).body);
    expect(all.index).toContain("去年的作品");
  });

  it("exports only the actor's own portfolio, and only where it is open", () => {
    expect(() => exportPortfolio(null, null, labels)).toThrow(ForbiddenError);
    expect(() => exportPortfolio(actorFor("kangding-pri.s1"), null, labels)).toThrow(FeatureClosedError);
    expect(() => exportPortfolio(actorFor("wuhou-jun.s7"), 99999, labels)).toThrow(ValidationError);
  });
});

describe("demo portfolio", () => {
  it("adds the demo items once (the demo world has them already), each readable by the rules", async () => {
    expect(await seedDemoPortfolio()).toEqual({ created: 0 });
    const teacher = portfolioOf(null, handleOf("kangding-pri.t1")).items;
    expect(teacher.map((i) => i.title)).toContain("藏文书法兴趣课");
    expect(portfolioOf(actorFor("wuhou-pri.s3"), handleOf("wuhou-pri.s1")).items.map((i) => i.title)).toContain("我的第一幅水彩画");
    expect(portfolioOf(actorFor("wuhou-jun.s6"), handleOf("wuhou-jun.s5")).items.map((i) => i.title)).not.toContain("期中学习反思");
  });
});
