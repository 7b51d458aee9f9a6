// Issue 14, item 2 ("errors come back as real pages"): an editor page's action returns its refusal, with
// what was typed (rich JSON included), so the page, with or without JavaScript, shows it again beside the
// fields. A refused file used to drop the text typed before it; someone who may not write there is still
// refused as before, before a byte is read.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema, first } from "#db/client";
import type { Role } from "#db/schema";
import { createSession } from "~/domain/accounts/sessions.server";
import { demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

const BOLD_DOC = JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "加粗的要点", marks: [{ type: "bold" }] }] }] });

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<unknown>;
type Answer = { status: number; values?: unknown; fieldErrors?: Record<string, { key: string }> };

/** A multipart POST of `fields` (in order) then an empty file, as `login`, through the route's action. */
async function post(action: Action, login: string, role: Role, params: Record<string, string>, fields: [string, string][]): Promise<Answer> {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  form.append("files", new File([], "空的.txt", { type: "text/plain" }));
  const { token } = await createSession((await userByLogin(login)).id, { remember: false, activeRole: role });
  const request = new Request("http://localhost/x", { method: "POST", body: form, headers: { Cookie: `session=${token}` } });
  let answer: unknown;
  try {
    answer = await action({ request, params, context: { clientAddress: "203.0.113.7" } });
  } catch (thrown) {
    answer = thrown;
  }
  // data(…) answers carry { data, init }; a thrown Response carries its status.
  const shaped = answer as { data?: { values?: unknown; fieldErrors?: Answer["fieldErrors"] }; init?: { status?: number }; status?: number };
  return { status: shaped.init?.status ?? shaped.status ?? 200, values: shaped.data?.values, fieldErrors: shaped.data?.fieldErrors };
}

async function assignmentId(title: string): Promise<string> {
  return (await first(db().select({ id: schema.assignments.id }).from(schema.assignments).where(eq(schema.assignments.title, title)).limit(1)))!.id;
}

async function lessonId(login: string, title: string): Promise<string> {
  const author = (await userByLogin(login)).id;
  return (await first(db().select({ id: schema.lessons.id }).from(schema.lessons).where(and(eq(schema.lessons.authorId, author), eq(schema.lessons.title, title))).limit(1)))!.id;
}

describe("issue 14 item 2 · a refused file keeps what was typed before it, rich JSON included", () => {
  it("the hand-in page returns the work's text and JSON with the file's refusal beside the files", async () => {
    const { action } = await import("~/routes/assignments.$id_.submit");
    const answer = await post(action as Action, "wuhou-pri.s5", "student", { id: await assignmentId("生活中的分数") }, [
      ["versionId", "v-refused-1"],
      ["body", "加粗的要点"],
      ["bodyJson", BOLD_DOC],
    ]);
    expect(answer.status).toBe(400);
    expect(answer.fieldErrors?.files?.key).toBe("files:empty");
    expect(answer.values).toEqual({ body: "加粗的要点", bodyJson: BOLD_DOC, versionId: "v-refused-1" });
  });

  it("the new lesson page returns the title, text and JSON typed", async () => {
    const { action } = await import("~/routes/lessons.new");
    const answer = await post(action as Action, "wuhou-pri.t2", "teacher", {}, [
      ["title", "没保存的课"],
      ["body", "加粗的要点"],
      ["bodyJson", BOLD_DOC],
    ]);
    expect(answer.status).toBe(400);
    expect(answer.values).toMatchObject({ title: "没保存的课", body: "加粗的要点" });
    expect(JSON.stringify(answer.values)).toContain("加粗的要点");
  });

  it("refuses with 404 a teacher who edits another teacher's lesson, before reading the form", async () => {
    const { action } = await import("~/routes/lessons.$id_.edit");
    const answer = await post(action as Action, "wuhou-pri.t1", "teacher", { id: await lessonId("wuhou-pri.t2", "异分母分数加减法") }, [["title", "改别人的课"]]);
    expect(answer.status).toBe(404);
    expect(answer.values).toBeUndefined();
  });

  it("refuses a pupil of another class on the hand-in page", async () => {
    const { action } = await import("~/routes/assignments.$id_.submit");
    const answer = await post(action as Action, "wuhou-pri.s1", "student", { id: await assignmentId("生活中的分数") }, [["body", "不是我的作业"]]);
    expect(answer.status).toBe(404);
  });
});
