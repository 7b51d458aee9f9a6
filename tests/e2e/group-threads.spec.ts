import { expect, test, type Page } from "@playwright/test";
import { atPhoneWidth, expectAccessible, pdf, signIn, writeBody } from "./support";

// wuhou-jun.t2 (成都, Chinese) makes a platform-wide research group and starts a thread with a lesson
// plan; zhaojue-jun.t2 (昭觉, Yi by default) joins and replies. No other spec changes these two.
const OWNER = "wuhou-jun.t2";
const GUEST = "zhaojue-jun.t2";

async function switchLanguage(page: Page, lng: string) {
  const origin = new URL(page.url()).origin;
  await page.request.post("/lang", { form: { lng, next: "/" }, headers: { Origin: origin } });
}

test("a group's discussion: a thread with a file, a reply from another school, lock, hide, report", async ({ page, browser }, testInfo) => {
  test.setTimeout(180_000);
  const stamp = Date.now();
  await signIn(page, OWNER);
  await expect(page).toHaveURL("/");

  // The group, made through its own form.
  await page.goto("/groups/new");
  await page.locator("#f-name").fill(`跨校语文教研 ${stamp}`);
  await page.locator("#f-subject").fill("语文");
  await page.locator("#f-kind").selectOption("research");
  await page.locator("#f-reach").selectOption("platform");
  await page.locator("#f-joinPolicy").selectOption("open");
  await page.locator("form.group-form button.primary").click();
  await expect(page).toHaveURL(/\/groups\/[a-z0-9]+$/);
  const groupUrl = new URL(page.url()).pathname;

  // The discussion tab: empty, with the way to start a thread.
  await expect(page.getByRole("heading", { name: "讨论", level: 2 })).toBeVisible();
  await expect(page.getByText("还没有讨论。发起第一个吧。")).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);
  await page.getByRole("link", { name: "发起讨论" }).click();
  await expect(page).toHaveURL(`${groupUrl}/threads/new`);
  await expect(page.getByRole("heading", { name: "发起讨论", level: 2 })).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);

  // A 500-character title is refused beside the field; what was typed stays.
  await page.locator("#f-title").evaluate((input: HTMLInputElement) => input.removeAttribute("maxlength"));
  await page.locator("#f-title").fill("长".repeat(500));
  await writeBody(page, "请大家看看这份教案。");
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page.getByText("标题最多 120 个字。")).toBeVisible();
  await expect(page.locator("#f-title")).toHaveValue("长".repeat(500));

  const title = `《春》的朗读教学 ${stamp}`;
  await page.locator("#f-title").fill(title);
  await page.waitForLoadState("networkidle");
  if (!(await page.getByText("请大家看看这份教案。").count())) await writeBody(page, "请大家看看这份教案。");
  await page.locator("#f-files").setInputFiles({ name: "春-教案.pdf", mimeType: "application/pdf", buffer: pdf("spring lesson plan") });
  await page.getByRole("button", { name: "发布", exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${groupUrl}/threads/(?!new$)[a-z0-9]+$`));
  const threadUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { name: title, level: 2 })).toBeVisible();
  await expect(page.getByRole("link", { name: "春-教案.pdf", exact: true })).toBeVisible();
  // A read page: no React, and small.
  await expect(page.locator('script[type="module"]')).toHaveCount(0);
  const html = await (await page.request.get(threadUrl)).body();
  expect(html.byteLength).toBeLessThan(60_000);
  await expectAccessible(page);
  await atPhoneWidth(page);

  // The thread list shows it, with its author and reply count.
  await page.goto(groupUrl);
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await expect(page.getByText(/发起 · 回复 0 · 最后回复/)).toBeVisible();

  // A teacher in 昭觉 (Yi interface) joins and replies; an empty reply is refused first.
  const guestContext = await browser.newContext({ locale: "zh-CN" });
  const guest = await guestContext.newPage();
  await signIn(guest, GUEST);
  await expect(guest).toHaveURL("/");
  await guest.goto(groupUrl);
  await guest.locator('button[name="intent"][value="join"]').click();
  await expect(guest.getByRole("link", { name: title })).toBeVisible();
  await guest.getByRole("link", { name: title }).click();
  await expect(guest.getByRole("link", { name: "春-教案.pdf", exact: true })).toBeVisible();
  const download = await guest.request.get((await guest.getByRole("link", { name: "春-教案.pdf", exact: true }).getAttribute("href"))!);
  expect(download.status()).toBe(200);
  // On a thin link the drafts script arrives late: what the guest types into the refused form before it
  // runs is kept, and the empty reply that was just refused is not offered back as a "draft".
  await guest.route("**/form-drafts.js", async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await route.continue();
  });
  const send = guest.locator(".reply-form button[type=submit]");
  await send.click();
  await expect(guest.locator("#f-body-error")).toBeVisible();
  await guest.locator("#f-body").fill("朗读前先听录音。ꆈꌠꉙ");
  await guest.waitForFunction(() => (window as unknown as { formDraftsStarted?: boolean }).formDraftsStarted === true);
  await guest.waitForTimeout(300);
  await expect(guest.locator(".draft-offer")).toHaveCount(0);
  await expect(guest.locator("#f-body")).toHaveValue("朗读前先听录音。ꆈꌠꉙ");
  await guest.unroute("**/form-drafts.js");
  await send.click();
  await expect(guest.getByText("朗读前先听录音。ꆈꌠꉙ")).toBeVisible();
  await expectAccessible(guest);
  await atPhoneWidth(guest);

  // The owner is told of the reply and sees it.
  // The notice names the thread; opening it marks it read and goes to the thread.
  await page.goto("/notifications");
  await page.locator(".notification-list a", { hasText: title }).first().click();
  await expect(page).toHaveURL(threadUrl);
  const replyItem = page.locator(".post-list > li", { hasText: "朗读前先听录音。" });
  await expect(replyItem).toBeVisible();

  // The guest reports the opening post; the owner sees the report and resolves it.
  await guest.goto(threadUrl);
  const opening = guest.locator(".post-list > li").first();
  await opening.locator("summary").click();
  await opening.locator("textarea[name=reason]").fill("附件打不开？");
  await opening.locator('button[value="report"]').click();
  await expect(guest.locator(".post-list > li").first().locator(".meta").last()).toBeVisible();
  await page.goto(threadUrl);
  await expect(page.locator(".thread-reports")).toContainText("附件打不开？");
  await page.locator('.thread-reports button[value="resolve"]').click();
  await expect(page.locator(".thread-reports")).toHaveCount(0);

  // The owner hides the reply: the guest, its author, still reads it, marked hidden.
  await page.locator(".post-list > li", { hasText: "朗读前先听录音。" }).locator('button[value="hide"]').click();
  await expect(page.locator(".post-list > li.is-hidden")).toContainText("朗读前先听录音。");
  await guest.goto(threadUrl);
  await expect(guest.locator(".post-list > li.is-hidden")).toContainText("朗读前先听录音。");

  // A reply typed while the thread is locked comes back with the reason, its text kept.
  await guest.locator("#f-body").fill("再补充一句。");
  await page.locator('button[value="lock"]').click();
  await expect(page.locator('button[value="unlock"]')).toBeVisible();
  await guest.locator(".reply-form button.primary").click();
  await expect(guest.locator(".reply-form .alert")).toHaveText(/ꐯꄮꑠꐚꀐ/);
  await expect(guest.locator("#f-body")).toHaveValue("再补充一句。");
  await guest.goto(threadUrl);
  await expect(guest.locator("#f-body")).toHaveCount(0);

  // How it looks: phone and desktop, in Chinese, Tibetan and Yi.
  await page.goto(threadUrl);
  for (const lng of ["zh-Hans", "bo", "ii"]) {
    await switchLanguage(page, lng);
    for (const width of [360, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(threadUrl);
      await page.screenshot({ path: testInfo.outputPath(`thread-${lng}-${width}.png`), fullPage: true });
    }
  }
  await page.goto(groupUrl);
  await page.screenshot({ path: testInfo.outputPath(`list-ii-1280.png`), fullPage: true });
  await switchLanguage(page, "zh-Hans");
  await guestContext.close();
});
