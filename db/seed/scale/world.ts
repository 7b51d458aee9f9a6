// The shape of the generated province slice: Sichuan's prefectures and counties (成都 and two other Han
// prefectures, the Tibetan 甘孜 and 阿坝, the Yi 凉山), who lives there, each county's share of the
// pupils, and the names people and schools are given. Everything here is data; scale.ts draws from it.
import type { Locale, Stage } from "../../schema";
import type { Random } from "./random";

export type Community = "han" | "tibetan" | "yi";

export type Prefecture = { key: string; name: string; ceiling?: number };
export type County = {
  key: string;
  name: string;
  prefecture: string;
  /** Who mostly lives there: [community, share] (the rest are Han). */
  community: Community;
  share: number;
  locale: Locale;
  tags: string[];
  /** Rollout phase of its schools. */
  phase: number;
  /** Share of the province's pupils (relative). */
  weight: number;
};

export const PROVINCE = { key: "sichuan", name: "四川省" };

export const PREFECTURES: Prefecture[] = [
  { key: "chengdu", name: "成都市" },
  { key: "mianyang", name: "绵阳市" },
  { key: "nanchong", name: "南充市" },
  { key: "garze", name: "甘孜藏族自治州", ceiling: 3 },
  { key: "aba", name: "阿坝藏族羌族自治州", ceiling: 3 },
  { key: "liangshan", name: "凉山彝族自治州", ceiling: 2 },
];

const han = (key: string, name: string, prefecture: string, weight: number, phase = 3): County => ({ key, name, prefecture, community: "han", share: 1, locale: "zh-Hans", tags: [], phase, weight });
const tibetan = (key: string, name: string, prefecture: string, weight: number, remote = false, phase = 2): County => ({ key, name, prefecture, community: "tibetan", share: 0.85, locale: "bo", tags: remote ? ["ethnic-area", "remote"] : ["ethnic-area"], phase, weight });
const yi = (key: string, name: string, weight: number, phase = 2): County => ({ key, name, prefecture: "liangshan", community: "yi", share: 0.9, locale: "ii", tags: ["ethnic-area", "remote"], phase, weight });

export const COUNTIES: County[] = [
  han("wuhou", "武侯区", "chengdu", 10),
  han("jinjiang", "锦江区", "chengdu", 7),
  han("qingyang", "青羊区", "chengdu", 7),
  han("jinniu", "金牛区", "chengdu", 8),
  han("chenghua", "成华区", "chengdu", 7),
  han("shuangliu", "双流区", "chengdu", 8),
  han("pidu", "郫都区", "chengdu", 5),
  han("fucheng", "涪城区", "mianyang", 6),
  han("jiangyou", "江油市", "mianyang", 5, 2),
  han("shunqing", "顺庆区", "nanchong", 5, 2),
  han("langzhong", "阆中市", "nanchong", 4, 2),
  // 康定 has opened to parents (甘孜's ceiling is 3); 凉山's ceiling keeps its schools at 2 or below.
  tibetan("kangding", "康定市", "garze", 4, false, 3),
  { ...han("luding", "泸定县", "garze", 2, 2), tags: ["ethnic-area"] },
  tibetan("litang", "理塘县", "garze", 2, true),
  tibetan("seda", "色达县", "garze", 2, true),
  tibetan("barkam", "马尔康市", "aba", 2),
  { ...han("wenchuan", "汶川县", "aba", 2, 2), tags: ["ethnic-area"] },
  tibetan("hongyuan", "红原县", "aba", 1, true),
  tibetan("zoige", "若尔盖县", "aba", 1, true),
  { key: "xichang", name: "西昌市", prefecture: "liangshan", community: "yi", share: 0.35, locale: "zh-Hans", tags: ["ethnic-area"], phase: 2, weight: 5 },
  yi("zhaojue", "昭觉县", 3),
  yi("butuo", "布拖县", 2),
  yi("meigu", "美姑县", 2),
  yi("yuexi", "越西县", 2, 1),
];

