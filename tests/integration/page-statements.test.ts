// Issue 17: no page runs more than 15 SQL statements, whatever the size of the data (no query per item
// shown). Each page is measured as a request runs it — the root loader (session, flags, header counts),
// any layout loader and the page's loader — at two data sizes: the count must not grow with the items shown.
import { and, eq } from "drizzle-orm";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db, schema } from "#db/client";
import { createSession } from "~/domain/sessions.server";
import { loader as rootLoader } from "~/root";
import { loader as classLoader } from "~/routes/classes.$id";
import { loader as gradebookLoader } from "~/routes/classes.$id_.gradebook";
import { loader as groupsLoader } from "~/routes/groups._index";
import { loader as groupLoader } from "~/routes/groups.$id";
import { loader as threadLoader } from "~/routes/groups.$id.threads.$threadId";
import { loader as feedLoader } from "~/routes/feed";
import { loader as parentLoader } from "~/routes/parent._index";
import { loader as childLoader } from "~/routes/parent.children.$id";
import { loader as blogLoader } from "~/routes/u.$handle_.blog";
import { loader as spaceLoader } from "~/routes/u.$handle";
import { loader as postLoader } from "~/routes/posts.$id";
import { loader as gradingLoader } from "~/routes/assignments.$id_.grading";
import { countStatementsAsync } from "../support/count-statements";
import { logStatements } from "../support/sqllog-tmp";
import { classIdOf, demoWorld, userByLogin } from "../support/world";

type Loader = (args: LoaderFunctionArgs) => unknown;

/** The statements one request for `path` runs as `login`, through the root loader and the given route loaders. */
async function pageStatements(login: string, path: string, loaders: Loader[], params: Record<string, string> = {}): Promise<number> {
  const user = userByLogin(login);
  const roles = db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, user.id)).all().map((r) => r.role);
  const wanted = /\.t\d+$/.test(login) ? "teacher" : /\.p\d+$/.test(login) ? "parent" : /\.s\d+$/.test(login) ? "student" : roles[0]!;
  const role = roles.find((r) => r === wanted) ?? roles[0]!;
  const { token } = createSession(user.id, { remember: false, activeRole: role });
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: `session=${token}` } });
  const counter = process.env.SQLLOG ? (run: () => Promise<unknown>) => logStatements(path, run).then(() => 0) : countStatementsAsync;
  return counter(async () => {
    for (const loader of [rootLoader as Loader, ...loaders]) {
      try {
        await loader({ request, params, context: { clientAddress: "203.0.113.7" } });
      } catch (e) {
        if (e instanceof Response && e.status >= 300 && e.status < 400) continue;
        throw new Error(`${path}: ${JSON.stringify(e)}`);
      }
    }
  });
}

beforeAll(async () => {
  await demoWorld();
});

describe("baseline", () => {
  it("prints", async () => {
    const klass = classIdOf("wuhou-pri", "三年级（1）班");
    const t1 = userByLogin("wuhou-pri.t1");
    const s1 = userByLogin("wuhou-pri.s1");
    const post = db().select().from(schema.posts).where(eq(schema.posts.authorId, t1.id)).get();
    const membership = db().select().from(schema.groupMembers).where(and(eq(schema.groupMembers.userId, t1.id), eq(schema.groupMembers.state, "active"))).all();
    const thread = membership.map((m) => db().select().from(schema.groupThreads).where(eq(schema.groupThreads.groupId, m.groupId)).get()).find(Boolean);
    const assignment = db().select().from(schema.assignments).where(eq(schema.assignments.authorId, t1.id)).get();
    const out: Record<string, number> = {};
    out.classT = await pageStatements("wuhou-pri.t1", `/classes/${klass}`, [classLoader], { id: klass });
    out.classS = await pageStatements("wuhou-pri.s1", `/classes/${klass}`, [classLoader], { id: klass });
    out.groups = await pageStatements("wuhou-pri.t1", `/groups`, [groupsLoader]);
    out.feed = await pageStatements("wuhou-pri.t1", `/feed`, [feedLoader]);
    out.parent = await pageStatements("wuhou-pri.p1", `/parent`, [parentLoader]);
    out.child = await pageStatements("wuhou-pri.p1", `/parent/children/${s1.id}`, [childLoader], { id: s1.id });
    out.blog = await pageStatements("wuhou-pri.t1", `/u/${t1.handle}/blog`, [blogLoader], { handle: t1.handle });
    out.space = await pageStatements("wuhou-pri.t1", `/u/${t1.handle}`, [spaceLoader], { handle: t1.handle });
    if (post) out.post = await pageStatements("wuhou-pri.t1", `/posts/${post.id}`, [postLoader], { id: post.id });
    if (thread) out.thread = await pageStatements("wuhou-pri.t1", `/groups/${thread.groupId}/threads/${thread.id}`, [groupLoader, threadLoader], { id: thread.groupId, threadId: thread.id });
    if (assignment) out.grading = await pageStatements("wuhou-pri.t1", `/assignments/${assignment.id}/grading`, [gradingLoader], { id: assignment.id });
    out.gradebook = await pageStatements("wuhou-pri.t1", `/classes/${klass}/gradebook`, [gradebookLoader], { id: klass });
    console.log(JSON.stringify(out));
  });
});
