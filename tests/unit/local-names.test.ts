// The one helper every page uses to name a school, class or subject in the reader's language.
import { describe, expect, it } from "vitest";
import { localName, localSubject } from "~/lib/local-names";

describe("localName", () => {
  const klass = { name: "二年级（1）班", names: { ii: "ꑍꈎꐛ ꋍꌶꁥ", en: "Grade 2, Class 1" } };

  it("gives the name the school gave in the reader's language", () => {
    expect(localName(klass, "ii")).toBe("ꑍꈎꐛ ꋍꌶꁥ");
    expect(localName(klass, "en")).toBe("Grade 2, Class 1");
  });

  it("falls back to the official Chinese name: for Chinese readers, a language not given, blank names, no names at all", () => {
    expect(localName(klass, "zh-Hans")).toBe("二年级（1）班");
    expect(localName(klass, "bo")).toBe("二年级（1）班");
    expect(localName({ name: "二年级（1）班", names: { bo: "   " } }, "bo")).toBe("二年级（1）班");
    expect(localName({ name: "二年级（1）班", names: null }, "ii")).toBe("二年级（1）班");
    expect(localName({ name: "二年级（1）班" }, "ii")).toBe("二年级（1）班");
  });

  it("without a locale gives the official name (what domain code and exports use)", () => {
    expect(localName(klass)).toBe("二年级（1）班");
    expect(localName(klass, null)).toBe("二年级（1）班");
  });
});

describe("localSubject", () => {
  const map = { 彝文: { ii: "ꆈꌠꉙ", en: "Yi" } };
  it("looks the subject up in the school's map, else keeps the subject as written", () => {
    expect(localSubject("彝文", map, "ii")).toBe("ꆈꌠꉙ");
    expect(localSubject("彝文", map, "zh-Hans")).toBe("彝文");
    expect(localSubject("数学", map, "ii")).toBe("数学");
    expect(localSubject("彝文", undefined, "en")).toBe("彝文");
    expect(localSubject(null, map, "ii")).toBeNull();
  });
});
