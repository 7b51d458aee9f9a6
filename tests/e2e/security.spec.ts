// Every response carries the security headers; pages with private data are never stored.
import { expect, test } from "@playwright/test";
import { signIn } from "./support";

test("pages, assets and refusals carry the Content-Security-Policy with a fresh nonce", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  const csp = first.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
  for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"]) expect(csp).toContain(directive);
  expect(second.headers()["content-security-policy"]).not.toBe(csp);
  expect(first.headers()["referrer-policy"]).toBe("same-origin");
  expect(first.headers()["x-content-type-options"]).toBe("nosniff");

  const missing = await request.get("/no-such-page");
  expect(missing.status()).toBe(404);
  expect(missing.headers()["content-security-policy"]).toContain("object-src 'none'");
  const refused = await request.post("/login", { headers: { Origin: "https://evil.example" }, form: { loginName: "x" } });
  expect(refused.status()).toBe(403);
  expect(refused.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
});

test("a signed-in page with private data is not stored by the browser or a proxy", async ({ page }) => {
  await signIn(page, "wuhou-pri.t1");
  await expect(page).toHaveURL("/");
  const response = await page.request.get("/account");
  expect(response.status()).toBe(200);
  expect(response.headers()["cache-control"]).toContain("no-store");
  // Never kept, so never revalidated: no ETag, and If-None-Match gets the whole page.
  expect(response.headers()["etag"]).toBeUndefined();
  const again = await page.request.get("/account", { headers: { "If-None-Match": "*" } });
  expect(again.status()).toBe(200);
  // Signed in, the activation page shows who is signed in (the header): not kept either.
  const activate = await page.request.get("/activate");
  expect(activate.headers()["cache-control"]).toContain("no-store");
  expect(activate.headers()["etag"]).toBeUndefined();
});

test("the anonymous sign-in page is kept and revalidated: same ETag whatever the nonce, 304 without a new CSP", async ({ request }) => {
  const first = await request.get("/login");
  const second = await request.get("/login");
  expect(first.headers()["cache-control"]).toBe("private, no-cache");
  const etag = first.headers()["etag"];
  expect(etag).toMatch(/^W\/"/);
  expect(second.headers()["content-security-policy"]).not.toBe(first.headers()["content-security-policy"]);
  expect(second.headers()["etag"]).toBe(etag);
  const notModified = await request.get("/login", { headers: { "If-None-Match": etag! } });
  expect(notModified.status()).toBe(304);
  expect(await notModified.body()).toHaveLength(0);
  // The kept page's scripts carry the kept nonce; a new policy would block them.
  expect(notModified.headers()["content-security-policy"]).toBeUndefined();
  // Another language is another page.
  const english = await request.get("/login", { headers: { "If-None-Match": etag!, "Accept-Language": "en" } });
  expect(english.status()).toBe(200);
  expect(english.headers()["etag"]).not.toBe(etag);
  // A failed sign-in (it shows what was typed) is never kept.
  const failed = await request.post("/login", { headers: { Origin: new URL(first.url()).origin }, form: { loginName: "nobody-etag-check", password: "wrong" } });
  expect(failed.status()).toBe(400);
  expect(await failed.text()).toContain("nobody-etag-check");
  expect(failed.headers()["cache-control"]).toContain("no-store");
  expect(failed.headers()["etag"]).toBeUndefined();
});

test("scripts are sent as built: brotli or gzip as the browser asks, the readable form otherwise, cached a year", async ({ request }) => {
  const page = await (await request.get("/login")).text();
  const stylesheet = page.match(/href="(\/assets\/app-[^"]+\.css)"/)?.[1];
  expect(stylesheet).toBeTruthy();
  for (const [accept, encoding] of [["gzip, deflate, br", "br"], ["gzip", "gzip"], ["identity", undefined]] as const) {
    for (const path of [stylesheet!, "/form-drafts.js"]) {
      const answer = await request.get(path, { headers: { "Accept-Encoding": accept } });
      expect(answer.status(), `${path} ${accept}`).toBe(200);
      expect(answer.headers()["content-encoding"], `${path} ${accept}`).toBe(encoding);
      expect(answer.headers()["vary"] ?? "").toMatch(/Accept-Encoding/i);
      expect((await answer.text()).length).toBeGreaterThan(100);
    }
  }
  const asset = await request.get(stylesheet!, { headers: { "Accept-Encoding": "br" } });
  expect(asset.headers()["cache-control"]).toContain("immutable");
});
