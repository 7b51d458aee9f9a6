import { expect, test, type Browser, type Page } from "@playwright/test";
import { signIn, writeBody } from "./support";

// Issue 14 item 1 on a shared school link: nothing typed on the hand-in page is lost while the editor
// loads, and a reload offers the draft back. wuhou-pri.t1 teaches 三年级（1）班, where wuhou-pri.s1 is.
const TEACHER = "wuhou-pri.t1";
const STUDENT = "wuhou-pri.s1";
const CLASS_NAME = "三年级（1）班";

function beijing(minutes: number): string {
  return new Date(Date.now() + minutes * 60_000 + 8 * 3_600_000).toISOString().slice(0, 16);
}

async function signedIn(browser: Browser, login: string, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await signIn(page, login);
  await expect(page).toHaveURL("/");
  return page;
}

/** This spec's own assignment, so no other spec's hand-ins meet it. */
async function publishAssignment(browser: Browser, title: string): Promise<string> {
  const teacher = await signedIn(browser, TEACHER);
  await teacher.goto("/assignments/new");
  await teacher.locator("#f-title").fill(title);
  await writeBody(teacher, "写一段观察日记。");
  await teacher.getByRole("checkbox", { name: CLASS_NAME }).check();
  await teacher.locator("#f-dueAt").fill(beijing(24 * 60));
  await teacher.getByRole("button", { name: "发布", exact: true }).click();
  await expect(teacher).toHaveURL(/\/assignments\/(?!new$)[A-Za-z0-9_-]+$/);
  const path = new URL(teacher.url()).pathname;
  await teacher.context().close();
  return path;
}

/** The link of a rural school: 400 ms latency, 133 kbps down, 64 kbps up. */
async function thinLink(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 400, downloadThroughput: 133_000 / 8, uploadThroughput: 64_000 / 8 });
}

for (const { label, viewport } of [
  { label: "desktop", viewport: { width: 1280, height: 800 } },
  { label: "360 px phone", viewport: { width: 360, height: 740 } },
]) {
  test(`issue 14 · on a thin link (${label}) text typed before the editor loads is in the editor and handed in; a reload offers the draft back`, async ({ browser }) => {
    test.setTimeout(150_000);
    const title = `观察日记 ${label} ${Date.now()}`;
    const path = await publishAssignment(browser, title);
    const student = await signedIn(browser, STUDENT, viewport);
    await thinLink(student);

    // The plain box is there long before the editor: type into it at once, two paragraphs.
    await student.goto(`${path}/submit`, { waitUntil: "commit" });
    const box = student.locator("textarea#f-body");
    await box.click({ timeout: 30_000 });
    await student.keyboard.type("第一段：桃花开了。");
    await student.keyboard.press("Enter");
    await student.keyboard.press("Enter");
    await student.keyboard.type("第二段：");
    const editor = student.locator('.rich-editor-area[contenteditable="true"]');
    expect(await editor.count(), "the editor must not have loaded yet for this test to mean anything").toBe(0);

    // The editor takes over with the text, the paragraphs, the focus and the caret at the end.
    await expect(editor).toBeVisible({ timeout: 60_000 });
    await expect(editor.locator("p")).toHaveText(["第一段：桃花开了。", "第二段："]);
    await expect(box).toHaveCount(0);
    await student.keyboard.type("很香。");
    await expect(editor.locator("p")).toHaveText(["第一段：桃花开了。", "第二段：很香。"]);

    // A reload (a crash, a lost connection): the draft is offered back and the editor holds it.
    await student.waitForTimeout(800); // the draft is saved a moment after the last key
    await student.reload({ waitUntil: "commit" });
    const offer = student.locator(".draft-offer");
    await expect(offer).toContainText(/已保存 \d\d:\d\d 时的草稿/, { timeout: 60_000 });
    await offer.getByRole("button", { name: "恢复草稿" }).click();
    await expect(offer).toHaveCount(0);
    await expect(editor).toBeVisible({ timeout: 60_000 });
    await expect(editor.locator("p")).toHaveText(["第一段：桃花开了。", "第二段：很香。"]);

    // Handed in: the receipt page shows what was typed, and the draft is gone.
    await student.getByRole("button", { name: "提交", exact: true }).click();
    await expect(student).toHaveURL(new RegExp(`${path}\\?receipt=`), { timeout: 60_000 });
    await expect(student.locator("main")).toContainText("第二段：很香。");
    await student.goto(`${path}/submit`);
    await expect(editor).toBeVisible({ timeout: 60_000 });
    await expect(student.locator(".draft-offer")).toHaveCount(0);
    await student.context().close();
  });
}

test("issue 14 · a page without React keeps a draft too (a teacher's feedback); signing out on a shared computer drops it", async ({ browser }) => {
  test.setTimeout(120_000);
  const path = await publishAssignment(browser, `观察日记 批改 ${Date.now()}`);
  const student = await signedIn(browser, STUDENT);
  await student.goto(`${path}/submit`);
  await writeBody(student, "我的观察日记。");
  await student.getByRole("button", { name: "提交", exact: true }).click();
  await expect(student).toHaveURL(new RegExp(`${path}\\?receipt=`));
  await student.context().close();

  const teacher = await signedIn(browser, TEACHER);
  await teacher.goto(`${path}/grading`);
  const handedIn = teacher.locator("table.grading-queue tbody tr").filter({ has: teacher.locator(".status-handedIn") }).first();
  await handedIn.locator("th a").click();
  await expect(teacher.locator("#f-feedback")).toBeVisible();
  expect(await teacher.locator("script[type=module]").count(), "the grading view does not hydrate").toBe(0);
  await teacher.locator("#f-feedback").fill("观察得很仔细。");
  await teacher.locator("#f-score").fill("8");
  await teacher.waitForTimeout(800);

  await teacher.reload();
  await expect(teacher.locator("#f-feedback")).toHaveValue("");
  const offer = teacher.locator(".draft-offer");
  await expect(offer).toContainText(/已保存 \d\d:\d\d 时的草稿/);
  await offer.getByRole("button", { name: "恢复草稿" }).click();
  await expect(teacher.locator("#f-feedback")).toHaveValue("观察得很仔细。");
  await expect(teacher.locator("#f-score")).toHaveValue("8");

  // "Discard" forgets it: the next visit offers nothing.
  await teacher.reload();
  await offer.getByRole("button", { name: "丢弃" }).click();
  await teacher.reload();
  await expect(teacher.locator("#f-feedback")).toBeVisible();
  await expect(offer).toHaveCount(0);

  // The next person at this computer finds no draft of the last one's: signing out drops them all.
  await teacher.locator("#f-feedback").fill("未发送的评语");
  await teacher.waitForTimeout(800);
  const drafts = () => teacher.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("form-draft:")));
  expect(await drafts()).toHaveLength(1);
  expect((await drafts())[0]).toContain(":/assignments/");
  await teacher.getByRole("button", { name: "退出" }).click();
  await expect(teacher).toHaveURL(/\/login|\/$/);
  expect(await drafts()).toEqual([]);
  await teacher.context().close();
});