/** The first schools go here, so that even a small slice has Han, Tibetan and Yi schools. */
export const FIRST_COUNTIES = ["wuhou", "kangding", "zhaojue", "jinjiang", "barkam", "xichang", "fucheng", "meigu"];

/** Stages of a county's 1st, 2nd, … school (repeating). */
export const STAGE_PATTERN: Stage[] = ["primary", "junior", "primary", "primary", "junior", "vocational", "primary", "junior", "primary", "primary"];

const DIGITS = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
/** 1 → 一, 12 → 十二, 35 → 三十五 (up to 99). */
export function chineseNumber(n: number): string {
  if (n < 10) return DIGITS[n]!;
  const tens = Math.floor(n / 10);
  return `${tens === 1 ? "" : DIGITS[tens]}十${DIGITS[n % 10]}`;
}

const SCHOOL_LABELS: Record<"primary" | "junior" | "vocational", string[]> = {
  primary: ["实验小学", "第一小学", "城北小学", "城南小学", "中心小学", "第二小学", "东街小学", "希望小学"],
  junior: ["第一初级中学", "实验中学", "第二初级中学", "城关中学"],
  vocational: ["职业技术学校", "职业中学"],
};

/** The k-th (0-based) school of a stage in a county. Ethnic-area counties have a 民族中学 first. */
export function schoolName(county: County, stage: Stage, k: number): string {
  const key = stage === "primary" || stage === "junior" ? stage : "vocational";
  const labels = key === "junior" && county.tags.includes("ethnic-area") ? ["民族中学", ...SCHOOL_LABELS.junior] : SCHOOL_LABELS[key];
  if (k < labels.length) return county.name + labels[k];
  const n = k - labels.length + (key === "primary" ? 3 : key === "junior" ? 3 : 2);
  return county.name + (key === "primary" ? `第${chineseNumber(n)}小学` : key === "junior" ? `第${chineseNumber(n)}初级中学` : `第${chineseNumber(n)}职业技术学校`);
}

export const GRADE_COUNT: Record<"primary" | "junior" | "vocational", number> = { primary: 6, junior: 3, vocational: 3 };
/** Age on 1 September of a pupil in grade 1. */
export const FIRST_GRADE_AGE: Record<"primary" | "junior" | "vocational", number> = { primary: 6, junior: 12, vocational: 15 };

const PRIMARY_GRADES = ["一", "二", "三", "四", "五", "六"];
const JUNIOR_GRADES = ["七", "八", "九"];
const MAJORS = { han: ["计算机应用", "旅游服务", "电子商务", "汽车运用与维修", "学前教育", "会计事务"], tibetan: ["唐卡绘画", "藏医药", "旅游服务", "畜牧兽医"], yi: ["彝绣工艺", "农业技术", "旅游服务", "电子商务"] };

/** Class name as schools write it: 三年级（2）班, 八年级（1）班, 2026级计算机应用1班. */
export function className(stage: Stage, grade: number, section: number, community: Community): string {
  if (stage === "primary") return `${PRIMARY_GRADES[grade - 1]}年级（${section}）班`;
  if (stage === "junior") return `${JUNIOR_GRADES[grade - 1]}年级（${section}）班`;
  const majors = MAJORS[community];
  const major = majors[(section - 1) % majors.length]!;
  return `${2027 - grade}级${major}${Math.floor((section - 1) / majors.length) + 1}班`;
}

export function subjectsOf(stage: Stage, community: Community): string[] {
  const own = community === "tibetan" ? ["藏文"] : community === "yi" ? ["彝文"] : [];
  if (stage === "primary") return ["语文", "数学", ...own, "英语", "科学", "道德与法治", "美术", "音乐", "体育"];
  if (stage === "junior") return ["语文", "数学", "英语", ...own, "物理", "化学", "历史", "地理", "生物"];
  return ["专业课", "语文", "数学", ...own, "计算机基础", "英语"];
}

