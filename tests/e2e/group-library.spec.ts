import { expect, test, type Page } from "@playwright/test";
import { atPhoneWidth, expectAccessible, expectFitsWidth, pdf, signIn } from "./support";

// wuhou-jun.t3 (成都) makes a platform-wide research group and fills its library; kangding-jun.t1
// (甘孜, Tibetan by default) joins, finds who added what, and copies a file into a new lesson of theirs.
// No other spec changes these two.
const OWNER = "wuhou-jun.t3";
const MEMBER = "kangding-jun.t1";

async function switchLanguage(page: Page, lng: string) {
  const origin = new URL(page.url()).origin;
  await page.request.post("/lang", { form: { lng, next: "/" }, headers: { Origin: origin } });
}

/** Every byte a first visit costs (compressed as sent, empty cache), fonts aside; and no React on the page. */
async function firstVisitBytes(signedIn: Page, path: string): Promise<number> {
  const page = await signedIn.context().newPage();
  await (await page.context().newCDPSession(page)).send("Network.clearBrowserCache");
  const sizes: number[] = [];
  const scripts: string[] = [];
  page.on("requestfinished", async (request) => {
    if (request.resourceType() === "script") scripts.push(request.url());
    if (request.resourceType() === "font") return;
    const s = await request.sizes();
    sizes.push(s.responseBodySize + s.responseHeadersSize);
  });
  await page.goto(path, { waitUntil: "networkidle" });
  await page.waitForTimeout(200);
  await page.close();
  expect(scripts.filter((url) => !url.endsWith("/upload-progress.js"))).toEqual([]);
  return sizes.reduce((a, b) => a + b, 0);
}

