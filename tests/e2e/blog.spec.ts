import { expect, test, type Browser, type Page } from "@playwright/test";
import sharp from "sharp";
import { expectAccessible, expectFitsWidth, signIn } from "./support";

async function signedIn(browser: Browser, loginName: string, options: { javaScriptEnabled?: boolean; bypassCSP?: boolean } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", ...options });
  const page = await context.newPage();
  await signIn(page, loginName);
  await expect(page).not.toHaveURL(/\/login/);
  return page;
}

/** The editor is loaded after hydration; wait until it is the one on the page. */
async function editor(page: Page) {
  const area = page.locator('#f-body[contenteditable="true"]');
  await expect(area).toBeVisible({ timeout: 15_000 });
  return area;
}

test("a teacher posts with a picture; a student's comment waits for the teacher's approval", async ({ browser }) => {
  const teacher = await signedIn(browser, "wuhou-pri.t1");
  await teacher.goto("/posts/new");
  await teacher.locator("#f-title").fill("春天的观察日记");
  const area = await editor(teacher);
  await area.click();
  await teacher.keyboard.type("今天我们去公园看桃花。");
  await teacher.getByRole("button", { name: "粗体" }).click();
  await teacher.keyboard.type("花开得真好");

  const png = await sharp({ create: { width: 40, height: 30, channels: 3, background: "#e88ca6" } })
    .png()
    .toBuffer();
  const upload = teacher.waitForResponse((r) => r.url().endsWith("/files") && r.request().method() === "POST");
  await teacher.locator('.rich-field input[type="file"]').setInputFiles({ name: "桃花.png", mimeType: "image/png", buffer: png });
  expect((await upload).status()).toBe(200);
  await expect(area.locator('img[src^="/files/"]')).toBeVisible();

  await teacher.locator('input[name="visibility"][value="classes"]').check();
  await teacher.locator("#f-tags").fill("观察, 春天");
  await teacher.getByRole("button", { name: "发布", exact: true }).click();
  await expect(teacher).toHaveURL(/\/posts\/[a-z0-9]+\?done=published$/);
  await expect(teacher.getByRole("status")).toHaveText("已发布。");
  await expect(teacher.getByRole("heading", { level: 1 })).toHaveText("春天的观察日记");
  await expect(teacher.locator(".post-body strong")).toHaveText("花开得真好");
  const image = teacher.locator('.post-body img[src^="/files/"]');
  await expect(image).toBeVisible();
  // Visible is not loaded: wait until the picture has arrived and decoded.
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(40);
  const postUrl = new URL(teacher.url()).pathname;
  // The post page ships no JavaScript.
  expect(await teacher.locator("script[src]").count()).toBe(0);

  // 三年级（1）班's first student (her guardian has consented, so her space is open).
  const student = await signedIn(browser, "wuhou-pri.s1");
  await student.goto(postUrl);
  await expect(student.getByRole("heading", { level: 1 })).toHaveText("春天的观察日记");
  await student.getByLabel("写评论").fill("老师，我也看到了桃花！");
  await student.getByRole("button", { name: "发表评论" }).click();
  await expect(student.getByRole("status")).toHaveText("评论已提交，等待老师审核。");
  const mine = student.locator(".comment", { hasText: "老师，我也看到了桃花！" });
  await expect(mine).toContainText("等待老师审核");

  // A student of the teacher's other class sees the post, not the waiting comment.
  const other = await signedIn(browser, "wuhou-pri.s5");
  await other.goto(postUrl);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("春天的观察日记");
  await expect(other.getByText("老师，我也看到了桃花！")).toHaveCount(0);

  await teacher.goto("/approvals");
  const waiting = teacher.locator(".approval-list li", { hasText: "老师，我也看到了桃花！" });
  await expect(waiting).toContainText("春天的观察日记");
  await expectAccessible(teacher);
  await waiting.getByRole("button", { name: "通过", exact: true }).click();
  await expect(teacher.getByRole("status")).toHaveText("已处理。");
  await expect(teacher.getByText("老师，我也看到了桃花！")).toHaveCount(0);

  await other.reload();
  await expect(other.locator(".comment", { hasText: "老师，我也看到了桃花！" })).toBeVisible();
  await student.reload();
  await expect(student.locator(".comment", { hasText: "老师，我也看到了桃花！" })).not.toContainText("等待老师审核");
  await expectAccessible(student);
  await student.setViewportSize({ width: 360, height: 740 });
  await expectFitsWidth(student);

  // The teacher's blog lists it, by tag too.
  await teacher.goto(postUrl);
  await teacher.locator(".post-tags a", { hasText: "#观察" }).click();
  await expect(teacher.locator(".post-list h2")).toHaveText(["春天的观察日记"]);
});

