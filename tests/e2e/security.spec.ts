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
