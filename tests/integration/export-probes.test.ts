// Issue 13, "Also found": CSV exports without the formula escape on multi-line cells, and export
// routes that refused with untranslated JSON instead of the error page.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "#db/schema";
import { createAssignment } from "~/domain/classwork/assignments.server";
import { beijingLocalTimeOf } from "~/domain/foundation/beijing-time.server";
import { randomId } from "~/domain/foundation/ids.server";
import { createSession } from "~/domain/accounts/sessions.server";
import { FORMULA_START, toCsv } from "~/lib/csv.server";
import { actorFor, classIdOf, demoWorld, userByLogin } from "../support/world";

let classId: string;
beforeAll(async () => {
  await demoWorld();
  classId = await classIdOf("wuhou-pri", "三年级（1）班");
});

type Loader = (args: LoaderFunctionArgs) => Promise<Response> | Response;

/** Calls a resource route's loader as `login` in `role`; a thrown Response is its answer. */
async function get(loader: Loader, login: string, role: Role, path: string, params: Record<string, string> = {}): Promise<Response> {
  const { token } = await createSession((await userByLogin(login)).id, { remember: false, activeRole: role });
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: `session=${token}` } });
  try {
    return await loader({ request, params, context: { clientAddress: "203.0.113.7" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

const gradebookRoute = async () => (await import("~/routes/classes.$id_.gradebook_.$format")).loader as Loader;

describe("issue 13 · every CSV export escapes cells that start like a formula, multi-line ones too", () => {
  it("prefixes ' to cells starting with = + - @ tab or CR, whatever follows on later lines", () => {
    const csv = toCsv(["h"], [["+1\n第二行"], ["=HYPERLINK(\"http://evil.example\")\r\nx"], ["-2+3"], ["@SUM(A1)"], ["\tcmd"], ["\rcmd"], ["普通"], [-5], ["a+b"]]);
    const cells = csv.slice(csv.indexOf("\r\n"));
    expect(cells).toContain(`"'+1\n第二行"`);
    expect(cells).toContain(`"'=HYPERLINK(""http://evil.example"")\r\nx"`);
    expect(cells).toContain("'-2+3");
    expect(cells).toContain("'@SUM(A1)");
    expect(cells).toContain("'\tcmd");
    expect(cells).toContain("普通");
    expect(cells).toContain("\r\n-5\r\n"); // a number stays a number
    expect(cells).toContain("a+b");
    expect(FORMULA_START.test("a\n=1")).toBe(false); // only a cell's start is read as a formula
  });

  it("escapes a two-line assignment title starting with + in the gradebook CSV", async () => {
    const title = "+1 加分题\n第二行";
    await createAssignment(
      await actorFor("wuhou-pri.t1", "teacher"),
      new Map([
        ["id", randomId()],
        ["title", title],
        ["body", "做题"],
        [`class.${classId}`, "on"],
        ["openAt", beijingLocalTimeOf(new Date(Date.now() - 3_600_000))],
        ["dueAt", beijingLocalTimeOf(new Date(Date.now() + 86_400_000))],
        ["points", "10"],
        ["intent", "publish"],
      ]),
    );
    const answer = await get(await gradebookRoute(), "wuhou-pri.t1", "teacher", `/classes/${classId}/gradebook/csv`, { id: classId, format: "csv" });
    expect(answer.status).toBe(200);
    const csv = await answer.text();
    expect(csv).toContain(`"'+1 加分题\n第二行 (10)"`);
    expect(csv).not.toMatch(/(^|,)"?\+1 加分题/m);
  });
});

describe("issue 13 · export routes refuse with the translated error page, not JSON", () => {
  const expectErrorPage = async (answer: Response, status: number, words: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get("Content-Type")).toBe("text/html; charset=utf-8");
    const page = await answer.text();
    expect(page).toContain('<html lang="zh-Hans">');
    expect(page).toContain(words);
    expect(page).not.toContain("messageKey");
  };

  it("answers a pupil asking for the class gradebook with the error page in their language", async () => {
    const answer = await get(await gradebookRoute(), "wuhou-pri.s2", "student", `/classes/${classId}/gradebook/csv`, { id: classId, format: "csv" });
    expect(answer.status).not.toBe(200);
    await expectErrorPage(answer, answer.status, "返回首页");
    const unknownFormat = await get(await gradebookRoute(), "wuhou-pri.t1", "teacher", `/classes/${classId}/gradebook/pdf`, { id: classId, format: "pdf" });
    await expectErrorPage(unknownFormat, 404, "找不到要找的内容。");
  });

  it("answers a teacher asking for the region's or the school's adoption CSV, or the roster template, with the error page", async () => {
    const region = (await import("~/routes/region.adoption[.csv]")).loader as Loader;
    const school = (await import("~/routes/school.adoption[.csv]")).loader as Loader;
    const template = (await import("~/routes/school.roster_.template.$format")).loader as Loader;
    for (const [loader, path, params] of [
      [region, "/region/adoption.csv", {}],
      [school, "/school/adoption.csv", {}],
      [template, "/school/roster/template/csv", { format: "csv" }],
    ] as const) {
      const answer = await get(loader, "wuhou-pri.t1", "teacher", path, params);
      expect([403, 404]).toContain(answer.status);
      await expectErrorPage(answer, answer.status, "返回首页");
    }
    // The right person still gets the file.
    const own = await get(school, "wuhou-pri.admin", "school_admin", "/school/adoption.csv");
    expect(own.status).toBe(200);
    expect(own.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
  });

  it("answers a parent asking for a portfolio export with the error page", async () => {
    const portfolio = (await import("~/routes/portfolio.export")).loader as Loader;
    const answer = await get(portfolio, "wuhou-pri.p1", "parent", "/portfolio/export");
    expect([403, 404]).toContain(answer.status);
    await expectErrorPage(answer, answer.status, "返回首页");
  });
});
