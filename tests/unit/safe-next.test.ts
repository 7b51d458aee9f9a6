import { describe, expect, it } from "vitest";
import { safeNext } from "~/lib/http.server";
import { NASTY_NEXT } from "../support/nasty-next";


describe("issue 13 open redirect: safeNext keeps only paths of this site", () => {
  it("answers / for every value that the browser would take to another origin", () => {
    for (const bad of NASTY_NEXT) {
      const next = safeNext(bad);
      expect(new URL(next, "https://own.example").origin, JSON.stringify(bad)).toBe("https://own.example");
      expect(next.startsWith("//"), JSON.stringify(bad)).toBe(false);
    }
    for (const bad of ["/\t/evil.example/phish", "//evil.example", "/\\evil.example", "https:evil.example", "/\r\n/evil.example", "", null, 42]) {
      expect(safeNext(bad), JSON.stringify(bad)).toBe("/");
    }
  });

  it("never returns characters a Location header refuses (CR, LF, raw non-ASCII)", () => {
    for (const value of [...NASTY_NEXT, "/account\r\nSet-Cookie: x=1", "/学习?q=空间#锚"]) {
      expect(safeNext(value), JSON.stringify(value)).toMatch(/^[\x21-\x7e]*$/);
    }
    expect(safeNext("/\u3000/x")).toBe("/%E3%80%80/x");
  });

  it("keeps ordinary same-site paths with their query and fragment", () => {
    expect(safeNext("/account?x=1")).toBe("/account?x=1");
    expect(safeNext("/posts/abc#comments")).toBe("/posts/abc#comments");
    expect(safeNext("/files?next=%2Fu%2Fx")).toBe("/files?next=%2Fu%2Fx");
  });
});
