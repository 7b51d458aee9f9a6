// The demo's region library: resources that teachers of 成都, 甘孜 and 凉山 offered to their county's,
// prefecture's or the province's library, with the reviewers' decisions (most admitted, some pending,
// one returned with a comment, one refused, about a third marked 优质, a few recommended up and admitted
// there), uses over this term and the last by teachers of six of the nine schools (so the dashboard's
// share of schools is below 100%), ratings and comments. Rows are written as the domain would write
// them, each decision with its audit event. Nobody reviews a library they have a listing in; the people
// the end-to-end story starts from (kangding-pri.t3, zhaojue-jun.t3) author, use and rate nothing, and
// no lesson is made: a use keeps no lesson ("the lesson was deleted later"). The audit log's tests
// expect no seeded event from 成都市武侯职业技术学校, so its teachers use resources but author none.
// Idempotent: nothing is added once the library has any resource.
import { eq, inArray } from "drizzle-orm";
import type { LibraryKind, LibraryLanguage, LibraryLicence } from "#db/schema";
import { unitCode, type LibraryStage } from "~/domain/library/catalogue.server";
import { searchFold } from "~/domain/groups/groups.server";
import { randomId } from "~/domain/foundation/ids.server";
import { docFromPlainText, renderRichText } from "~/domain/foundation/richtext.server";
import { changedRows, db, first, schema } from "../client";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Region libraries by key, and who reviews each (appointed by the province's admin). */
const LIBRARIES = {
  sichuan: { name: "四川省", reviewer: "wuhou-voc.t3" },
  chengdu: { name: "成都市", reviewer: "wuhou-pri.t3" },
  garze: { name: "甘孜藏族自治州", reviewer: "kangding-jun.t2" },
  kangding: { name: "康定市", reviewer: "garze-voc.t2" },
  liangshan: { name: "凉山彝族自治州", reviewer: "zhaojue-voc.t1" },
} as const;
type Library = keyof typeof LIBRARIES;

/** The people the end-to-end story starts from, with nothing of the library yet. */
const UNTOUCHED = ["kangding-pri.t3", "zhaojue-jun.t3"];
/** Teachers of these schools use the library; 武侯区第一初级中学, 康定市第二小学 and 昭觉县城北小学 have not yet. */
const USING_SCHOOLS = ["wuhou-pri", "wuhou-voc", "kangding-jun", "garze-voc", "zhaojue-jun", "zhaojue-voc"];
const SCHOOL_CODES = ["wuhou-pri", "wuhou-jun", "wuhou-voc", "kangding-pri", "kangding-jun", "garze-voc", "zhaojue-pri", "zhaojue-jun", "zhaojue-voc"];
/** The library path of each school's county, nearest first. */
const PATH_OF: Record<string, Library[]> = {
  wuhou: ["chengdu", "sichuan"],
  kangding: ["kangding", "garze", "sichuan"],
  zhaojue: ["liangshan", "sichuan"],
};
const countyOf = (login: string) => (login.startsWith("wuhou") ? "wuhou" : login.startsWith("zhaojue") ? "zhaojue" : "kangding");

const CHECKLIST = ["correct", "suitable", "noPupilData", "rights", "phoneReadable"];

/**
 * Where a resource stands: the library it was offered to and what became of it there; `up` lists the
 * libraries it was then recommended to (each admitted), `returnedFirst` a first version sent back before
 * a second one was admitted.
 */
type Offer = {
  to: Library;
  state: "pending" | "returned" | "refused" | "admitted";
  quality?: boolean;
  comment?: string;
  checklist?: string[];
  up?: { to: Library; quality?: boolean }[];
  returnedFirst?: { comment: string; checklist: string[]; note: string };
};
type Spec = {
  author: string;
  title: string;
  body: string;
  kind: LibraryKind;
  stage: LibraryStage;
  grade: number;
  subject: string;
  edition: string;
  book: "a" | "b";
  unit: number;
  language: LibraryLanguage;
  licence: LibraryLicence;
  /** old: offered early last term; new: this term; recent: in the last days. */
  age: "old" | "new" | "recent";
  offer: Offer;
  comments?: string[];
};

const RESOURCES: Spec[] = [
  // 成都
  {
    author: "wuhou-pri.t1", title: "童话单元整体教学设计：《卖火柴的小女孩》", kind: "lesson_plan", stage: "primary", grade: 3, subject: "chinese", edition: "tongbian", book: "a", unit: 3, language: "zh-Hans", licence: "cc_by", age: "old",
    body: "单元目标：感受童话丰富的想象，尝试续编故事。\n\n第一课时：默读课文，说说小女孩几次擦燃火柴，每次看到了什么。\n\n第二课时：小组合作，用自己的话讲一讲这个故事，再想一想：如果小女孩来到我们身边，会发生什么？",
    offer: { to: "chengdu", state: "admitted", quality: true },
    comments: ["续编故事的环节很好用，我们班的孩子讲得很投入。"],
  },
  {
    author: "wuhou-pri.t1", title: "《将相和》课后分层作业", kind: "exercises", stage: "primary", grade: 5, subject: "chinese", edition: "tongbian", book: "a", unit: 2, language: "zh-Hans", licence: "platform_adapt", age: "old",
    body: "基础题：读准“璧、荆、渑”等字音，给三个小故事分别加上小标题。\n\n提高题：廉颇和蔺相如各有什么特点？从文中找出依据。\n\n拓展题：把“负荆请罪”的故事讲给家人听。",
    offer: { to: "chengdu", state: "admitted" },
  },
  {
    author: "wuhou-pri.t2", title: "分数的初步认识（微课，人教版三年级上册）", kind: "micro_video", stage: "primary", grade: 3, subject: "math", edition: "pep", book: "a", unit: 8, language: "zh-Hans", licence: "cc_by", age: "old",
    body: "微课时长 8 分钟：从分月饼引入“一半”，用折纸认识几分之一，再比较几分之一的大小。\n\n课后练习：用一张圆形纸折出 1/4，涂上颜色。",
    offer: { to: "chengdu", state: "admitted", quality: true, up: [{ to: "sichuan", quality: true }] },
    comments: ["折纸的演示很清楚，学生一看就懂。", "我们用在了彝汉双语课堂上，效果不错。"],
  },
  {
    author: "wuhou-pri.t2", title: "小数除法：除数是小数的除法 课件", kind: "slides", stage: "primary", grade: 5, subject: "math", edition: "pep", book: "a", unit: 3, language: "zh-Hans", licence: "platform_use", age: "recent",
    body: "复习：除数是整数的小数除法。\n\n新授：利用商不变的规律，把除数转化成整数。\n\n练习：7.65 ÷ 0.85，12.6 ÷ 0.28。",
    offer: { to: "chengdu", state: "pending" },
  },
  {
    author: "wuhou-jun.t2", title: "一元二次方程：配方法（第一课时）教学设计", kind: "lesson_plan", stage: "junior", grade: 3, subject: "math", edition: "pep", book: "a", unit: 1, language: "zh-Hans", licence: "cc_by_sa", age: "old",
    body: "引入：用面积模型理解完全平方式。\n\n例题：解方程 x² + 6x + 4 = 0，先移项，再两边加上一次项系数一半的平方。\n\n小结：配方法的一般步骤。",
    offer: {
      to: "chengdu", state: "admitted",
      returnedFirst: { comment: "例题截图里有学生的姓名和成绩，请删去；第二个例题的数据有误，请核对。", checklist: ["suitable", "rights", "phoneReadable"], note: "删去了截图中的学生信息，改正了第二个例题。" },
    },
  },
  {
    author: "wuhou-jun.t3", title: "光的反射 实验探究课件", kind: "slides", stage: "junior", grade: 2, subject: "physics", edition: "pep", book: "a", unit: 4, language: "zh-Hans", licence: "cc_by", age: "old",
    body: "实验：用激光笔和可折转的光屏，探究反射光线、入射光线和法线的位置关系。\n\n记录表：入射角 30°、45°、60° 时的反射角。\n\n结论：反射角等于入射角。",
    offer: { to: "chengdu", state: "admitted", quality: true },
  },
  {
    author: "wuhou-jun.t1", title: "《春》朗读指导与预习单", kind: "study_guide", stage: "junior", grade: 1, subject: "chinese", edition: "tongbian", book: "a", unit: 1, language: "zh-Hans", licence: "platform_adapt", age: "new",
    body: "预习：读准字音，圈出描写春草、春花、春风、春雨的句子。\n\n朗读提示：盼春要急切，绘春要欢快，赞春要昂扬。",
    offer: { to: "chengdu", state: "admitted" },
  },
  {
    author: "wuhou-jun.t3", title: "声音的产生与传播 导学案", kind: "study_guide", stage: "junior", grade: 2, subject: "physics", edition: "pep", book: "a", unit: 2, language: "zh-Hans", licence: "cc_by", age: "new",
    body: "课前：找一找身边能发声的物体，摸一摸说话时的喉咙。\n\n课中：敲鼓时鼓面上的纸屑为什么会跳动？抽气时闹钟的铃声为什么变小？\n\n课后：用橡皮筋和纸盒做一把“吉他”。",
    offer: { to: "chengdu", state: "admitted" },
  },
  {
    author: "wuhou-jun.t2", title: "初中数学期末复习题汇编", kind: "material", stage: "junior", grade: 1, subject: "math", edition: "pep", book: "a", unit: 4, language: "zh-Hans", licence: "platform_use", age: "new",
    body: "收录各地期末试题共两百道，按章节排列。",
    offer: { to: "chengdu", state: "refused", checklist: ["suitable", "noPupilData", "phoneReadable"], comment: "试题多为转载，没有注明出处和授权，不能入库。可改为自编的分层练习后重新提交。" },
  },
  {
    author: "wuhou-jun.t1", title: "《皇帝的新装》课本剧排演 教学设计", kind: "lesson_plan", stage: "junior", grade: 1, subject: "chinese", edition: "tongbian", book: "a", unit: 6, language: "zh-Hans", licence: "cc_by", age: "recent",
    body: "分角色朗读，揣摩人物的语言和心理。\n\n小组改编课本剧，设计一段新的结局。\n\n展演与互评：台词、动作、表情。",
    offer: { to: "sichuan", state: "pending" },
  },
  {
    author: "wuhou-pri.t3", title: "PEP 三年级上册 Unit 2 Colours 课件与歌曲", kind: "slides", stage: "primary", grade: 3, subject: "english", edition: "pep", book: "a", unit: 2, language: "zh-Hans", licence: "platform_adapt", age: "new",
    body: "Warm-up: sing the colour song.\n\nPresentation: red, yellow, green, blue — show me red!\n\nPractice: colour the rainbow and tell your partner.",
    offer: { to: "sichuan", state: "admitted" },
  },
  // 甘孜
  {
    author: "kangding-pri.t1", title: "བོད་ཡིག་ལོ་རིམ་བཞི་པ། སློབ་ཚན་གཉིས་པ། ཀློག་འདོན་སྦྱོང་བརྡར།", kind: "lesson_plan", stage: "primary", grade: 4, subject: "tibetan", edition: "five_provinces_tibetan", book: "a", unit: 2, language: "bo", licence: "cc_by", age: "old",
    body: "སློབ་ཕྲུག་རྣམས་ཀྱིས་ཉིན་རེར་བོད་ཡིག་གི་དཔེ་དེབ་ཀློག་དགོས།\n\nབོད་ཡིག་གི་ཀློག་འདོན་སྦྱོང་བརྡར།",
    offer: { to: "kangding", state: "admitted", quality: true, up: [{ to: "garze" }] },
    comments: ["ཀློག་འདོན་གྱི་སྦྱོང་བརྡར་འདི་ཡག་པོ་འདུག 我们学校也在用，谢谢！"],
  },
  {
    author: "kangding-pri.t2", title: "《草原》朗读与小练笔（汉藏双语提示）", kind: "study_guide", stage: "primary", grade: 6, subject: "chinese", edition: "tongbian", book: "a", unit: 1, language: "zh-bo", licence: "platform_adapt", age: "new",
    body: "朗读：读出草原的辽阔和人们的热情。\n\n小练笔：写一写你家乡的草原或山野。\n\nརང་གི་ཕ་ཡུལ་གྱི་རྩྭ་ཐང་སྐོར་ཡི་གེ་འབྲི།",
    offer: { to: "kangding", state: "admitted" },
  },
  {
    author: "kangding-jun.t1", title: "藏文语法：格助词练习 བརྡ་སྤྲོད་ཀྱི་སྦྱོང་ཚན།", kind: "exercises", stage: "junior", grade: 2, subject: "tibetan", edition: "five_provinces_tibetan", book: "a", unit: 3, language: "zh-bo", licence: "cc_by_sa", age: "old",
    body: "一、填入正确的格助词。\n\n二、把下面的句子译成藏文。\n\nབརྡ་སྤྲོད་ཀྱི་སྦྱོང་ཚན།",
    offer: { to: "kangding", state: "admitted" },
  },
  {
    author: "kangding-jun.t3", title: "氧气的实验室制取（汉藏双语字幕微课）", kind: "micro_video", stage: "junior", grade: 3, subject: "chemistry", edition: "pep", book: "a", unit: 2, language: "zh-bo", licence: "cc_by", age: "old",
    body: "用高锰酸钾制取氧气：检查装置气密性、装药品、固定试管、加热、收集、移出导管、熄灭酒精灯。\n\n字幕为汉藏双语。ཚན་རིག་ཚོད་ལྟ།",
    offer: { to: "kangding", state: "admitted", quality: true, up: [{ to: "garze", quality: true }, { to: "sichuan" }] },
    comments: ["先移导管再熄灯的原因讲得很清楚。"],
  },
  {
    author: "garze-voc.t1", title: "唐卡绘画基础：度量经与起稿 ཐང་ཀའི་ཐིག་རྩ།", kind: "lesson_plan", stage: "vocational", grade: 1, subject: "thangka", edition: "school_based", book: "a", unit: 1, language: "zh-bo", licence: "cc_by", age: "old",
    body: "认识唐卡的度量经：以面部为单位确定佛像各部分比例。\n\n练习：在画布上打出中轴线和比例格，用炭条起稿。\n\nཐང་ཀའི་ཐིག་རྩ་འདེབས་སྟངས།",
    offer: { to: "garze", state: "admitted", quality: true, up: [{ to: "sichuan" }] },
  },
  {
    author: "garze-voc.t1", title: "唐卡矿物颜料的研磨与调色", kind: "micro_video", stage: "vocational", grade: 1, subject: "thangka", edition: "school_based", book: "a", unit: 3, language: "zh-Hans", licence: "cc_by", age: "recent",
    body: "矿物颜料的种类：朱砂、石青、石绿、雌黄。\n\n研磨：加水细磨，漂洗取色。\n\n调色：加入胶液，试色。",
    offer: { to: "garze", state: "pending" },
  },
  {
    author: "garze-voc.t3", title: "འཕྲིན་ཡིག་འབྲི་སྟངས། བོད་ཡིག་ལོ་རིམ་གཉིས་པ།", kind: "lesson_plan", stage: "vocational", grade: 2, subject: "tibetan", edition: "five_provinces_tibetan", book: "a", unit: 1, language: "bo", licence: "platform_adapt", age: "new",
    body: "འཕྲིན་ཡིག་འབྲི་སྟངས།\n\nསློབ་ཕྲུག་རྣམས་ཀྱིས་ཉིན་རེར་བོད་ཡིག་གི་དཔེ་དེབ་ཀློག་དགོས།",
    offer: { to: "garze", state: "admitted" },
  },
  {
    author: "kangding-pri.t2", title: "习作：我的家乡（写作指导）", kind: "lesson_plan", stage: "primary", grade: 4, subject: "chinese", edition: "tongbian", book: "a", unit: 1, language: "zh-Hans", licence: "platform_adapt", age: "new",
    body: "选材：家乡的一处景物、一种美食或一个节日。\n\n范文赏析：两篇学生习作。\n\n修改：按“写清楚、写具体”的要求互改。",
    offer: { to: "kangding", state: "returned", checklist: ["correct", "suitable", "rights"], comment: "范文中有学生的真实姓名和照片，请删去后再提交；第三页的表格在手机上看不清，请改成列表。" },
  },
  // 凉山
  {
    author: "zhaojue-pri.t1", title: "ꆈꌠꉙ ꑍꈎꐛ：彝文基本字认读（二年级上册第一单元）", kind: "lesson_plan", stage: "primary", grade: 2, subject: "yi", edition: "sichuan_yi", book: "a", unit: 1, language: "zh-ii", licence: "cc_by", age: "old",
    body: "认读彝文基本字，按声调分组朗读。\n\nꆈꌠꉙꀋꐯ ꊿꋍꑟ ꑳꌦ ꇁꄀ ꉬꇬ。\n\n游戏：字卡配对。",
    offer: { to: "liangshan", state: "admitted", quality: true, up: [{ to: "sichuan" }] },
    comments: ["ꑍꑍ ꆈꌠꉙ ꋍꃅ ꇁ。字卡游戏孩子们很喜欢。"],
  },
  {
    author: "zhaojue-pri.t2", title: "古诗三首 朗读微课（彝汉双语讲解）", kind: "micro_video", stage: "primary", grade: 5, subject: "chinese", edition: "tongbian", book: "a", unit: 4, language: "zh-ii", licence: "platform_adapt", age: "old",
    body: "逐句朗读，先用彝语讲解诗意，再用普通话朗读。\n\n背诵提示：抓住每句的关键景物。",
    offer: { to: "liangshan", state: "admitted" },
  },
  {
    author: "zhaojue-pri.t3", title: "100以内的加法和减法（二）口算练习单", kind: "exercises", stage: "primary", grade: 2, subject: "math", edition: "pep", book: "a", unit: 2, language: "zh-Hans", licence: "cc_by", age: "new",
    body: "每天十题口算：两位数加两位数（进位）、两位数减两位数（退位）。\n\n附答案和易错题提示。",
    offer: { to: "liangshan", state: "admitted" },
  },
  {
    author: "zhaojue-jun.t1", title: "ꆈꌠꉙ ꏃꈎꐛ：彝族谚语选读", kind: "study_guide", stage: "junior", grade: 1, subject: "yi", edition: "sichuan_yi", book: "a", unit: 2, language: "ii", licence: "cc_by_sa", age: "new",
    body: "ꆈꌠꉙꀋꐯ ꊿꋍꑟ ꑳꌦ ꇁꄀ ꉬꇬ。\n\nꑍꑍ ꆈꌠꉙ ꋍꃅ ꇁ。",
    offer: { to: "liangshan", state: "admitted" },
  },
  {
    author: "zhaojue-jun.t2", title: "一元一次方程 分层练习（彝汉双语）", kind: "exercises", stage: "junior", grade: 1, subject: "math", edition: "pep", book: "a", unit: 3, language: "zh-ii", licence: "cc_by", age: "old",
    body: "A 组：解简单方程，写出检验。\n\nB 组：列方程解应用题（行程、工程）。\n\n题目附彝文提示。",
    offer: { to: "liangshan", state: "admitted", quality: true },
  },
  {
    author: "zhaojue-voc.t1", title: "彝绣基础针法：锁绣与平绣 ꆈꌠꊰꑌ", kind: "micro_video", stage: "vocational", grade: 1, subject: "yi_embroidery", edition: "school_based", book: "a", unit: 2, language: "zh-ii", licence: "cc_by", age: "old",
    body: "锁绣：一针套一针，绣出链状纹样。\n\n平绣：针脚平齐，适合填色。\n\n练习：用红、黄、黑三色绣一朵索玛花。",
    offer: { to: "sichuan", state: "admitted", quality: true },
    comments: ["针法讲得细，我们的唐卡班也拿来做了对比。"],
  },
  {
    author: "zhaojue-voc.t2", title: "马铃薯脱毒种薯栽培技术", kind: "lesson_plan", stage: "vocational", grade: 2, subject: "agriculture", edition: "hep", book: "a", unit: 4, language: "zh-Hans", licence: "platform_adapt", age: "old",
    body: "为什么要用脱毒种薯：减少病毒病，提高产量。\n\n栽培要点：选地、整地、切块、播种、田间管理。\n\n实践：在学校实训基地种一垄。",
    offer: { to: "liangshan", state: "admitted" },
  },
  {
    author: "zhaojue-voc.t3", title: "应用文写作：通知与启事 课件", kind: "slides", stage: "vocational", grade: 1, subject: "chinese", edition: "tongbian", book: "a", unit: 1, language: "zh-Hans", licence: "cc_by", age: "recent",
    body: "通知的格式：标题、称呼、正文、落款、日期。\n\n启事：寻物启事、招领启事。\n\n练习：为班级活动写一则通知。",
    offer: { to: "liangshan", state: "pending" },
  },
];

/** Start of the school term holding `t`: spring from 1 February, autumn from 1 August (Asia/Shanghai). */
function termStart(t: number): number {
  const local = new Date(t + 8 * HOUR);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  const [year, month] = m >= 7 ? [y, 7] : m >= 1 ? [y, 1] : [y - 1, 7];
  return Date.UTC(year, month, 1) - 8 * HOUR;
}

export async function seedDemoLibrary(now = Date.now()): Promise<{ created: number }> {
  const d = db();
  if (await first(d.select({ id: schema.libraryResources.id }).from(schema.libraryResources).limit(1))) return { created: 0 };

  const teacherLogins = SCHOOL_CODES.flatMap((s) => [1, 2, 3].map((n) => `${s}.t${n}`));
  const users = new Map(
    (await d
      .select({ id: schema.users.id, loginName: schema.users.loginName, schoolId: schema.users.schoolId })
      .from(schema.users)
      .where(inArray(schema.users.loginName, [...teacherLogins, "sichuan.edu"])))
      .map((u) => [u.loginName, u]),
  );
  const user = (login: string) => {
    const found = users.get(login);
    if (!found) throw new Error(`seedDemoLibrary: no user ${login}; run seedDemo first`);
    return found;
  };
  const regions = await d.select({ id: schema.regions.id, name: schema.regions.name }).from(schema.regions);
  const regionOf = (library: Library) => {
    const found = regions.find((r) => r.name === LIBRARIES[library].name);
    if (!found) throw new Error(`seedDemoLibrary: no region ${LIBRARIES[library].name}`);
    return found.id;
  };
  for (const spec of RESOURCES) {
    if (UNTOUCHED.includes(spec.author)) throw new Error(`seedDemoLibrary: ${spec.author} must stay untouched`);
    for (const to of [spec.offer.to, ...(spec.offer.up ?? []).map((u) => u.to)]) {
      if (LIBRARIES[to].reviewer === spec.author) throw new Error(`seedDemoLibrary: ${spec.author} would review their own listing`);
    }
  }

  const current = termStart(now);
  const previous = termStart(current - DAY);
  /** A moment `f` (0–1) of the way from `a` to `b`. */
  const within = (a: number, b: number, f: number) => Math.floor(a + (b - a) * f);
  const latest = now - 2 * HOUR;
  const province = user("sichuan.edu");

  let created = 0;
  await d.transaction(
    async (tx) => {
      for (const [library, { reviewer }] of Object.entries(LIBRARIES) as [Library, (typeof LIBRARIES)[Library]][]) {
        created += await changedRows(
          tx.insert(schema.libraryReviewers).values({ userId: user(reviewer).id, regionId: regionOf(library), grantedBy: province.id, createdAt: new Date(previous - 20 * DAY) }).onConflictDoNothing(),
        );
      }
      /** Every event as the domain records it: about the resource, in its author's school, naming the library. */
      // The libraries by name too, as the domain records them (the audit log's sentences name them).
      const named = (detail: Record<string, unknown>) => ({
        ...detail,
        library: regions.find((r) => r.id === detail.regionId)?.name ?? "",
        ...(detail.toRegionId ? { toLibrary: regions.find((r) => r.id === detail.toRegionId)?.name ?? "" } : {}),
      });
      const audit = (actorId: string, action: string, resource: { id: string; schoolId: string | null }, at: number, detail: Record<string, unknown>) =>
        tx.insert(schema.auditEvents).values({ id: randomId(), actorId, action: `library.${action}`, targetType: "library_resource", targetId: resource.id, schoolId: resource.schoolId, detail: named(detail), at: new Date(at) });
      const review = async (listingId: string, versionId: string, reviewerId: string, decision: "admit" | "return" | "refuse" | "quality" | "recommend", at: number, checklist: string[] = [], comment = "") => {
        await tx.insert(schema.libraryReviews).values({ id: randomId(), listingId, versionId, reviewerId, decision, checklist, comment, createdAt: new Date(at) });
        created++;
      };

      /** Where each admitted resource may be read from (library and when admitted there), for its uses. */
      const admitted: { spec: Spec; resourceId: string; versionId: string; index: number; libraries: { library: Library; at: number }[] }[] = [];

      for (const [index, spec] of RESOURCES.entries()) {
        const author = user(spec.author);
        const resource = { id: randomId(), schoolId: author.schoolId };
        const f = ((index * 37) % 100) / 100;
        const offeredAt =
          spec.age === "old" ? within(previous, current, 0.04 + 0.3 * f) : spec.age === "new" ? within(current, now, 0.05 + 0.35 * f) : now - (2 + (index % 6)) * DAY - 5 * HOUR;
        /** Decisions follow each other a day or a few apart, never later than now. */
        let clock = offeredAt;
        const next = (days: number) => (clock = Math.min(latest, clock + days * DAY + ((index * 13) % 9) * HOUR));
        const addVersion = async (number: number, at: number, note = "", id = randomId()) => {
          const doc = docFromPlainText(spec.body);
          await tx.insert(schema.libraryVersions).values({
            id, resourceId: resource.id, number, title: spec.title, searchText: searchFold(spec.title), bodyJson: doc, bodyHtml: renderRichText(doc), kind: spec.kind, stage: spec.stage, grade: spec.grade,
            subject: spec.subject, edition: spec.edition, unit: unitCode(spec.edition, spec.grade, spec.book, spec.unit), language: spec.language, licence: spec.licence, note, createdAt: new Date(at),
          });
          created++;
          return id;
        };

        const { offer } = spec;
        const regionId = regionOf(offer.to);
        const reviewerId = user(LIBRARIES[offer.to].reviewer).id;
        const listingId = randomId();
        const firstVersionId = randomId();
        // Written as offerResource does: the resource, its first version and the listing, pending in round 1.
        await tx.insert(schema.libraryResources).values({ id: resource.id, authorId: author.id, schoolId: resource.schoolId, latestVersionId: firstVersionId, createdAt: new Date(offeredAt) });
        await addVersion(1, offeredAt, "", firstVersionId);
        await tx.insert(schema.libraryListings).values({ id: listingId, resourceId: resource.id, regionId, versionId: firstVersionId, createdAt: new Date(offeredAt) });
        created += 2;
        await audit(author.id, "offer", resource, offeredAt, { regionId, versionId: firstVersionId });
        let versionId = firstVersionId;
        let round = 1;

        /** A decision as decideListing makes it: the listing's state, a new round, the review and its event. */
        const decide = async (decision: "admit" | "return" | "refuse", at: number, checklist: string[], comment: string) => {
          const state = decision === "admit" ? "admitted" : decision === "return" ? "returned" : "refused";
          round++;
          await tx
            .update(schema.libraryListings)
            .set({ state, round, decidedBy: reviewerId, decidedAt: new Date(at), ...(decision === "admit" ? { admittedVersionId: versionId, admittedAt: new Date(at) } : {}) })
            .where(eq(schema.libraryListings.id, listingId));
          await review(listingId, versionId, reviewerId, decision, at, checklist, comment);
          await audit(reviewerId, decision, resource, at, { regionId, versionId, checklist });
        };

        if (offer.returnedFirst) {
          const { checklist, comment, note } = offer.returnedFirst;
          await decide("return", next(2), checklist, comment);
          // Revised as reviseResource does: a new version, and the library reviews it again.
          const revisedAt = next(3);
          versionId = await addVersion(2, revisedAt, note);
          round++;
          await tx.update(schema.libraryResources).set({ latestVersionId: versionId }).where(eq(schema.libraryResources.id, resource.id));
          await tx.update(schema.libraryListings).set({ state: "pending", versionId, round }).where(eq(schema.libraryListings.id, listingId));
          await audit(author.id, "revise", resource, revisedAt, { regionId, versionId, number: 2 });
        }
        if (offer.state === "pending") continue;
        const decision = offer.state === "admitted" ? "admit" : offer.state === "returned" ? "return" : "refuse";
        const admittedAt = next(2);
        await decide(decision, admittedAt, offer.checklist ?? (decision === "admit" ? CHECKLIST : []), offer.comment ?? "");
        if (offer.state !== "admitted") continue;
        if (offer.quality) {
          const at = next(1);
          await tx.update(schema.libraryListings).set({ quality: true }).where(eq(schema.libraryListings.id, listingId));
          await review(listingId, versionId, reviewerId, "quality", at);
          await audit(reviewerId, "quality", resource, at, { regionId });
        }

        // Recommended up one library at a time (recommendUp), each then admitted by that library's reviewer.
        const libraries: { library: Library; at: number }[] = [{ library: offer.to, at: admittedAt }];
        let below = { listingId, regionId, reviewerId };
        for (const up of offer.up ?? []) {
          const upId = randomId();
          const upRegionId = regionOf(up.to);
          const upReviewerId = user(LIBRARIES[up.to].reviewer).id;
          const recommendedAt = next(3);
          await tx.insert(schema.libraryListings).values({ id: upId, resourceId: resource.id, regionId: upRegionId, versionId, recommendedFrom: below.regionId, createdAt: new Date(recommendedAt) });
          created++;
          await review(below.listingId, versionId, below.reviewerId, "recommend", recommendedAt, [], "内容准确，适合在更大范围使用，推荐到上一级资源库。");
          await audit(below.reviewerId, "recommend", resource, recommendedAt, { regionId: below.regionId, toRegionId: upRegionId });
          const upAdmittedAt = next(4);
          await tx
            .update(schema.libraryListings)
            .set({ state: "admitted", round: 2, decidedBy: upReviewerId, decidedAt: new Date(upAdmittedAt), admittedVersionId: versionId, admittedAt: new Date(upAdmittedAt) })
            .where(eq(schema.libraryListings.id, upId));
          await review(upId, versionId, upReviewerId, "admit", upAdmittedAt, CHECKLIST);
          await audit(upReviewerId, "admit", resource, upAdmittedAt, { regionId: upRegionId, versionId, checklist: CHECKLIST });
          if (up.quality) {
            const at = next(1);
            await tx.update(schema.libraryListings).set({ quality: true }).where(eq(schema.libraryListings.id, upId));
            await review(upId, versionId, upReviewerId, "quality", at);
            await audit(upReviewerId, "quality", resource, at, { regionId: upRegionId });
          }
          libraries.push({ library: up.to, at: upAdmittedAt });
          below = { listingId: upId, regionId: upRegionId, reviewerId: upReviewerId };
        }
        admitted.push({ spec, resourceId: resource.id, versionId, index, libraries });
      }

      // Uses: teachers of the using schools whose path reaches a library the resource was admitted to,
      // the same stage first; spread over last term and this one, never before it was admitted there.
      const usingTeachers = SCHOOL_CODES.filter((s) => USING_SCHOOLS.includes(s))
        .flatMap((s) => [1, 2, 3].map((n) => `${s}.t${n}`))
        .filter((login) => !UNTOUCHED.includes(login));
      const stageOf = (login: string): LibraryStage => (login.includes("-pri.") ? "primary" : login.includes("-jun.") ? "junior" : "vocational");
      const STARS = [5, 4, 5, 3, 4, 5, 4];
      for (const { spec, resourceId, versionId, index, libraries } of admitted) {
        const readableFrom = (login: string) => {
          const path = PATH_OF[countyOf(login)]!;
          const times = libraries.filter((l) => path.includes(l.library)).map((l) => l.at);
          return times.length ? Math.min(...times) : null;
        };
        const candidates = usingTeachers.filter((login) => login !== spec.author && readableFrom(login) !== null);
        const rotated = candidates.map((_, k) => candidates[(k + index * 5) % candidates.length]!);
        const ordered = [...rotated.filter((l) => stageOf(l) === spec.stage), ...rotated.filter((l) => stageOf(l) !== spec.stage)];
        const chosen = ordered.slice(0, Math.min(ordered.length, 2 + (index % 4)));
        for (const [k, login] of chosen.entries()) {
          const from = readableFrom(login)!;
          const lastTerm = from < current - 10 * DAY && k % 2 === 1;
          const f = (((index + 3) * (k + 7) * 29) % 100) / 100;
          const at = lastTerm ? within(Math.max(from + HOUR, previous), current - DAY, 0.1 + 0.8 * f) : within(Math.max(from + HOUR, current), latest, 0.1 + 0.85 * f);
          const u = user(login);
          await tx.insert(schema.libraryUses).values({ id: randomId(), resourceId, versionId, userId: u.id, schoolId: u.schoolId, lessonId: null, published: (index + k) % 3 !== 0, createdAt: new Date(at) });
          created++;
          // Most who used it rated it a little later; some said a word about it.
          if (k < 3 && (index + k) % 4 !== 3) {
            await tx.insert(schema.libraryRatings).values({ resourceId, userId: u.id, stars: STARS[(index + k) % STARS.length]!, updatedAt: new Date(Math.min(latest, at + 2 * DAY)) });
            created++;
          }
          const comment = spec.comments?.[k];
          if (comment) {
            await tx.insert(schema.libraryComments).values({ id: randomId(), resourceId, authorId: u.id, body: comment, createdAt: new Date(Math.min(latest, at + 3 * DAY)) });
            created++;
          }
        }
      }
    },
    { behavior: "immediate" },
  );
  return { created };
}
