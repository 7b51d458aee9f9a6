import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { atPhoneWidth, expectAccessible, signIn } from "./support";

// wuhou-jun.s5 is 15, in 九年级（1）班 of a phase-3 school in 成都: their space and portfolio are open.
const STUDENT = "wuhou-jun.s5";
const HANDLE = "wuhou-jun-s5";

/** A PDF of about `mb` megabytes: typed by its bytes, big enough for the progress bar to be seen. */
function bigPdf(mb: number): Buffer {
  const head = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n";
  const padding = `%${"x".repeat(98)}\n`.repeat(Math.ceil((mb * 1024 * 1024) / 100));
  return Buffer.from(`${head}${padding}trailer\n<< /Root 1 0 R >>\n%%EOF\n`);
}

/** Types the description in the editor once the page has hydrated it, or in the plain textarea without it. */
async function describe(page: Page, text: string) {
  await page.waitForLoadState("networkidle");
  const editor = page.locator(".rich-editor-area");
  if (await editor.count()) {
    await editor.click();
    await page.keyboard.type(text);
  } else {
    await page.locator("#f-description").fill(text);
  }
}


test("a student uploads a work with a progress bar, adds it to the portfolio, and exports the portfolio", async ({ page }) => {
  await signIn(page, STUDENT);
  await expect(page).toHaveURL("/");
  await page.goto("/portfolio/new");
  await expect(page.getByRole("heading", { name: "添加档案条目" })).toBeVisible();
  // A student cannot choose "everyone".
  await expect(page.getByRole("radio", { name: "所有人" })).toHaveCount(0);
  await expectAccessible(page);
  await atPhoneWidth(page);

  await page.locator("#f-title").fill("自制潜望镜（视频与报告）");
  await page.locator("#f-kind").selectOption("project");
  await page.locator("#f-occurredOn").fill("2026-10-20");
  await describe(page, "用两面镜子做的潜望镜。");
  await page.locator("#f-tags").fill("物理, 实验");
  await page.getByRole("radio", { name: "本校" }).check();
  await page.locator("#f-files").setInputFiles({ name: "潜望镜报告.pdf", mimeType: "application/pdf", buffer: bigPdf(3) });

  // The server's answer is held back a moment, as on a thin rural link, so the bar can be seen: the
  // form's own POST before hydration (public/upload-progress.js) and Remix's after it (/portfolio/new.data).
  const sending = /\/portfolio\/new(\.data)?(\?.*)?$/;
  await page.route(sending, async (route) => {
    if (route.request().method() === "POST") await new Promise((resolve) => setTimeout(resolve, 10_000));
    await route.continue();
  });
  await page.getByRole("button", { name: "添加", exact: true }).click();
  const bar = page.locator("progress#upload-progress-bar");
  await expect(bar).toBeVisible();
  await expect(page.locator("#upload-progress [role=status]")).not.toBeEmpty();
  await expect(page).toHaveURL(/\/portfolio\/(?!new$)[a-z0-9]+(\?done=\w+)?$/, { timeout: 20_000 });
  await page.unroute(sending);

  await expect(page.getByRole("heading", { name: "自制潜望镜（视频与报告）" })).toBeVisible();
  await expect(page.getByText("用两面镜子做的潜望镜。")).toBeVisible();
  await expect(page.getByRole("link", { name: "潜望镜报告.pdf" })).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);

  // A bad edit keeps what was typed and says why beside the field.
  await page.getByRole("link", { name: "编辑", exact: true }).click();
  await expect(page.locator("#f-title")).toHaveValue("自制潜望镜（视频与报告）");
  await page.locator("#f-occurredOn").fill("");
  await page.locator("#f-title").fill("潜望镜（修改）");
  await page.getByRole("button", { name: "保存" }).click();
  await expect(page.getByText("请填写有效的日期（年-月-日）。")).toBeVisible();
  await expect(page.locator("#f-title")).toHaveValue("潜望镜（修改）");

  await page.goto(`/u/${HANDLE}/portfolio`);
  await expect(page.getByRole("link", { name: "自制潜望镜（视频与报告）" })).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "导出 ZIP" }).click()]);
  expect(download.suggestedFilename()).toBe(`portfolio-${HANDLE}-all.zip`);
  const path = join(mkdtempSync(join(tmpdir(), "e2e-zip-")), "portfolio.zip");
  await download.saveAs(path);
  const names = execFileSync("unzip", ["-Z1", path], { encoding: "utf8" }).trim().split("\n");
  expect(names).toEqual(expect.arrayContaining(["index.html", "files/潜望镜报告.pdf"]));
  const index = execFileSync("unzip", ["-p", path, "index.html"], { encoding: "utf8" });
  expect(index).toContain("自制潜望镜（视频与报告）");
  expect(index).toContain("武侯区第一初级中学");
  const size = Number(/\s(\d+)\s+\S+\s+\S+\s+files\/潜望镜报告\.pdf/.exec(execFileSync("unzip", ["-l", path], { encoding: "utf8" }))?.[1]);
  expect(size).toBeGreaterThan(3 * 1024 * 1024);
});

test("a private item's guessed URL reads as not found, and anonymous readers are sent to sign in", async ({ page, browser }) => {
  await signIn(page, STUDENT);
  await page.goto("/portfolio/new");
  await page.locator("#f-title").fill("只给自己看的反思");
  await page.locator("#f-occurredOn").fill("2026-11-01");
  await page.getByRole("radio", { name: "仅自己" }).check();
  await page.getByRole("button", { name: "添加", exact: true }).click();
  await expect(page).toHaveURL(/\/portfolio\/(?!new$)[a-z0-9]+(\?done=\w+)?$/);
  const url = new URL(page.url()).pathname;

  const classmateContext = await browser.newContext();
  const classmate = await classmateContext.newPage();
  await signIn(classmate, "wuhou-jun.s6");
  await expect(classmate).toHaveURL("/");
  const response = await classmate.goto(url);
  expect(response?.status()).toBe(404);
  await classmateContext.close();

  const anonymousContext = await browser.newContext();
  const anonymous = await anonymousContext.newPage();
  await anonymous.goto(url);
  await expect(anonymous).toHaveURL(/\/login\?next=/);
  await anonymous.goto(`/u/${HANDLE}`);
  await expect(anonymous).toHaveURL(/\/login\?next=/);
  await anonymousContext.close();
});
