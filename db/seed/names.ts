// Plausible real names for demo people, by community. Deterministic: the same index gives the same
// name, so running the seed twice gives the same people.

export type Community = "han" | "tibetan" | "yi";

const han = {
  surnames: ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "罗", "谢"],
  given: ["芳", "伟", "静", "洋", "磊", "敏", "浩然", "雨桐", "子涵", "欣怡", "俊杰", "梓萱", "宇航", "诗琪", "明轩", "思远", "佳怡", "一诺", "晨曦", "博文", "雪梅", "建国", "秀英", "志强"],
};
// Tibetan names as registered in Chinese characters; no surnames.
const tibetan = {
  first: ["扎西", "次仁", "格桑", "尼玛", "达瓦", "洛绒", "泽仁", "四郎", "降央", "益西", "贡布", "登巴", "仁青", "索朗", "拉姆", "白玛"],
  second: ["卓玛", "多吉", "央宗", "拉姆", "次仁", "曲珍", "邓珠", "翁姆", "措姆", "平措", "旺姆", "泽仁", "桑珠", "拉措", "志玛", "降措"],
};
// Yi names: a clan name (passed from father to child) and a given name.
const yi = {
  clans: ["阿苦", "吉克", "海来", "沙马", "阿力", "吉木", "俄木", "马海", "曲比", "阿西", "吉伍", "勒格", "木乃", "阿说", "瓦扎", "俄狄"],
  given: ["日布", "曲布", "阿木", "伍呷", "木呷", "子洛", "沙玛", "阿果", "阿呷", "木牛", "伍果", "拉哈", "尔古", "石者", "阿依", "么且"],
};

function pick<T>(list: readonly T[], i: number): T {
  return list[i % list.length]!;
}

// The i-th pair of (first part, second part): every pair differs until the lists run out.
function pair<A, B>(first: readonly A[], second: readonly B[], i: number): [A, B] {
  return [pick(first, i), pick(second, i * 5 + Math.floor(i / first.length) * 3 + 1)];
}

/** The i-th name of a community; `familyOf` gives a Han surname or Yi clan to share (a child's father). */
export function personName(community: Community, i: number, familyOf?: string): string {
  switch (community) {
    case "han": {
      const [surname, given] = pair(han.surnames, han.given, i);
      return (familyOf ? familyOf.slice(0, 1) : surname) + given;
    }
    case "tibetan":
      return pair(tibetan.first, tibetan.second, i).join("");
    case "yi": {
      const [clan, given] = pair(yi.clans, yi.given, i);
      return (familyOf ? familyOf.slice(0, 2) : clan) + given;
    }
  }
}
