// Screenshots of every page as people see them: 360 px (phone) and 1280 px, in Chinese, Tibetan and
// Yi. Written to test-results/screens/ for a person to open and read. Usage: npm run build && npm run screenshots
import { mkdirSync } from "node:fs";
import { launchChromium, signInAs, startDemoServer } from "./demo-server";

const out = "test-results/screens";
mkdirSync(out, { recursive: true });
const { base, stop } = await startDemoServer(3201);
const browser = await launchChromium();

/** `follow`: open the first link matching it on `path` (plus `suffix`), for pages whose ids are random. */
const pages: { name: string; path: string; as?: string; follow?: string; suffix?: string }[] = [
  { name: "login", path: "/login" },
  { name: "activate", path: "/activate" },
  { name: "home-teacher", path: "/", as: "wuhou-pri.t1" },
  { name: "home-student", path: "/", as: "wuhou-pri.s1" },
  { name: "home-parent", path: "/", as: "wuhou-pri.p1" },
  { name: "home-school-admin", path: "/", as: "wuhou-pri.admin" },
  { name: "home-region-admin", path: "/", as: "sichuan.edu" },
  { name: "home-platform", path: "/", as: "platform" },
  { name: "account", path: "/account", as: "wuhou-pri.t2" },
  { name: "not-found", path: "/no/such/page" },
  { name: "space-teacher", path: "/u/wuhou-pri-t2", as: "wuhou-pri.t2" },
  { name: "roster", path: "/school/roster", as: "wuhou-pri.admin" },
  { name: "classes", path: "/school/classes", as: "wuhou-pri.admin" },
  { name: "rollout", path: "/school/rollout", as: "wuhou-pri.admin" },
  { name: "audit", path: "/audit", as: "sichuan.edu" },
  { name: "region-schools", path: "/region/schools", as: "liangshan.edu" },
  { name: "region-adoption", path: "/region/adoption", as: "sichuan.edu" },
  { name: "platform-flags", path: "/platform/flags", as: "platform" },
  { name: "flag-preview", path: "/platform/flags/preview?login=wuhou-pri.t1", as: "platform" },
  { name: "region-flags", path: "/region/flags", as: "sichuan.edu" },
  { name: "school-flags", path: "/school/flags", as: "wuhou-pri.admin" },
  { name: "sp-space-read-by-student", path: "/u/wuhou-pri-t1", as: "wuhou-pri.s1" },
  { name: "sp-profile-edit", path: "/u/wuhou-pri-t1/edit", as: "wuhou-pri.t1" },
  { name: "sp-blog", path: "/u/wuhou-pri-t1/blog", as: "wuhou-pri.s1" },
  { name: "sp-post", path: "/posts/demopost0000001", as: "wuhou-pri.s1" },
  { name: "sp-post-editor", path: "/posts/new", as: "wuhou-pri.t1" },
  { name: "sp-approvals", path: "/approvals", as: "wuhou-pri.t1" },
  { name: "sp-portfolio", path: "/u/wuhou-pri-t1/portfolio", as: "wuhou-pri.t1" },
  { name: "sp-portfolio-new", path: "/portfolio/new", as: "wuhou-pri.t1" },
  { name: "sp-feed", path: "/feed", as: "wuhou-pri.s1" },
  { name: "sp-notifications", path: "/notifications", as: "wuhou-pri.t1" },
  { name: "as-todo-student", path: "/assignments", as: "wuhou-pri.s1" },
  { name: "as-list-teacher", path: "/assignments", as: "wuhou-pri.t1" },
  { name: "as-new", path: "/assignments/new", as: "wuhou-pri.t1" },
  { name: "as-notifications-student", path: "/notifications", as: "wuhou-pri.s1" },
  { name: "as-assignment-student", path: "/assignments", follow: "a[href^='/assignments/']:not([href$='/new'])", as: "wuhou-pri.s1" },
  { name: "as-hand-in", path: "/assignments", follow: "a[href^='/assignments/']:not([href$='/new'])", suffix: "/submit", as: "wuhou-pri.s1" },
  { name: "as-grading-queue", path: "/assignments", follow: "a[href^='/assignments/']:not([href$='/new'])", suffix: "/grading", as: "wuhou-pri.t1" },
  { name: "as-class", path: "/", follow: "a[href^='/classes/']", as: "wuhou-pri.t1" },
  { name: "as-gradebook", path: "/", follow: "a[href^='/classes/']", suffix: "/gradebook", as: "wuhou-pri.t1" },
  { name: "lib-search", path: "/library", as: "kangding-jun.t1" },
  { name: "lib-resource", path: "/library", follow: ".resource-list a[href^='/library/']", as: "kangding-jun.t1" },
  { name: "lib-offer", path: "/library/new", as: "kangding-jun.t1" },
  { name: "lib-mine", path: "/library/mine", as: "wuhou-pri.t1" },
  { name: "lib-queue", path: "/library/review", as: "kangding-jun.t2" },
  { name: "lib-review", path: "/library/review", follow: ".resource-list a[href^='/library/']", as: "kangding-jun.t2" },
  { name: "lib-reviewers", path: "/region/reviewers", as: "sichuan.edu" },
  { name: "lib-coverage", path: "/region/library", as: "sichuan.edu" },
];
const only = process.argv[2];
for (const lng of ["zh-Hans", "bo", "ii"]) {
  for (const width of [360, 1280]) {
    for (const p of pages.filter((x) => !only || x.name.includes(only))) {
      const context = await browser.newContext({ viewport: { width, height: 800 }, locale: "zh-CN" });
      const page = await context.newPage();
      if (p.as) await signInAs(page, base, p.as);
      await context.addCookies([{ name: "lng", value: lng, url: base }]);
      // A saved preference outranks the cookie: choose the language through the switcher like a person.
      await page.goto(base + p.path);
      if (p.as) {
        await page.locator(`.lang-switcher button[value="${lng}"]`).click();
        await page.waitForLoadState();
      }
      if (p.follow) {
        const href = await page.locator(p.follow).first().getAttribute("href");
        await page.goto(new URL(href ?? "/", base).toString() + (p.suffix ?? ""));
      }
      await page.screenshot({ path: `${out}/${p.name}-${lng}-${width}.png`, fullPage: true });
      await context.close();
    }
  }
}
await browser.close();
stop();
console.log(`screenshots in ${out}/`);
