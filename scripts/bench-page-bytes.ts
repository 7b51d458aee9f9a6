// Measures what a first visit costs: every byte Chromium receives for a page (HTML, CSS, scripts,
// fonts, icons), compressed as sent, with an empty cache. Budget (DESIGN.md §2): a read-only page at
// most 60 KB compressed, the once-cached full Tibetan/Yi font files (for user content) aside. Chromium
// runs as a phone without Tibetan or Yi fonts, so a bo or ii page counts the interface font subsets it
// fetches (DESIGN.md §2.3: "Tibetan and Yi interface text must be readable at once").
// Usage: npm run build && npm run bench:bytes (BENCH_PORT to run beside another server, BUILD_DIR for a build)
import type { Page } from "@playwright/test";
import { launchChromium, pagePaths, signInAs as signIn, startDemoServer } from "./demo-server";

const BUDGET = 60 * 1024;
// A page with the rich-text editor may send more (DESIGN.md §2).
const EDITOR_BUDGET = 300 * 1024;
const { base, stop } = await startDemoServer(Number(process.env.BENCH_PORT ?? 3200));
const browser = await launchChromium({ withoutTibetanYiFonts: true });
/** The full fonts, which only user content needs; anything else a page fetches as a font is the interface's. */
const CONTENT_FONT = /noto-(serif-tibetan-tibetan|sans-yi-yi)-400-normal/;

type Row = { page: string; requests: number; html: number; css: number; js: number; uiFonts: number; contentFonts: number; other: number; total: number; counted: number; verdict: string };

/** A path, or how to find one (e.g. the first post linked from a list) once signed in. */
type Target = string | ((page: Page) => Promise<string>);

async function measure(label: string, target: Target, setup?: (page: Page) => Promise<void>, lng?: string, budget = BUDGET): Promise<Row> {
  // A Chinese phone's browser; a lng cookie stands for a chosen language.
  const phone = { viewport: { width: 360, height: 740 }, locale: "zh-CN" };
  const setupContext = await browser.newContext(phone);
  if (lng) await setupContext.addCookies([{ name: "lng", value: lng, url: base }]);
  const setupPage = await setupContext.newPage();
  if (setup) await setup(setupPage);
  const path = typeof target === "string" ? target : await target(setupPage);
  // A fresh context with the session only: the renderer's memory cache would otherwise keep the fonts
  // and files that signing in (which lands on home) or finding the page already fetched.
  const context = await browser.newContext({ ...phone, storageState: await setupContext.storageState() });
  await setupContext.close();
  const page = await context.newPage();
  const sizes: { type: string; url: string; bytes: number }[] = [];
  page.on("requestfinished", async (request) => {
    const s = await request.sizes();
    sizes.push({ type: request.resourceType(), url: request.url(), bytes: s.responseBodySize + s.responseHeadersSize });
  });
  const response = await page.goto(base + path, { waitUntil: "networkidle" });
  await page.waitForTimeout(200);
  // Guard against measuring a redirect to the sign-in page instead of the page itself.
  if (response?.status() !== 200 || new URL(page.url()).pathname !== path) throw new Error(`${label}: got ${response?.status()} at ${page.url()}`);
  const heading = await page.locator("h1").first().textContent();
  const sum = (types: string[]) => sizes.filter((s) => types.includes(s.type)).reduce((a, s) => a + s.bytes, 0);
  const total = sizes.reduce((a, s) => a + s.bytes, 0);
  const fonts = sum(["font"]);
  const contentFonts = sizes.filter((s) => s.type === "font" && CONTENT_FONT.test(s.url)).reduce((a, s) => a + s.bytes, 0);
  await context.close();
  return {
    page: `${label}: ${heading?.slice(0, 12)}`,
    requests: sizes.length,
    html: sum(["document"]),
    css: sum(["stylesheet"]),
    js: sum(["script"]),
    uiFonts: fonts - contentFonts,
    contentFonts,
    other: total - sum(["document", "stylesheet", "script", "font"]),
    total,
    counted: total - contentFonts,
    verdict: total - contentFonts <= budget ? `within ${budget / 1024} KB` : "OVER BUDGET",
  };
}

const signInAs = (loginName: string) => async (page: Page) => signIn(page, base, loginName);

const { firstLink, inFirstGroup, firstThread, handIn } = pagePaths(base);

