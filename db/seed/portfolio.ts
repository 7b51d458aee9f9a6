// Demo portfolio items for a few teachers and students whose spaces are open, so the space home,
// the portfolio, the feed and the export have something to show. Idempotent: an owner's item with
// the same title is not added twice.
import { and, eq } from "drizzle-orm";
import type { PortfolioKind, Visibility } from "#db/schema";
import { randomId } from "~/domain/foundation/ids.server";
import { docFromPlainText, renderRichText } from "~/domain/foundation/richtext.server";
import { db, schema } from "../client";
import { forEachInOrder } from "~/lib/in-order";
import { first } from "../client";

type DemoItem = { login: string; title: string; kind: PortfolioKind; occurredOn: string; visibility: Visibility; featured?: boolean; tags?: string[]; text: string };

const ITEMS: DemoItem[] = [
  { login: "wuhou-pri.t1", title: "《秋天的雨》公开课实录", kind: "lesson_record", occurredOn: "2026-10-15", visibility: "public", featured: true, tags: ["语文", "公开课"], text: "三年级语文公开课。\n\n以朗读带动理解，学生分组找出课文中描写颜色的句子。" },
  { login: "wuhou-pri.t1", title: "区级优质课一等奖", kind: "award", occurredOn: "2026-06-20", visibility: "school", tags: ["获奖"], text: "武侯区小学语文优质课评比一等奖。" },
  { login: "wuhou-pri.t2", title: "数学学习单设计反思", kind: "reflection", occurredOn: "2026-09-30", visibility: "school", featured: true, tags: ["数学"], text: "学习单太长，学生做不完。下次只留三道核心题。" },
  { login: "kangding-pri.t1", title: "藏文书法兴趣课", kind: "project", occurredOn: "2026-05-12", visibility: "public", featured: true, tags: ["藏文", "书法"], text: "每周二下午的藏文书法兴趣课，学生作品在校园展出。" },
  { login: "wuhou-voc.t1", title: "计算机基础实训项目：班级网页", kind: "project", occurredOn: "2026-11-02", visibility: "public", featured: true, tags: ["实训"], text: "学生分组完成班级主页，练习 HTML 与 CSS。" },
  { login: "wuhou-pri.s1", title: "我的第一幅水彩画", kind: "work", occurredOn: "2026-10-08", visibility: "classes", featured: true, tags: ["美术"], text: "画的是学校门口的银杏树。" },
  { login: "wuhou-pri.s1", title: "朗读比赛三等奖", kind: "certificate", occurredOn: "2026-06-01", visibility: "classes", text: "年级朗读比赛三等奖。" },
  { login: "wuhou-jun.s5", title: "物理小实验：自制潜望镜", kind: "work", occurredOn: "2026-09-18", visibility: "school", featured: true, tags: ["物理", "实验"], text: "用两面镜子和纸盒做的潜望镜。\n\n难点是镜子要摆成 45 度。" },
  { login: "wuhou-jun.s5", title: "期中学习反思", kind: "reflection", occurredOn: "2026-11-10", visibility: "private", text: "数学的几何部分还要多练。" },
];

export async function seedDemoPortfolio(): Promise<{ created: number }> {
  const d = db();
  let created = 0;
  await d.transaction(
    async (tx) => {
      await forEachInOrder(ITEMS, async (spec, index) => {
                  const owner = await first(tx.select({ id: schema.users.id, schoolId: schema.users.schoolId }).from(schema.users).where(eq(schema.users.loginName, spec.login)).limit(1));
                  if (!owner) throw new Error(`seedDemoPortfolio: no demo user ${spec.login}; run seedDemo first`);
                  const exists = await first(tx
                                      .select({ id: schema.portfolioItems.id })
                                      .from(schema.portfolioItems)
                                      .where(and(eq(schema.portfolioItems.ownerId, owner.id), eq(schema.portfolioItems.title, spec.title))).limit(1));
                  if (exists) return;
                  const id = randomId();
                  const doc = docFromPlainText(spec.text);
                  await tx.insert(schema.portfolioItems)
                                      .values({
                                        id,
                                        ownerId: owner.id,
                                        schoolId: owner.schoolId,
                                        title: spec.title,
                                        kind: spec.kind,
                                        occurredOn: spec.occurredOn,
                                        descriptionJson: doc,
                                        descriptionHtml: renderRichText(doc),
                                        visibility: spec.visibility,
                                        featured: spec.featured ?? false,
                                        position: index,
                                      });
                  for (const tag of spec.tags ?? []) await tx.insert(schema.contentTags).values({ subjectType: "portfolio_item", subjectId: id, tag }).onConflictDoNothing();
                  created++;
                });
    },
    { behavior: "immediate" },
  );
  return { created };
}