// ---- names (registered in Chinese characters) ----

// Han surnames, most common first (drawn with a skew, so 王, 李, 张 are frequent) and given names of
// one or two characters: common names repeat, as they do in any large school system.
const HAN_SURNAMES = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "邓", "冯", "韩", "曹", "曾", "彭", "萧", "蔡", "潘", "田", "董", "袁", "于", "余", "蒋", "杜", "叶", "程", "魏", "苏", "吕", "丁", "任", "卢", "姚", "沈", "钟", "姜", "崔", "谭", "陆", "范", "汪", "廖"];
const HAN_GIVEN_ONE = ["浩", "宇", "轩", "杰", "涛", "磊", "鑫", "婷", "静", "敏", "丽", "芳", "欣", "悦", "琪", "雪", "阳", "鹏", "博", "睿"];
const HAN_GIVEN_A = ["子", "梓", "浩", "雨", "欣", "佳", "思", "一", "宇", "诗", "俊", "明", "晨", "嘉", "可", "若", "语", "天", "家", "文", "志", "雅", "沐", "心"];
const HAN_GIVEN_B = ["涵", "轩", "萱", "然", "怡", "琪", "桐", "诺", "航", "杰", "辰", "泽", "彤", "晴", "阳", "宁", "熙", "瑶", "博", "豪", "雯", "凯", "琳", "铭"];
const TIBETAN = ["扎西", "次仁", "格桑", "尼玛", "达瓦", "洛绒", "泽仁", "四郎", "降央", "益西", "贡布", "登巴", "仁青", "索朗", "拉姆", "白玛", "卓玛", "多吉", "央宗", "曲珍", "邓珠", "翁姆", "措姆", "平措", "旺姆", "桑珠", "拉措", "志玛", "降措", "呷绒", "阿旺", "德吉", "嘎玛", "更登", "罗布", "巴桑"];
const YI_CLANS = ["阿苦", "吉克", "海来", "沙马", "阿力", "吉木", "俄木", "马海", "曲比", "阿西", "吉伍", "勒格", "木乃", "阿说", "瓦扎", "俄狄", "阿尔", "吉史", "苏呷", "日火", "孙子", "阿约", "的日", "尔古"];
const YI_GIVEN = ["日布", "曲布", "阿木", "伍呷", "木呷", "子洛", "沙玛", "阿果", "阿呷", "木牛", "伍果", "拉哈", "尔古", "石者", "阿依", "么且", "拉则", "阿支", "金古", "有格", "尔布", "阿各", "伍各", "体布", "约哈", "阿作"];

function skewed<T>(random: Random, list: readonly T[]): T {
  // A uniform draw to the power 1.5 favours the front of the list (王 about 6% of Han names, as in life).
  return list[Math.floor(random.next() ** 1.5 * list.length)]!;
}

/** A name of the community; `family` (a father's name) passes on a Han surname or a Yi clan name. */
export function personName(random: Random, community: Community, family?: { community: Community; name: string }): string {
  switch (community) {
    case "han": {
      const surname = family?.community === "han" ? family.name.slice(0, 1) : skewed(random, HAN_SURNAMES);
      return surname + (random.chance(0.12) ? random.pick(HAN_GIVEN_ONE) : random.pick(HAN_GIVEN_A) + random.pick(HAN_GIVEN_B));
    }
    case "tibetan": {
      const first = skewed(random, TIBETAN);
      let second = random.pick(TIBETAN);
      if (second === first) second = TIBETAN[(TIBETAN.indexOf(first) + 7) % TIBETAN.length]!;
      return first + second;
    }
    case "yi": {
      const clan = family?.community === "yi" ? family.name.slice(0, 2) : skewed(random, YI_CLANS);
      return clan + random.pick(YI_GIVEN);
    }
  }
}

/** Which community a person of the county belongs to. */
export function communityIn(random: Random, county: County): Community {
  return random.chance(county.share) ? county.community : "han";
}
