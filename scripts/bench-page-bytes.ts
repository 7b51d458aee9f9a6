// Measures what a first visit costs: every byte Chromium receives for a page (HTML, CSS, scripts,
// fonts, icons), compressed as sent, with an empty cache. Budget (DESIGN.md §2): a read-only page at
// most 60 KB compressed, the once-cached Tibetan/Yi font files aside.
// Usage: npm run build && npm run bench:bytes
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "@playwright/test";

const PORT = 3200;
const base = `http://localhost:${PORT}`;
const BUDGET = 60 * 1024;

const server = spawn("node", ["--import", "tsx", "tests/e2e/serve.ts"], {
  env: { ...process.env, PORT: String(PORT), DATA_DIR: mkdtempSync(join(tmpdir(), "rrt-bench-")), NODE_ENV: "production" },
  stdio: ["ignore", "pipe", "inherit"],
});
await new Promise<void>((resolve, reject) => {
  server.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("serving on") && resolve());
  server.on("exit", (code) => reject(new Error(`server exited ${code}`)));
});

const browser = await chromium.launch({
  executablePath: process.env.PLAYWRIGHT_CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined),
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

type Row = { page: string; requests: number; html: number; css: number; js: number; fonts: number; other: number; total: number; withoutFonts: number; verdict: string };

async function measure(label: string, path: string, setup?: (page: Page) => Promise<void>, lng?: string): Promise<Row> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  if (lng) await context.addCookies([{ name: "lng", value: lng, url: base }]);
  const page = await context.newPage();
  if (setup) await setup(page);
  const sizes: { type: string; bytes: number }[] = [];
  page.on("requestfinished", async (request) => {
    const s = await request.sizes();
    sizes.push({ type: request.resourceType(), bytes: s.responseBodySize + s.responseHeadersSize });
  });
  await page.goto(base + path, { waitUntil: "networkidle" });
  await page.waitForTimeout(200);
  const sum = (types: string[]) => sizes.filter((s) => types.includes(s.type)).reduce((a, s) => a + s.bytes, 0);
  const total = sizes.reduce((a, s) => a + s.bytes, 0);
  const fonts = sum(["font"]);
  await context.close();
  return {
    page: label,
    requests: sizes.length,
    html: sum(["document"]),
    css: sum(["stylesheet"]),
    js: sum(["script"]),
    fonts,
    other: total - sum(["document", "stylesheet", "script", "font"]),
    total,
    withoutFonts: total - fonts,
    verdict: total - fonts <= BUDGET ? "within 60 KB" : "OVER BUDGET",
  };
}

const signInAs = (loginName: string) => async (page: Page) => {
  await page.goto(`${base}/login`);
  await page.locator("#f-loginName").fill(loginName);
  await page.locator("#f-password").fill("demo1234");
  await page.locator("form button.primary").click();
  await page.waitForURL(`${base}/`);
  // First visit of the measured page: forget cached files, keep the session.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.clearBrowserCache");
};

const rows: Row[] = [
  await measure("sign-in (zh-Hans)", "/login"),
  await measure("sign-in (bo)", "/login", undefined, "bo"),
  await measure("sign-in (ii)", "/login", undefined, "ii"),
  await measure("activate (zh-Hans)", "/activate"),
  await measure("home: teacher (zh-Hans)", "/", signInAs("wuhou-pri.t2")),
  await measure("home: student (zh-Hans)", "/", signInAs("wuhou-pri.s1")),
  await measure("home: parent (zh-Hans)", "/", signInAs("wuhou-pri.p1")),
  await measure("home: teacher (ii, school default)", "/", signInAs("zhaojue-pri.t1")),
  await measure("home: school admin (zh-Hans)", "/", signInAs("wuhou-pri.admin")),
  await measure("home: region admin (zh-Hans)", "/", signInAs("sichuan.edu")),
  await measure("account (zh-Hans)", "/account", signInAs("wuhou-pri.t2")),
];
await browser.close();
server.kill();

console.log("\nBytes received on a first visit (compressed, headers included), 360 px wide:\n");
console.table(rows);
console.log("fonts: 0 here means Chromium found a local Tibetan/Yi font (fonts-noto-core); without one a bo page adds the 160 KB woff2 once, an ii page the 104 KB one.");
const over = rows.filter((r) => r.verdict !== "within 60 KB");
process.exit(over.length ? 1 : 0);
