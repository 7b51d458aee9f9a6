import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { expectFitsWidth, signIn, writeBody } from "./support";

// Issue 16, "Also": a new assignment made from a lesson takes its title and class; the textarea's
// "空一行开始新的段落" is not shown beside the rich editor (only without JavaScript); the draft and the
// primary button stand in one row, the same height; a pasted picture never gets its file name as alt.
// kangding-pri.t2 (康定市第二小学, Tibetan by default; no other spec signs in as them) makes a lesson,
// publishes it and sets an assignment from it; their pages are switched to Chinese by the lng cookie.
const TEACHER = "kangding-pri.t2";
const PHONE = { width: 360, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
// A 1×1 PNG.
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");

async function teacherPage(browser: Browser, options: { javaScriptEnabled?: boolean; lng?: string } = {}): Promise<Page> {
  const context = await browser.newContext({ locale: "zh-CN", viewport: PHONE, javaScriptEnabled: options.javaScriptEnabled ?? true });
  const page = await context.newPage();
  await signIn(page, TEACHER);
  await expect(page).toHaveURL("/");
  await context.addCookies([{ name: "lng", value: options.lng ?? "zh-Hans", url: page.url() }]);
  return page;
}

/** The draft and the primary button: one row, the same top and height, at 360 and 1280 px; screenshots of both. */
async function expectButtonsInRow(page: Page, draft: Locator, primary: Locator, name: string) {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    await expectFitsWidth(page);
    await primary.scrollIntoViewIfNeeded();
    const [a, b] = [await draft.boundingBox(), await primary.boundingBox()];
    expect(a && b, `${name} buttons shown`).toBeTruthy();
    expect(Math.abs(a!.y - b!.y), `${name} at ${size.width} px: same top`).toBeLessThanOrEqual(1);
    expect(Math.abs(a!.height - b!.height), `${name} at ${size.width} px: same height`).toBeLessThanOrEqual(1);
    expect(a!.height).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: test.info().outputPath(`${name}-${size.width}.png`), clip: { x: 0, y: Math.max(0, Math.min(a!.y, b!.y) - 120 + (await page.evaluate(() => window.scrollY))), width: size.width, height: 200 }, fullPage: true });
  }
  await page.setViewportSize(PHONE);
}

test("a new assignment from a lesson takes the lesson's title, class and link; its buttons stand in one row", async ({ browser }) => {
  const page = await teacherPage(browser);
  const lessonTitle = `藏文字母 ${Date.now()}`;
  await page.goto("/lessons/new");
  await page.locator("#f-title").fill(lessonTitle);
  await writeBody(page, "三十个辅音字母。");
  await page.locator("form.lesson-form button.primary").click();
  await expect(page.getByRole("heading", { name: lessonTitle, level: 1 })).toBeVisible();
  const lessonId = new URL(page.url()).pathname.split("/").pop()!;
  // Published to the first of the teacher's classes.
  const firstClass = page.locator('input[name="classIds"]').first();
  const classId = await firstClass.getAttribute("value");
  await firstClass.check();
  await page.locator('button[name="intent"][value="publish"]').click();
  await expect(page.locator(`.publications a[href="/classes/${classId}"]`)).toBeVisible();

  await page.locator(`a[href="/assignments/new?lesson=${lessonId}"]`).click();
  await expect(page).toHaveURL(`/assignments/new?lesson=${lessonId}`);
  await expect(page.locator("#f-title")).toHaveValue(lessonTitle);
  await expect(page.locator(`input[name="class.${classId}"]`)).toBeChecked();
  await expect(page.locator('input[name^="class."]:checked')).toHaveCount(1);
  await expect(page.locator("#f-lessonId")).toHaveValue(lessonId);

  await expectButtonsInRow(page, page.locator('button[name="intent"][value="draft"]'), page.locator('button[name="intent"][value="publish"]'), "assignment-buttons");
  await page.goto("/posts/new");
  await expectButtonsInRow(page, page.locator('button[name="intent"][value="draft"]'), page.locator('button[name="intent"][value="publish"]'), "post-buttons");
});

test("the blank-line hint is said beside the textarea without JavaScript, not beside the editor, in each language", async ({ browser }) => {
  const hints = { "zh-Hans": "空一行开始新的段落。", bo: "སྟོང་ཐིག་གཅིག་བཞག་ན་དུམ་མཚམས་གསར་པ་འགོ་འཛུགས།", ii: "ꇁꏭꋍꇁꀕꀋꇁꊿꑟ", en: "Leave an empty line to start a new paragraph." };
  for (const [lng, hint] of Object.entries(hints)) {
    const plain = await teacherPage(browser, { javaScriptEnabled: false, lng });
    await plain.goto("/posts/new");
    await expect(plain.locator("textarea#f-body")).toBeVisible();
    await expect(plain.locator("#f-body-hint")).toContainText(hint);
    await plain.context().close();

    const rich = await teacherPage(browser, { lng });
    await rich.goto("/posts/new");
    await expect(rich.locator(".rich-editor-area")).toBeVisible();
    await expect(rich.locator("textarea#f-body")).toHaveCount(0);
    await expect(rich.getByText(hint)).toHaveCount(0);
    await rich.context().close();
  }
});

test("a pasted picture gets the description typed for it, or none — never its file name", async ({ browser }) => {
  const page = await teacherPage(browser);
  await page.goto("/posts/new");
  const editor = page.locator(".rich-editor-area");
  await expect(editor).toBeVisible();
  await editor.click();

  const paste = (name: string) =>
    editor.evaluate(
      (el, { name, bytes }) => {
        const data = new DataTransfer();
        data.items.add(new File([new Uint8Array(bytes)], name, { type: "image/png" }));
        el.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
      },
      { name, bytes: [...PNG] },
    );

  // Described when asked.
  page.once("dialog", (dialog) => dialog.accept("一朵格桑花"));
  await paste("IMG_2024.png");
  await expect(editor.locator("img")).toHaveCount(1);
  await expect(editor.locator("img").first()).toHaveAttribute("alt", "一朵格桑花");
  // Not described: empty, not "image.png".
  page.once("dialog", (dialog) => dialog.dismiss());
  await paste("image.png");
  await expect(editor.locator("img")).toHaveCount(2);
  await expect(editor.locator("img").nth(1)).toHaveAttribute("alt", "");
  // Described later: select the picture, "图片说明".
  await editor.locator("img").nth(1).click();
  page.once("dialog", (dialog) => dialog.accept("教室的窗户"));
  await page.getByRole("button", { name: "图片说明" }).click();
  await expect(editor.locator("img").nth(1)).toHaveAttribute("alt", "教室的窗户");

  // Saved: the post page carries the descriptions, and no file name as alt.
  await page.locator("#f-title").fill(`图片说明 ${Date.now()}`);
  await page.locator('button[name="intent"][value="draft"]').click();
  await expect(page).toHaveURL(/\/posts\/(?!new)[^/]+$/);
  const alts = await page.locator(".rich-text img, .post-body img").evaluateAll((imgs) => imgs.map((i) => i.getAttribute("alt")));
  expect(alts).toEqual(["一朵格桑花", "教室的窗户"]);
});
