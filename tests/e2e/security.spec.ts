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
