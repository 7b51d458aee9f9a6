// What people write in the generated province: a few dozen titles, paragraphs, comments and answers,
// combined at random. Each body is rendered once (docFromPlainText + renderRichText, as the editor's
// output would be) and reused, so 200,000 posts cost no rendering.
import { createHash } from "node:crypto";
import { docFromPlainText, renderRichText } from "~/domain/foundation/richtext.server";
import type { Community } from "./world";

export const POST_TITLES = [
  "春游前的安全小课", "怎样陪孩子读完一本书", "《春》的朗读练习", "我们班的读书角", "一次有趣的科学实验", "运动会上的我们",
  "家长会后的几点想法", "秋天的校园", "错题本怎么用", "我最喜欢的一本书", "周末的劳动实践", "数学小游戏：二十四点",
  "写字课的小窍门", "班级植物角观察日记", "防溺水安全提醒", "我的家乡", "作文：难忘的一天", "英语角活动回顾",
  "古诗词背诵打卡", "课堂上的小组合作", "期中复习计划", "参观博物馆", "垃圾分类从我做起", "我和我的好朋友",
];
const BO_TITLES = ["བོད་ཡིག་གི་ཀློག་འདོན་སྦྱོང་བརྡར།", "ངའི་ཕ་ཡུལ།", "སློབ་གྲྭའི་དགུན་ཁ།"];
const II_TITLES = ["ꆈꌠꉙ ꀊꆨꌠ ꇁꄀ", "ꉢꅉꑳ ꃅꄿ", "ꌶꅉ ꀋꐯ"];

const PARAGRAPHS = [
  "今天我们在课堂上一起读了课文，同学们都读得很认真。",
  "请同学们和家长一起读一读下面几条，出发前做好准备。",
  "每天十分钟，比周末一口气读两个小时更有用。",
  "这次活动中，每个小组都完成了自己的任务，还互相帮助。",
  "我发现，只要每天坚持练习，字就会越写越工整。",
  "老师说，观察要仔细，记录要及时，这样才能发现变化。",
  "下周我们会继续这个主题，请大家提前准备好材料。",
  "希望家长多陪孩子聊聊学校里的事，听听他们的想法。",
  "我们把看到的三种植物记在小本子上，回来写观察日记。",
  "雨后的操场上有很多小水洼，我们在旁边找到了蜗牛。",
];
const BO_PARAGRAPHS = ["སློབ་ཕྲུག་རྣམས་ཀྱིས་ཉིན་རེར་བོད་ཡིག་གི་དཔེ་དེབ་ཀློག་དགོས།", "ཉིན་རེར་སྐར་མ་བཅུ་ཀློག་འདོན་བྱེད།"];
const II_PARAGRAPHS = ["ꆈꌠꉙꀋꐯ ꊿꋍꑟ ꑳꌦ ꇁꄀ ꉬꇬ。", "ꑍꑍ ꆈꌠꉙ ꋍꃅ ꇁ。"];