test("pasted XSS payloads do not run, in the editor or on the post page", async ({ browser }) => {
  // Without the Content-Security-Policy's help: the sanitizer alone must make every payload inert.
  const teacher = await signedIn(browser, "wuhou-pri.t2", { bypassCSP: true });
  const dialogs: string[] = [];
  teacher.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await teacher.goto("/posts/new");
  await teacher.locator("#f-title").fill("<script>window.__xss = 'title'</script>");
  const area = await editor(teacher);
  await area.click();
  const pasted = [
    `<p>安全的文字</p>`,
    `<img src=x onerror="window.__xss='img';alert(1)">`,
    `<a href="javascript:window.__xss='link';alert(2)">点我</a>`,
    `<a href=" jav&#x09;ascript:window.__xss='link2'">点我二</a>`,
    `<svg onload="window.__xss='svg';alert(3)"></svg>`,
    `<iframe srcdoc="<script>parent.__xss='iframe';parent.alert(4)</script>"></iframe>`,
    `<p onmouseover="window.__xss='hover'" style="position:fixed;inset:0">覆盖</p>`,
    `<script>window.__xss='script';alert(5)</script>`,
    `<details open ontoggle="window.__xss='details';alert(6)">x</details>`,
    `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">`,
  ].join("");
  await area.evaluate((el, html) => {
    const data = new DataTransfer();
    data.setData("text/html", html);
    data.setData("text/plain", "plain");
    el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  }, pasted);
  await teacher.keyboard.type(`<img src=y onerror="window.__xss='typed'">`);
  await expect(area).toContainText("安全的文字");
  await teacher.getByRole("button", { name: "发布", exact: true }).click();
  await expect(teacher).toHaveURL(/\/posts\/[a-z0-9]+\?done=published$/);
  const body = teacher.locator(".post-body");
  await expect(body).toContainText("安全的文字");
  await expect(body).toContainText(`<img src=y onerror="window.__xss='typed'">`);
  await expect(teacher.getByRole("heading", { level: 1 })).toHaveText("<script>window.__xss = 'title'</script>");
  // Hover and click everything a payload could have hooked.
  for (const link of await body.locator("a").all()) {
    expect(await link.getAttribute("href")).toMatch(/^(https?:|mailto:)/);
  }
  await body.hover();
  await teacher.mouse.move(10, 10);
  expect(await body.locator("img, svg, iframe, script, details, [onmouseover], [style]").count()).toBe(0);
  await teacher.waitForTimeout(300);
  expect(await teacher.evaluate(() => (window as unknown as { __xss?: string }).__xss ?? null)).toBeNull();
  expect(dialogs).toEqual([]);
});

test("without JavaScript the textarea still publishes, and an edit from an old tab is refused with the text kept", async ({ browser }) => {
  const teacher = await signedIn(browser, "wuhou-pri.t3", { javaScriptEnabled: false });
  await teacher.goto("/posts/new");
  await teacher.locator("#f-title").fill("没有脚本也能写");
  await teacher.locator("textarea#f-body").fill("第一段。\n\n第二段，<b>不是粗体</b>。");
  await teacher.getByRole("button", { name: "发布", exact: true }).click();
  await expect(teacher).toHaveURL(/\/posts\/[a-z0-9]+\?done=published$/);
  await expect(teacher.locator(".post-body p")).toHaveText(["第一段。", "第二段，<b>不是粗体</b>。"]);
  const postUrl = new URL(teacher.url()).pathname;

  // Two tabs open the editor; the first saves; the second is refused, its text still in the form.
  const second = await teacher.context().newPage();
  await second.goto(`${postUrl}/edit`);
  await teacher.goto(`${postUrl}/edit`);
  await teacher.locator("textarea#f-body").fill("第一个窗口的修改");
  await teacher.getByRole("button", { name: "发布", exact: true }).click();
  await expect(teacher.locator(".post-body")).toHaveText("第一个窗口的修改");
  await second.locator("textarea#f-body").fill("第二个窗口的修改");
  await second.getByRole("button", { name: "发布", exact: true }).click();
  await expect(second.getByRole("alert")).toContainText("在别处");
  await expect(second.locator("textarea#f-body")).toHaveValue("第二个窗口的修改");

  // Bad input: an empty title and too many tags, each explained beside its field.
  await teacher.goto("/posts/new");
  await teacher.locator("textarea#f-body").fill("正文");
  await teacher.locator("#f-tags").fill("a b c d e f g h i j k");
  await teacher.getByRole("button", { name: "发布", exact: true }).click();
  await expect(teacher.locator("#f-title-error")).toHaveText("请填写标题。");
  await expect(teacher.locator("#f-tags-error")).toHaveText("最多 10 个标签。");
  await expect(teacher.locator("textarea#f-body")).toHaveValue("正文");
});