const rows: Row[] = [
  await measure("sign-in (zh-Hans)", "/login"),
  await measure("sign-in (bo)", "/login", undefined, "bo"),
  await measure("sign-in (ii)", "/login", undefined, "ii"),
  await measure("home: teacher (bo, school default)", "/", signInAs("kangding-pri.t1")),
  await measure("activate (zh-Hans)", "/activate"),
  await measure("home: teacher (zh-Hans)", "/", signInAs("wuhou-pri.t2")),
  await measure("home: student (zh-Hans)", "/", signInAs("wuhou-pri.s1")),
  await measure("home: parent (zh-Hans)", "/", signInAs("wuhou-pri.p1")),
  await measure("home: teacher (ii, school default)", "/", signInAs("zhaojue-pri.t1")),
  await measure("home: school admin (zh-Hans)", "/", signInAs("wuhou-pri.admin")),
  await measure("home: region admin (zh-Hans)", "/", signInAs("sichuan.edu")),
  await measure("account (zh-Hans)", "/account", signInAs("wuhou-pri.t2")),
  await measure("space: teacher (zh-Hans)", "/u/wuhou-pri-t2", signInAs("wuhou-pri.t2")),
  await measure("space: a teacher's, read by a student", "/u/wuhou-pri-t1", signInAs("wuhou-pri.s1")),
  await measure("space (bo, Tibetan teacher)", "/u/kangding-pri-t1", signInAs("kangding-pri.t1")),
  await measure("blog list", "/u/wuhou-pri-t1/blog", signInAs("wuhou-pri.s1")),
  await measure("post page (zh-Hans)", firstLink("/u/wuhou-pri-t1/blog", "a[href^='/posts/']:not([href='/posts/new'])"), signInAs("wuhou-pri.s1")),
  await measure("post page (bo)", firstLink("/u/kangding-pri-t1/blog", "a[href^='/posts/']:not([href='/posts/new'])"), signInAs("kangding-pri.t1")),
  await measure("post editor (tiptap)", "/posts/new", signInAs("wuhou-pri.t1"), undefined, EDITOR_BUDGET),
  await measure("portfolio list", "/u/wuhou-pri-t1/portfolio", signInAs("wuhou-pri.t1")),
  await measure("portfolio item", firstLink("/u/wuhou-pri-t1/portfolio", "a[href^='/portfolio/']:not([href$='/new']):not([href*='export'])"), signInAs("wuhou-pri.t1")),
  await measure("portfolio editor", "/portfolio/new", signInAs("wuhou-pri.t1"), undefined, EDITOR_BUDGET),
  await measure("class space (student)", firstLink("/", "a[href^='/classes/']"), signInAs("wuhou-pri.s1")),
  await measure("assignments: student's to-do", "/assignments", signInAs("wuhou-pri.s1")),
  await measure("assignment page (student, ii)", firstLink("/assignments", "a[href^='/assignments/']:not([href$='/new'])"), signInAs("wuhou-pri.s1"), "ii"),
  await measure("assignment page (student)", firstLink("/assignments", "a[href^='/assignments/']:not([href$='/new'])"), signInAs("wuhou-pri.s1")),
  await measure("hand-in page (tiptap)", handIn, signInAs("wuhou-pri.s1"), undefined, EDITOR_BUDGET),
  await measure("assignments: teacher's list", "/assignments", signInAs("wuhou-pri.t1")),
  await measure("grading queue", async (page) => `${await firstLink("/assignments", "a[href^='/assignments/']:not([href$='/new'])")(page)}/grading`, signInAs("wuhou-pri.t1")),
  await measure(
    "grading view (one pupil's work)",
    async (page) => firstLink(`${await firstLink("/assignments", "a[href^='/assignments/']:not([href$='/new'])")(page)}/grading`, "a[href*='/grading/']")(page),
    signInAs("wuhou-pri.t1"),
  ),
  await measure("gradebook", async (page) => `${await firstLink("/", "a[href^='/classes/']")(page)}/gradebook`, signInAs("wuhou-pri.t1")),
  await measure("parent: children (/parent)", "/parent", signInAs("wuhou-pri.p1")),
  await measure("parent: a child's progress", firstLink("/parent", "a[href^='/parent/children/']"), signInAs("wuhou-pri.p1")),
  await measure("feed", "/feed", signInAs("wuhou-pri.s1")),
  await measure("notifications", "/notifications", signInAs("wuhou-pri.t1")),
  await measure("groups: directory", "/groups", signInAs("kangding-jun.t2")),
  await measure("group: discussion (thread list)", inFirstGroup(""), signInAs("kangding-jun.t2")),
  await measure("group: thread (zh-Hans)", firstThread, signInAs("kangding-jun.t2"), "zh-Hans"),
  await measure("group: thread (bo)", firstThread, signInAs("kangding-jun.t2")),
  await measure("group: thread (ii)", firstThread, signInAs("zhaojue-jun.t3")),
  await measure("group: library", inFirstGroup("/library"), signInAs("kangding-jun.t2")),
  await measure("group: members", inFirstGroup("/members"), signInAs("kangding-jun.t2")),
  await measure("group: task (ii)", inFirstGroup("/tasks", "a[href*='/tasks/']:not([href$='/new'])"), signInAs("zhaojue-voc.s6")),
  await measure("group: new thread (tiptap)", inFirstGroup("/threads/new"), signInAs("kangding-jun.t2"), undefined, EDITOR_BUDGET),
  await measure("school admin: rollout", "/school/rollout", signInAs("wuhou-pri.admin")),
  await measure("school admin: roster upload", "/school/roster", signInAs("wuhou-pri.admin")),
  await measure("region admin: adoption", "/region/adoption", signInAs("sichuan.edu")),
  await measure("audit log (province)", "/audit", signInAs("sichuan.edu")),
];
await browser.close();
stop();

console.log("\nBytes received on a first visit (compressed, headers included), 360 px wide:\n");
console.table(rows);
console.log(
  "As a phone without Tibetan or Yi fonts. uiFonts: the interface subsets a bo or ii page fetches, counted in the budget. contentFonts: the full fonts (160 KB Tibetan, 104 KB Yi) that user content in those scripts pulls in, fetched once and cached, not counted. counted = total - contentFonts.",
);
console.log("\nFirst visits in Tibetan and Yi (DESIGN.md §2.3):\n");
console.table(rows.filter((r) => /\((bo|ii)\b/.test(r.page)));
const over = rows.filter((r) => r.verdict === "OVER BUDGET");
process.exit(over.length ? 1 : 0);
