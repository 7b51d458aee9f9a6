import { describe, expect, it } from "vitest";
import {
  requestScope,
  requestScopeStorage,
} from "../../server/request-scope.mjs";
import {
  knownForRequest,
  manyPerRequest,
  oncePerRequest,
} from "~/lib/request-scope.server";

describe("request scope (issue 17: what several loaders ask for is looked up once per read)", () => {
  it("computes once per scope, afresh in another scope and outside any", () => {
    let runs = 0;
    const school = () => oncePerRequest("school:a", () => ++runs);
    requestScopeStorage().run(new Map(), () => {
      expect([school(), school()]).toEqual([1, 1]);
    });
    requestScopeStorage().run(new Map(), () => expect(school()).toBe(2));
    expect([school(), school()]).toEqual([3, 4]);
  });

  it("fetches only the ids not seen yet, remembers the absent, and takes what is already known", async () => {
    const asked: string[][] = [];
    const fetch = (ids: string[]) => {
      asked.push(ids);
      return new Map(
        ids.filter((id) => id !== "gone").map((id) => [id, id.toUpperCase()])
      );
    };
    await requestScopeStorage().run(new Map(), async () => {
      knownForRequest("person", "me", "ME (from the session)");
      expect([...await manyPerRequest("person", ["a", "b", "me"], fetch)]).toEqual([
        ["a", "A"],
        ["b", "B"],
        ["me", "ME (from the session)"],
      ]);
      expect([...await manyPerRequest("person", ["b", "c", "gone"], fetch)]).toEqual([
        ["b", "B"],
        ["c", "C"],
      ]);
      expect([...await manyPerRequest("person", ["gone", "a"], fetch)]).toEqual([
        ["a", "A"],
      ]);
    });
    expect(asked).toEqual([
      ["a", "b"],
      ["c", "gone"],
    ]);
  });

  it("opens a scope for GET and HEAD only: a request that writes reads afresh after its write", () => {
    const seen: Record<string, boolean> = {};
    for (const method of ["GET", "HEAD", "POST", "PUT", "DELETE"]) {
      requestScope({ method } as never, {} as never, () => {
        seen[method] = requestScopeStorage().getStore() !== undefined;
      });
    }
    expect(seen).toEqual({
      GET: true,
      HEAD: true,
      POST: false,
      PUT: false,
      DELETE: false,
    });
  });
});
