// Issue 13, "open redirect": /login?next=… as a signed-in reader and as a form post; nothing leaves
// the site and nothing answers 500.
import { beforeAll, describe, expect, it } from "vitest";
import { createSession } from "~/domain/accounts/sessions.server";
import { loader } from "~/routes/login";
import { NASTY_NEXT } from "../support/nasty-next";
import { demoWorld, userByLogin } from "../support/world";

beforeAll(async () => {
  await demoWorld();
});

async function thrownBy(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (thrown) {
    return thrown;
  }
  return undefined;
}

describe("issue 13 open redirect: /login?next=", () => {
  it("sends a signed-in reader only to paths of this site, whatever next= holds, and never answers 500", async () => {
    const { token } = await createSession((await userByLogin("wuhou-pri.t1")).id, { remember: false, activeRole: "teacher" });
    for (const next of [...NASTY_NEXT, "/%2F%09%2Fevil.example%2Fphish", "/account"]) {
      const url = `http://localhost/login?next=${encodeURIComponent(next)}`;
      const request = new Request(url, { headers: { Cookie: `session=${token}` } });
      const answer = await thrownBy(async () => loader({ request, params: {}, context: { clientAddress: "203.0.113.7" } }));
      expect(answer, JSON.stringify(next)).toBeInstanceOf(Response);
      const response = answer as Response;
      expect(response.status, JSON.stringify(next)).toBe(302);
      const location = response.headers.get("Location")!;
      expect(new URL(location, "http://localhost").origin, JSON.stringify(next)).toBe("http://localhost");
      expect(location.startsWith("//"), JSON.stringify(next)).toBe(false);
    }
  });

  it("the decoded %2F%09%2Fevil.example%2Fphish of the report goes home", async () => {
    const { token } = await createSession((await userByLogin("wuhou-pri.t1")).id, { remember: false, activeRole: "teacher" });
    const request = new Request("http://localhost/login?next=%2F%09%2Fevil.example%2Fphish", { headers: { Cookie: `session=${token}` } });
    const response = (await thrownBy(async () => loader({ request, params: {}, context: { clientAddress: "203.0.113.7" } }))) as Response;
    expect(response.headers.get("Location")).toBe("/");
  });
});
