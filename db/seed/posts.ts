// Demo blog posts: a few published posts by teachers, written through the blog's own domain functions
// (so they are rendered and sanitized like any other). One in Tibetan by a 甘孜 teacher and one in Yi
// by a 凉山 teacher, where their school's phase has opened their space. Idempotent: each post has a
// fixed id, and writing a post whose id exists returns it unchanged (the double-submit rule).
import { eq } from "drizzle-orm";
import { actorOf, type SignedInActor } from "~/domain/foundation/actor.server";
import { DomainError } from "~/domain/foundation/errors.server";
import { createPost } from "~/domain/spaces/posts.server";
import { db, schema } from "../client";
import { first } from "../client";

type Node = Record<string, unknown>;
const text = (t: string, marks?: string[]): Node => ({ type: "text", text: t, ...(marks ? { marks: marks.map((type) => ({ type })) } : {}) });
const p = (...content: Node[]): Node => ({ type: "paragraph", content });
const h = (level: number, t: string): Node => ({ type: "heading", attrs: { level }, content: [text(t)] });
const ul = (...items: string[]): Node => ({ type: "bulletList", content: items.map((i) => ({ type: "listItem", content: [p(text(i))] })) });
const quote = (t: string): Node => ({ type: "blockquote", content: [p(text(t))] });

type DemoPost = { id: string; login: string; title: string; visibility: "school" | "public" | "classes"; tags: string; content: Node[] };

const POSTS: DemoPost[] = [
  {
    id: "demopost0000001",
    login: "wuhou-pri.t1",
    title: "春游前的安全小课",
    visibility: "school",
    tags: "安全教育, 春游",
    content: [
      p(text("下周三我们三年级去望江楼公园春游。出发前，请同学们和家长一起读一读下面几条：")),
      ul("穿运动鞋，带水壶和帽子。", "跟紧自己的小组，不离开老师的视线。", "不在湖边追跑打闹。"),
      h(3, "带什么"),
      p(text("一本小本子，记下你看到的三种植物。回来后我们在语文课上写一篇"), text("观察日记", ["bold"]), text("。")),
    ],
  },
  {
    id: "demopost0000002",
    login: "wuhou-pri.t2",
    title: "怎样陪孩子读完一本书",
    visibility: "public",
    tags: "阅读, 家庭教育",
    content: [
      p(text("很多家长问我：孩子拿起书翻两页就放下了，怎么办？我的建议是先不追求读完，而是追求"), text("读得开心", ["italic"]), text("。")),
      quote("每天十分钟，比周末一口气读两个小时更有用。"),
      ul("让孩子自己挑书。", "读完一章，请孩子讲给你听。", "把书放在看得见、拿得到的地方。"),
    ],
  },
  {
    id: "demopost0000003",
    login: "wuhou-jun.t1",
    title: "七年级语文：《春》的朗读练习",
    visibility: "school",
    tags: "语文, 朗读",
    content: [
      p(text("朱自清的《春》适合朗读。请注意停顿和重音，读出“盼望着，盼望着”的期待。")),
      h(3, "作业"),
      p(text("录一段一分钟的朗读，下节课我们一起听。")),
    ],
  },
  {
    id: "demopost0000004",
    login: "kangding-pri.t1",
    title: "བོད་ཡིག་གི་ཀློག་འདོན་སྦྱོང་བརྡར།",
    visibility: "public",
    tags: "བོད་ཡིག, 藏文",
    content: [
      p(text("སློབ་ཕྲུག་རྣམས་ཀྱིས་ཉིན་རེར་བོད་ཡིག་གི་དཔེ་དེབ་ཀློག་དགོས། ཀློག་འདོན་བྱེད་སྐབས་ཚིག་རེ་རེ་གསལ་པོར་བརྗོད་རོགས།")),
      ul("ཉིན་རེར་སྐར་མ་བཅུ་ཀློག་འདོན་བྱེད།", "ཕ་མ་ལ་བཤད་ནས་ཉན་དུ་འཇུག", "ཚིག་གསར་པ་དེབ་ཆུང་དུ་འབྲི།"),
      p(text("每天读十分钟藏文课文，读给爸爸妈妈听，把新词写在小本子上。")),
    ],
  },
  {
    id: "demopost0000005",
    login: "zhaojue-pri.t1",
    title: "ꆈꌠꉙ ꀊꆨꌠ ꇁꄀ",
    visibility: "public",
    tags: "ꆈꌠꉙ, 彝文",
    content: [
      p(text("ꆈꌠꉙꀋꐯ ꊿꋍꑟ ꑳꌦ ꇁꄀ ꉬꇬ。ꀊꆨꌠꇁ ꆈꌠꉙ ꉢꂷꇬ。")),
      ul("ꑍꑍ ꆈꌠꉙ ꋍꃅ ꇁ。", "ꀉꂿ ꀉꁌ ꇬ ꇁ ꉢ。"),
      p(text("每天读一段彝文，读给家里人听。")),
    ],
  },
];

/** A signed-in actor for a demo teacher, as a session would give it (seeding writes as them). */
async function teacherActor(loginName: string): Promise<SignedInActor | null> {
  const user = await first(db().select().from(schema.users).where(eq(schema.users.loginName, loginName)).limit(1));
  if (!user || user.status !== "active") return null;
  const roles = await db().select().from(schema.userRoles).where(eq(schema.userRoles.userId, user.id));
  if (!roles.some((r) => r.role === "teacher")) return null;
  return actorOf(user, roles.map((r) => ({ role: r.role, regionId: r.regionId, schoolId: r.schoolId })), "teacher", "seed");
}

export async function seedDemoPosts(): Promise<{ created: number }> {
  let created = 0;
  for (const post of POSTS) {
    if (await first(db().select({ id: schema.posts.id }).from(schema.posts).where(eq(schema.posts.id, post.id)).limit(1))) continue;
    const actor = await teacherActor(post.login);
    if (!actor) continue;
    const fields = new Map(Object.entries({ id: post.id, title: post.title, body: "", bodyJson: JSON.stringify({ type: "doc", content: post.content }), visibility: post.visibility, tags: post.tags, intent: "publish" }));
    try {
      await createPost(actor, fields);
      created++;
    } catch (error) {
      // A space or blog not open yet (phase, flags): that teacher's post waits for another run.
      if (error instanceof DomainError && error.status === 403) continue;
      throw error;
    }
  }
  return { created };
}