test("a group's library: folders, links and files with who added them; a member copies a file into a new lesson", async ({ browser }, testInfo) => {
  test.setTimeout(180_000);
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, OWNER);
  await expect(owner).toHaveURL("/");

  // The group, made through its form.
  const groupName = `初中数学教研资料 ${Date.now()}`;
  await owner.goto("/groups/new");
  await owner.locator("#f-name").fill(groupName);
  await owner.locator("#f-subject").fill("数学");
  await owner.locator("#f-kind").selectOption("research");
  await owner.locator("#f-reach").selectOption("platform");
  await owner.locator("#f-joinPolicy").selectOption("open");
  await owner.locator("form.group-form button.primary").click();
  await expect(owner).toHaveURL(/\/groups\/[A-Za-z0-9_-]+$/);
  const groupUrl = new URL(owner.url()).pathname;

  await owner.goto(`${groupUrl}/library`);
  await expect(owner.getByRole("heading", { name: "共享资料", level: 2 })).toBeVisible();
  await expect(owner.getByText("这里还没有资料。")).toBeVisible();

  // A folder; then, at the top again, the same name is refused beside the field, what was typed kept.
  await owner.locator("summary", { hasText: "新建文件夹" }).click();
  await owner.locator("#f-newFolder-name").fill("第一单元");
  await owner.locator('button[value="newFolder"]').click();
  await expect(owner).toHaveURL(/\/library\?folder=/);
  const folderUrl = new URL(owner.url()).pathname + new URL(owner.url()).search;
  await expect(owner.locator(".library-crumbs [aria-current]")).toHaveText("第一单元");

  // A javascript: link is refused, the typed values kept; an https link is added into the folder.
  await owner.locator("summary", { hasText: "添加链接" }).click();
  await owner.locator("#f-link-title").fill("国家中小学智慧教育平台");
  await owner.locator("#f-link-url").fill("javascript:alert(1)");
  await owner.locator('button[value="link"]').click();
  await expect(owner.getByText("网址要以 http:// 或 https:// 开头。")).toBeVisible();
  await expect(owner.locator("#f-link-title")).toHaveValue("国家中小学智慧教育平台");
  await owner.locator("#f-link-url").fill("https://basic.smartedu.cn/");
  await owner.locator('button[value="link"]').click();
  await expect(owner.getByRole("link", { name: "国家中小学智慧教育平台" })).toHaveAttribute("href", "https://basic.smartedu.cn/");

  // A file of a refused type says why beside the file input; then a file into the folder.
  await owner.locator("summary", { hasText: "上传文件" }).click();
  await owner.locator("#f-upload-files").setInputFiles({ name: "页面.html", mimeType: "text/html", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await owner.locator('button[value="upload"]').click();
  await expect(owner.locator("#f-upload-files-error")).toHaveText("不支持这种文件。可以上传图片、PDF、Office 文档、音频、视频和纯文本。");
  await owner.locator("#f-upload-files").setInputFiles({ name: "勾股定理教案.pdf", mimeType: "application/pdf", buffer: pdf("pythagoras") });
  await owner.locator('button[value="upload"]').click();
  await expect(owner.getByRole("link", { name: "勾股定理教案.pdf" })).toBeVisible();
  await expect(owner.locator(".library-entries > li", { hasText: "勾股定理教案.pdf" })).toContainText("武侯区第一初级中学");
  await expectAccessible(owner);
  await atPhoneWidth(owner);

  await owner.goto(`${groupUrl}/library`);
  await expect(owner.locator(".library-folders li", { hasText: "第一单元" })).toContainText("2");
  await owner.locator("summary", { hasText: "新建文件夹" }).click();
  await owner.locator("#f-newFolder-name").fill("第一单元");
  await owner.locator('button[value="newFolder"]').click();
  await expect(owner.getByText("小组里已经有名为“第一单元”的文件夹，请换一个名称。")).toBeVisible();
  await expect(owner.locator("#f-newFolder-name")).toHaveValue("第一单元");
  await expectAccessible(owner);

  // The member, before joining, is kept out; after joining, sees who added the file and copies it.
  const member = await (await browser.newContext()).newPage();
  await signIn(member, MEMBER);
  await expect(member).toHaveURL("/");
  await member.goto(folderUrl);
  await expect(member.locator(".library-entries")).toHaveCount(0);
  await member.goto(groupUrl);
  await member.locator('button[value="join"]').click();
  await member.goto(folderUrl);
  const entry = member.locator(".library-entries > li", { hasText: "勾股定理教案.pdf" });
  await expect(entry).toContainText("武侯区第一初级中学");
  await expectAccessible(member);
  expect(await firstVisitBytes(member, folderUrl)).toBeLessThan(60 * 1024);
  await entry.locator('a[href*="/copy-to-lesson?file="]').click();
  await expect(member).toHaveURL(/\/copy-to-lesson\?file=/);
  await expect(member.getByText("勾股定理教案.pdf")).toBeVisible();
  await expect(member.locator('input[name="lessonId"][value="new"]')).toBeChecked();
  await expectAccessible(member);
  await atPhoneWidth(member);
  await member.locator(".copy-to-lesson button.primary").click();
  await expect(member).toHaveURL(/\/lessons\/[A-Za-z0-9_-]+\/edit$/);
  await expect(member.locator("#f-title")).toHaveValue("勾股定理教案");
  await expect(member.getByRole("link", { name: "勾股定理教案.pdf" })).toBeVisible();

  // The owner removes the link; the member no longer sees it.
  await owner.goto(folderUrl);
  await owner.locator(".library-entries > li", { hasText: "国家中小学智慧教育平台" }).locator('button[value="remove"]').click();
  // Removing asks first (issue 16 item 6): the question names the entry; only its button removes it.
  await expect(owner).toHaveURL(/confirm=remove/);
  await expect(owner.getByRole("heading", { name: "要从小组资料库移除这一项吗？" })).toBeVisible();
  await expect(owner.locator(".confirm-delete")).toContainText("国家中小学智慧教育平台");
  await owner.getByRole("button", { name: "确认移除" }).click();
  await expect(owner).toHaveURL(folderUrl);
  await expect(owner.getByRole("link", { name: "国家中小学智慧教育平台" })).toHaveCount(0);
  await member.goto(folderUrl);
  await expect(member.getByRole("link", { name: "国家中小学智慧教育平台" })).toHaveCount(0);

  // How it looks: the library's top and the folder, phone and desktop, in Chinese, Tibetan and Yi.
  for (const lng of ["zh-Hans", "bo", "ii"]) {
    await switchLanguage(member, lng);
    for (const [name, path] of [
      ["top", `${groupUrl}/library`],
      ["folder", folderUrl],
    ] as const) {
      await member.goto(path);
      await expect(member.locator("html")).toHaveAttribute("lang", lng);
      for (const width of [360, 1280]) {
        await member.setViewportSize({ width, height: 900 });
        await expectFitsWidth(member);
        await member.screenshot({ path: testInfo.outputPath(`library-${name}-${lng}-${width}.png`), fullPage: true });
      }
    }
  }
  await switchLanguage(member, "bo");
});
