import { expect, test } from "@playwright/test";
import { HEADER_ZH, rosterCsv, type FixtureCell } from "./roster-fixtures";
import { signIn } from "./support";

// Issue 15 item 9a: the roster page's progress bar was an inline script without the page's CSP nonce,
// so Chromium refused to run it and the bar never moved. The upload is throttled to a thin link's
// 64 kbit/s so the bar has time to move before the answer arrives.

/** A CSV of about 300 KB: many pupils of one class (the preview's verdict does not matter here). */
function largeRoster(): Buffer {
  const rows: FixtureCell[][] = [HEADER_ZH];
  for (let i = 0; i < 3600; i++) rows.push([`进度测试${i}`, "学生", null, "五年级（2）班", null, "2016-03-05", i % 2 ? "男" : "女", "某家长", null, null, null]);
  return Buffer.from(rosterCsv(rows), "utf8");
}

test("issue 15 #9a: the roster upload's progress bar moves over a thin link, and no CSP violation is reported", async ({ page }) => {
  const refused: string[] = [];
  page.on("console", (message) => {
    if (/Refused to/i.test(message.text())) refused.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => console.error(`Refused to (securitypolicyviolation) ${e.violatedDirective} ${e.blockedURI}`));
  });
  await signIn(page, "wuhou-pri.admin");
  await expect(page).toHaveURL("/");
  await page.goto("/school/roster");
  const file = largeRoster();
  expect(file.length).toBeGreaterThan(250_000);
  await page.locator("#f-roster").setInputFiles({ name: "进度测试.csv", mimeType: "text/csv", buffer: file });

  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: (64 * 1024) / 8 });

  let answered = false;
  page.on("response", (response) => {
    if (response.request().method() === "POST" && new URL(response.url()).pathname === "/school/roster") answered = true;
  });
  await page.getByRole("button", { name: "上传并核对" }).click();
  const bar = page.locator("#upload-progress-bar");
  await expect(bar).toBeVisible();
  await expect.poll(async () => Number(await bar.getAttribute("value")), { timeout: 20_000 }).toBeGreaterThan(0);
  const movedAt = await bar.evaluate((b: HTMLProgressElement) => b.value);
  expect(answered).toBe(false);
  expect(movedAt).toBeGreaterThan(0);
  expect(movedAt).toBeLessThan(100);

  // The rest may go at full speed: the point was the bar moving before the answer.
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await expect(page).toHaveURL(/\/school\/roster\/[a-z0-9]+$/, { timeout: 30_000 });
  expect(refused).toEqual([]);
});
