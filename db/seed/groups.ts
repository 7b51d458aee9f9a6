// Demo groups, so the directory, a discussion, a library and a group task have something to show on
// first run: a research group across 甘孜, 凉山 and 成都, a study group of 康定's 九年级, a study group
// of vocational students of three schools with an open task, and a 武侯区 research group. The people
// are ones the end-to-end specs do not use. Rows are written as the domain would write them (each
// member passes the reach, kind, minors and cross-school rules of the demo's flags).
// Idempotent: a group whose name exists is not added again.
import { eq, inArray } from "drizzle-orm";
import type { GroupJoinPolicy, GroupKind, GroupReach } from "#db/schema";
import { searchFold } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { docFromPlainText, renderRichText } from "~/domain/foundation/richtext.server";
import { db, schema } from "../client";
import { first } from "../client";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Post = { login: string; text: string; hoursAgo: number };
type Thread = { title: string; pinned?: boolean; posts: Post[] };
type DemoGroup = {
  name: string;
  kind: GroupKind;
  subject: string;
  description: string;
  reach: GroupReach;
  /** For reach "region": the region's name. */
  region?: string;
  joinPolicy: GroupJoinPolicy;
  owner: string;
  moderators?: string[];
  members: string[];
  /** Asked to join, waiting for approval. */
  requests?: { login: string; note: string }[];
  threads: Thread[];
  folders?: { name: string; links: { title: string; url: string; login: string }[] }[];
  task?: { title: string; text: string; dueDays: number; setBy: string; posts: Post[] };
};

const GROUPS: DemoGroup[] = [
  {
    name: "初中单元整体教学教研共同体",
    kind: "research",
    subject: "数学",
    description: "甘孜、凉山和成都的初中老师一起做单元整体教学设计：每月一个单元，轮流主备，线上评课。",
    reach: "platform",
    joinPolicy: "approval",
    owner: "kangding-jun.t2",
    moderators: ["zhaojue-jun.t3"],
    members: ["wuhou-voc.t2"],
    requests: [{ login: "zhaojue-pri.t2", note: "我教小学数学，想了解初中的单元设计，做好小初衔接。" }],
    threads: [
      {
        title: "本组约定：每月一个单元，轮流主备",
        pinned: true,
        posts: [{ login: "kangding-jun.t2", text: "每月第一周由主备老师发单元设计初稿，第二周大家在这里评课，第三周修改定稿放进资料库。请用真实姓名发言。", hoursAgo: 240 }],
      },
      {
        title: "《一元二次方程》单元设计初稿",
        posts: [
          { login: "kangding-jun.t2", text: "初稿分五个课时：从实际问题引入，配方法、公式法、因式分解法，最后是综合应用。请大家看看课时安排是否合理。", hoursAgo: 50 },
          { login: "zhaojue-jun.t3", text: "我们学校的学生基础弱一些，建议配方法多给一个课时，先用面积模型帮助理解。", hoursAgo: 30 },
          { login: "wuhou-voc.t2", text: "综合应用可以加一个测量校园花坛的实践活动，学生会更有兴趣。", hoursAgo: 6 },
        ],
      },
    ],
    folders: [
      {
        name: "教学设计",
        links: [{ title: "义务教育数学课程标准（2022年版）", url: "https://www.moe.gov.cn/srcsite/A26/s8001/202204/t20220420_619921.html", login: "kangding-jun.t2" }],
      },
    ],
  },
  {
    name: "九年级化学实验互助小组",
    kind: "study",
    subject: "化学",
    description: "ཚན་རིག་ཚོད་ལྟ། 九年级同学一起预习实验、分享实验记录，有问题在这里问。",
    reach: "region",
    region: "甘孜藏族自治州",
    joinPolicy: "open",
    owner: "kangding-jun.t3",
    members: ["kangding-jun.s6", "kangding-jun.s7"],
    threads: [
      {
        title: "氧气的制取：实验记录",
        posts: [
          { login: "kangding-jun.s6", text: "我们组用高锰酸钾制取氧气，试管口放了一团棉花。收集到三瓶，带火星的木条都复燃了。", hoursAgo: 20 },
          { login: "kangding-jun.t3", text: "记录得很清楚。想一想：为什么要先把导管移出水面，再熄灭酒精灯？", hoursAgo: 18 },
        ],
      },
    ],
  },
  {
    name: "彝绣纹样互学小组",
    kind: "study",
    subject: "彝绣",
    description: "ꆈꌠꊰꑌ 昭觉、甘孜和成都的职校同学一起学习彝绣纹样，交流配色和针法。",
    reach: "platform",
    joinPolicy: "approval",
    owner: "zhaojue-voc.t1",
    members: ["zhaojue-voc.s6", "garze-voc.s6", "wuhou-voc.s6"],
    threads: [
      {
        title: "大家常用的配色",
        posts: [
          { login: "zhaojue-voc.s6", text: "我们常用红、黄、黑三色：黑色是底，红色和黄色绣纹样。", hoursAgo: 70 },
          { login: "garze-voc.s6", text: "唐卡也讲究配色，我们用的矿物颜料也有红和黄，很像！", hoursAgo: 60 },
        ],
      },
    ],
    task: {
      title: "合作设计一幅彝绣纹样",
      text: "三人合作设计一幅彝绣纹样：说明每种颜色和图案的含义，画出草图。由一位同学代表小组提交。",
      dueDays: 5,
      setBy: "zhaojue-voc.t1",
      posts: [{ login: "wuhou-voc.s6", text: "我可以负责画草图，谁来写颜色的含义？", hoursAgo: 3 }],
    },
  },
  {
    name: "武侯区小学语文教研组",
    kind: "research",
    subject: "语文",
    description: "武侯区小学语文老师的教研组：集体备课、听评课、共享课件。",
    reach: "region",
    region: "武侯区",
    joinPolicy: "open",
    owner: "wuhou-pri.t2",
    members: ["wuhou-pri.t3"],
    threads: [{ title: "三年级上册第三单元集体备课", posts: [{ login: "wuhou-pri.t2", text: "本单元是童话单元，请大家分享朗读指导的好办法。", hoursAgo: 12 }] }],
  },
];

