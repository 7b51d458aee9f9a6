import { describe, expect, it } from "vitest";
import { formatActivationCode, generateActivationCode, sameRealName } from "~/domain/accounts/accounts.server";
import { fromAcceptLanguage } from "~/domain/accounts/locale.server";
import { hashPassword, passwordProblem, verifyPassword } from "~/domain/accounts/passwords.server";
import { formatDate, formatList } from "~/lib/format";
import { safeNext } from "~/lib/http.server";
import { originAllowed } from "../../server/origin.mjs";

describe("password policy", () => {
  it("asks for 8 to 128 characters, counted as characters not bytes, with no composition rules", () => {
    expect(passwordProblem("1234567", "x")).toBe("auth:passwordTooShort");
    expect(passwordProblem("雪山下的格桑花开", "x")).toBeNull(); // 8 Chinese characters
    expect(passwordProblem("a".repeat(129), "x")).toBe("auth:passwordTooLong");
    expect(passwordProblem("all lower case words", "x")).toBeNull();
  });

  it("refuses common passwords, in any case, and the login name", () => {
    for (const common of ["password", "12345678", "Qwerty123", "woaini1314", "1qaz2wsx"]) expect(passwordProblem(common, "x"), common).toBe("auth:passwordTooCommon");
    expect(passwordProblem("Wuhou-Pri.T1", "wuhou-pri.t1")).toBe("auth:passwordIsLoginName");
  });

  it("hashes with argon2id at m=19456, t=2, p=1 and verifies", async () => {
    const hash = await hashPassword("酥油茶 and tsampa");
    expect(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$")).toBe(true);
    expect(await verifyPassword(hash, "酥油茶 and tsampa")).toBe(true);
    expect(await verifyPassword(hash, "酥油茶 and tsampa ")).toBe(false);
    expect(await verifyPassword("not a hash", "x")).toBe(false);
  });
});

describe("activation codes and names", () => {
  it("makes 10-character codes without look-alike letters, printed in groups", () => {
    const codes = new Set(Array.from({ length: 200 }, generateActivationCode));
    expect(codes.size).toBe(200);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJKMNP-Z]{10}$/);
    expect(formatActivationCode("ABCDEFGHJK")).toBe("ABCDE-FGHJK");
  });

  it("matches real names across spacing and width differences, not across different names", () => {
    expect(sameRealName("扎西多吉", "扎西 多吉")).toBe(true);
    expect(sameRealName("吉克·曲布", "吉克曲布")).toBe(true);
    expect(sameRealName("ＬＩ Ｍｉｎｇ", "LI Ming")).toBe(true);
    expect(sameRealName("扎西多吉", "扎西卓玛")).toBe(false);
  });
});

describe("language and formats", () => {
  it("maps Accept-Language to a supported language by q-value", () => {
    expect(fromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8")).toBe("zh-Hans");
    expect(fromAcceptLanguage("fr;q=1, en;q=0.5")).toBe("en");
    expect(fromAcceptLanguage("en;q=0.4, bo;q=0.9")).toBe("bo");
    expect(fromAcceptLanguage("ii-CN")).toBe("ii");
    expect(fromAcceptLanguage("fr, de")).toBeNull();
    expect(fromAcceptLanguage(null)).toBeNull();
  });

  it("formats dates in Tibetan and Yi on the server, in Asia/Shanghai time", () => {
    const date = new Date("2026-11-28T17:00:00Z"); // already the 29th in Shanghai
    expect(formatDate(date, "bo")).toMatch(/[\u0F00-\u0FFF]/);
    expect(formatDate(date, "ii")).toMatch(/[\uA000-\uA4CF]/);
    expect(formatDate(date, "zh-Hans")).toBe("2026年11月29日");
    expect(formatList(["A", "B", "C"], "en")).toBe("A, B, C");
  });
});

describe("request guards", () => {
  it("only redirects to paths on this site", () => {
    expect(safeNext("/account?x=1")).toBe("/account?x=1");
    for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example", "", null]) expect(safeNext(bad)).toBe("/");
  });

  it("lets non-GET requests through only from this site's origin", () => {
    expect(originAllowed({ method: "GET", origin: undefined, host: "a.example" })).toBe(true);
    expect(originAllowed({ method: "POST", origin: "https://a.example", host: "a.example" })).toBe(true);
    expect(originAllowed({ method: "POST", origin: "https://evil.example", host: "a.example" })).toBe(false);
    expect(originAllowed({ method: "DELETE", origin: undefined, host: "a.example" })).toBe(false);
    expect(originAllowed({ method: "POST", origin: "null", host: "a.example" })).toBe(false);
    expect(originAllowed({ method: "POST", origin: "https://proxy.example", host: "internal:3000", allowedOrigins: ["https://proxy.example"] })).toBe(true);
  });
});
