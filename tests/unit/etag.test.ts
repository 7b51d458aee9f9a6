// ETag/304 on pages that may be kept (server/etag.mjs), through a real Express app with compression in
// front, as server.mjs mounts it: the nonce is left out of the ETag, a 304 carries no CSP, and pages that
// are not to be kept (no-store, a cookie set, a POST) get no ETag at all.
import compression from "compression";
import express from "express";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { etagMatches, pageEtag, pageEtags } from "../../server/etag.mjs";
import { newNonce, securityHeaders } from "../../server/security-headers.mjs";

let server: Server;
let base: string;
let language = "zh-Hans";

beforeAll(async () => {
  const app = express();
  app.use(compression());
  app.use(pageEtags);
  app.use((_req, res, next) => {
    res.locals.cspNonce = newNonce();
    res.set(securityHeaders(res.locals.cspNonce));
    next();
  });
  // As Remix sends a page: headers, then the body in chunks (several writes), then end().
  const page = (cacheControl: string, extra: Record<string, string> = {}) => (_req: express.Request, res: express.Response) => {
    res.status(200).set({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": cacheControl, ...extra });
    res.write(`<!DOCTYPE html><html lang="${language}"><body><h1>登录</h1>`);
    res.write(`<script nonce="${res.locals.cspNonce}">window.__ctx = {};</script>`);
    res.end("</body></html>");
  };
  app.get("/anonymous", page("private, no-cache"));
  app.get("/private", page("private, no-store"));
  app.get("/with-cookie", page("private, no-cache", { "Set-Cookie": "lang=bo; Path=/" }));
  app.post("/anonymous", page("private, no-cache"));
  app.get("/translations", (_req, res) => {
    res.status(200).set({ "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=3600" });
    res.end(JSON.stringify({ signIn: "登录" }));
  });
  app.get("/big", (_req, res) => {
    res.status(200).set({ "Content-Type": "text/html", "Cache-Control": "private, no-cache" });
    for (let i = 0; i < 200; i++) res.write("x".repeat(4096));
    res.end();
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, "127.0.0.1", resolve);
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("page ETags", () => {
  it("leave the nonce out: two renderings of the same page have the same weak ETag", () => {
    const a = Buffer.from('<script nonce="AAAA">x</script>');
    const b = Buffer.from('<script nonce="BBBB">x</script>');
    expect(pageEtag(a, "AAAA")).toBe(pageEtag(b, "BBBB"));
    expect(pageEtag(a, "AAAA")).toMatch(/^W\/"[\w-]{27}"$/);
    expect(pageEtag(Buffer.from('<script nonce="AAAA">y</script>'), "AAAA")).not.toBe(pageEtag(a, "AAAA"));
  });

  it("match If-None-Match weakly, in a list or as *", () => {
    expect(etagMatches('W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches('W/"x", W/"abc"', 'W/"abc"')).toBe(true);
    expect(etagMatches("*", 'W/"abc"')).toBe(true);
    expect(etagMatches('W/"abd"', 'W/"abc"')).toBe(false);
    expect(etagMatches(undefined, 'W/"abc"')).toBe(false);
  });

  it("answer 304 without a body or a new CSP to a browser that holds the anonymous page", async () => {
    language = "zh-Hans";
    const first = await fetch(`${base}/anonymous`, { headers: { "Accept-Encoding": "gzip" } });
    const etag = first.headers.get("etag");
    expect(first.status).toBe(200);
    expect(etag).toMatch(/^W\//);
    expect(await first.text()).toContain("登录");
    const again = await fetch(`${base}/anonymous`, { headers: { "If-None-Match": etag!, "Accept-Encoding": "gzip" } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe("");
    expect(again.headers.get("etag")).toBe(etag);
    // The kept page's scripts carry the kept nonce: a new policy would block them.
    expect(again.headers.get("content-security-policy")).toBeNull();
    expect(again.headers.get("cache-control")).toBe("private, no-cache");
    expect(again.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("let public JSON (the translations) be revalidated once its max-age is over", async () => {
    const first = await fetch(`${base}/translations`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^W\//);
    const again = await fetch(`${base}/translations`, { headers: { "If-None-Match": etag! } });
    expect(again.status).toBe(304);
  });

  it("send the page again once it changed (e.g. another language)", async () => {
    language = "zh-Hans";
    const etag = (await fetch(`${base}/anonymous`)).headers.get("etag")!;
    language = "bo";
    const changed = await fetch(`${base}/anonymous`, { headers: { "If-None-Match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect(await changed.text()).toContain('lang="bo"');
    language = "zh-Hans";
  });

  it("are never added to pages not to be kept: no-store, a cookie being set, a POST, a page too large", async () => {
    for (const path of ["/private", "/with-cookie"]) {
      const answer = await fetch(`${base}${path}`);
      expect(answer.status, path).toBe(200);
      expect(answer.headers.get("etag"), path).toBeNull();
      expect(await answer.text(), path).toContain("登录");
      const revalidated = await fetch(`${base}${path}`, { headers: { "If-None-Match": "*" } });
      expect(revalidated.status, path).toBe(200);
    }
    const posted = await fetch(`${base}/anonymous`, { method: "POST", headers: { "If-None-Match": "*" } });
    expect(posted.status).toBe(200);
    expect(posted.headers.get("etag")).toBeNull();
    const big = await fetch(`${base}/big`, { headers: { "If-None-Match": "*" } });
    expect(big.status).toBe(200);
    expect(big.headers.get("etag")).toBeNull();
    expect((await big.text()).length).toBe(200 * 4096);
  });
});