export async function seedDemoGroups(now = Date.now()): Promise<{ created: number }> {
  const d = db();
  const logins = new Set(
    GROUPS.flatMap((g) => [g.owner, ...(g.moderators ?? []), ...g.members, ...(g.requests ?? []).map((r) => r.login), ...g.threads.flatMap((t) => t.posts.map((p) => p.login)), ...(g.task?.posts ?? []).map((p) => p.login)]),
  );
  const users = new Map(
    (await d
            .select({ id: schema.users.id, loginName: schema.users.loginName, schoolId: schema.users.schoolId })
            .from(schema.users)
            .where(inArray(schema.users.loginName, [...logins])))
      .map((u) => [u.loginName, u]),
  );
  const user = (login: string) => {
    const found = users.get(login);
    if (!found) throw new Error(`seedDemoGroups: no user ${login}; run seedDemo first`);
    return found;
  };
  const as = (login: string): "teacher" | "student" => (/\.t\d+$/.test(login) ? "teacher" : "student");
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR);
  const post = async (tx: Parameters<Parameters<typeof d.transaction>[0]>[0], groupId: string, threadId: string, p: Post) => {
    const doc = docFromPlainText(p.text);
    await tx.insert(schema.groupPosts).values({ id: randomId(), threadId, groupId, authorId: user(p.login).id, bodyJson: doc, bodyHtml: renderRichText(doc), createdAt: at(p.hoursAgo) });
  };
  const thread = async (tx: Parameters<Parameters<typeof d.transaction>[0]>[0], groupId: string, t: Thread, taskId: string | null = null) => {
    const id = randomId();
    const first = t.posts[0]!;
    const last = t.posts[t.posts.length - 1]!;
    await tx.insert(schema.groupThreads)
          .values({ id, groupId, authorId: user(first.login).id, title: t.title, taskId, pinnedAt: t.pinned ? at(first.hoursAgo) : null, postCount: t.posts.length, lastPostAt: at(last.hoursAgo), createdAt: at(first.hoursAgo) });
    for (const p of t.posts) await post(tx, groupId, id, p);
    return id;
  };

  let created = 0;
  await d.transaction(
    async (tx) => {
      for (const g of GROUPS) {
        if (await first(tx.select({ id: schema.groups.id }).from(schema.groups).where(eq(schema.groups.name, g.name)).limit(1))) continue;
        const owner = user(g.owner);
        const regionId = g.region ? (await first(tx.select({ id: schema.regions.id }).from(schema.regions).where(eq(schema.regions.name, g.region)).limit(1)))?.id : null;
        if (g.region && !regionId) throw new Error(`seedDemoGroups: no region ${g.region}`);
        const id = randomId();
        const made = at(24 * 14);
        await tx.insert(schema.groups)
                  .values({
                    id,
                    kind: g.kind,
                    name: g.name,
                    description: g.description,
                    subject: g.subject,
                    searchText: searchFold([g.name, g.subject, g.description].join("\n")),
                    reach: g.reach,
                    schoolId: owner.schoolId!,
                    regionId: regionId ?? null,
                    joinPolicy: g.joinPolicy,
                    createdBy: owner.id,
                    createdAs: as(g.owner),
                    createdAt: made,
                  });
        const member = async (login: string, role: "owner" | "moderator" | "member", state: "active" | "requested", note = "") =>
          tx
                        .insert(schema.groupMembers)
                        .values({ groupId: id, userId: user(login).id, role, state, memberAs: as(login), schoolId: user(login).schoolId, note, joinedAt: state === "active" ? made : null, createdAt: made });
        await member(g.owner, "owner", "active");
        for (const m of g.moderators ?? []) await member(m, "moderator", "active");
        for (const m of g.members) await member(m, "member", "active");
        for (const r of g.requests ?? []) await member(r.login, "member", "requested", r.note);
        for (const t of g.threads) await thread(tx, id, t);
        for (const f of g.folders ?? []) {
          const folderId = randomId();
          await tx.insert(schema.groupFolders).values({ id: folderId, groupId: id, name: f.name, createdBy: owner.id });
          for (const l of f.links) await tx.insert(schema.groupResources).values({ id: randomId(), groupId: id, folderId, kind: "link", title: l.title, url: l.url, addedBy: user(l.login).id });
        }
        if (g.task) {
          const taskId = randomId();
          const doc = docFromPlainText(g.task.text);
          const threadId = await thread(tx, id, { title: g.task.title, posts: [{ login: g.task.setBy, text: g.task.text, hoursAgo: 24 }, ...g.task.posts] }, taskId);
          await tx.insert(schema.groupTasks)
                      .values({ id: taskId, groupId: id, title: g.task.title, instructionsJson: doc, instructionsHtml: renderRichText(doc), dueAt: new Date(now + g.task.dueDays * DAY), threadId, createdBy: user(g.task.setBy).id, createdAt: at(24) });
        }
        created++;
      }
    },
    { behavior: "immediate" },
  );
  return { created };
}