export const COMMENTS = ["写得真好！", "谢谢老师的分享。", "我也想去看看。", "学到了，回家试试。", "这个方法很有用。", "加油！", "下次我们一起去。", "图片里的花真漂亮。", "我家孩子也很喜欢这本书。", "请问材料在哪里买？"];
export const TAGS = ["阅读", "数学", "安全教育", "班级活动", "作文", "科学", "家庭教育", "劳动教育", "古诗词", "英语"];
export const LESSON_TITLES = ["第一课时：认识生字", "异分母分数加减法", "《秋天的雨》", "光的反射", "一元一次方程", "古诗两首", "认识时间", "植物的一生", "长方形的面积", "化学反应的快慢", "我国的地形", "Unit 3 My school"];
export const ASSIGNMENT_TITLES = ["课后练习", "读后感", "观察日记", "单元测验订正", "朗读录音", "预习作业", "周末作文", "口算练习", "实验报告", "手抄报", "错题整理", "古诗默写"];
export const FEEDBACK = ["很好，继续保持。", "字写得工整，注意标点。", "第3题再检查一下。", "内容真实，下次写得再具体一些。", "有进步！", "请按时提交。", "思路清楚。"];
export const ANNOUNCEMENTS = ["明天上午第二节课改为体育课，请穿运动鞋。", "本周五下午开家长会，请家长准时参加。", "下周一交秋游回执。", "期中考试安排已发，请同学们认真复习。", "请同学们带好水彩笔和画纸。", "图书角新到一批图书，欢迎借阅。"];
export const GROUP_SUBJECTS = ["语文", "数学", "英语", "科学", "美术", "音乐", "信息技术"];
export const GROUP_NAMES = { study: ["阅读小组", "数学兴趣小组", "科学探究小组", "英语角", "书法社", "小记者团", "编程小组", "合唱团"], research: ["语文教研组", "数学教研组", "英语教研组", "青年教师成长营", "双语教学研究组", "作业设计研究组", "课堂观察小组"] };
export const THREAD_TITLES = ["本周的讨论题", "大家的读书笔记", "下次活动安排", "分享一个好资源", "这道题怎么做？", "听课记录", "教学设计交流", "期末复习建议"];
const REPLIES = ["我同意，补充一点。", "谢谢分享！", "我们班也试过，效果不错。", "下次可以一起做。", "这个问题我也想问。", "附上我的笔记。"];
const ANSWERS = [
  "1. 5/6  2. 7/12  3. 1/4  4. 11/15",
  "秋天的雨是一把钥匙，打开了秋天的大门。",
  "我观察了三天，豆芽长高了两厘米。",
  "读完这本书，我明白了坚持的意义。",
  "光照到镜面上会发生反射，入射角等于反射角。",
  "x = 3，检验：2×3 + 1 = 7。",
  "床前明月光，疑是地上霜。举头望明月，低头思故乡。",
  "My school is big and beautiful. I like my teachers.",
];

export type Body = { json: string; html: string; excerpt: string; checksum: string };

function body(text: string): Body {
  const doc = docFromPlainText(text);
  const html = renderRichText(doc);
  return { json: JSON.stringify(doc), html, excerpt: text.replace(/\s+/g, " ").slice(0, 140), checksum: createHash("sha256").update(html, "utf8").digest("hex") };
}

function combos(paragraphs: string[], n: number): Body[] {
  return Array.from({ length: n }, (_, i) => body([paragraphs[i % paragraphs.length]!, paragraphs[(i * 3 + 1) % paragraphs.length]!, ...(i % 3 === 0 ? [paragraphs[(i * 7 + 2) % paragraphs.length]!] : [])].join("\n\n")));
}

let cache: ReturnType<typeof build> | undefined;
function build() {
  return {
    posts: { han: combos(PARAGRAPHS, 40), tibetan: [...combos(PARAGRAPHS, 20), ...combos([...BO_PARAGRAPHS, PARAGRAPHS[0]!], 6)], yi: [...combos(PARAGRAPHS, 20), ...combos([...II_PARAGRAPHS, PARAGRAPHS[1]!], 6)] } as Record<Community, Body[]>,
    titles: { han: POST_TITLES, tibetan: [...POST_TITLES, ...BO_TITLES], yi: [...POST_TITLES, ...II_TITLES] } as Record<Community, string[]>,
    lessons: combos(["学习目标：认识本课生字，正确、流利地朗读课文。", "课堂活动：分组讨论，读给同桌听。", "先通分，再按同分母分数加减法计算。", "课后：完成练习册第一页。"], 12),
    assignments: combos(["读完课文，写一写你的感受，不少于一百字。", "完成课本练习 1–6 题，写出过程。", "拍照上传你的作品。", "可以配一幅画。"], 12),
    answers: ANSWERS.map(body),
    announcements: ANNOUNCEMENTS.map(body),
    replies: [...REPLIES, ...PARAGRAPHS].map(body),
  };
}

/** The rendered bodies (built on first use). */
export function bodies() {
  cache ??= build();
  return cache;
}
