import { expect, test, type Page } from "@playwright/test";
import { atPhoneWidth, expectAccessible, signIn } from "./support";

// The demo seed (db/seed/assignments.ts): in 三年级（1）班 (taught by wuhou-pri.t1, .t2 and .t3; students
// wuhou-pri.s1–s4) the open assignment "找一找秋天的颜色" (20 points) has work from s1 and s2 and no
// grades; the closed "《秋天的雨》读后感" (100 points) has grades returned to s1–s3.
const CLASS_NAME = "三年级（1）班";
const OPEN_TITLE = "找一找秋天的颜色";
const CLOSED_TITLE = "《秋天的雨》读后感";


/** The class's gradebook, through the home page's class link. */
async function openGradebook(page: Page): Promise<string> {
  await page.goto("/");
  await page.getByRole("link", { name: CLASS_NAME }).first().click();
  const classPath = new URL(page.url()).pathname;
  await page.goto(`${classPath}/gradebook`);
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(CLASS_NAME) })).toBeVisible();
  return classPath;
}

/** The grading queue of the open assignment, through its column in the gradebook. */
async function openQueue(page: Page): Promise<string> {
  await openGradebook(page);
  await page.locator("table.gradebook thead").getByRole("link", { name: OPEN_TITLE }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(OPEN_TITLE) })).toBeVisible();
  return new URL(page.url()).pathname;
}

function row(page: Page, name: string) {
  return page.locator("table.grading-queue tbody tr").filter({ has: page.getByRole("rowheader", { name }) });
}

test("a teacher grades in the queue and the grading view, returns one and then all; bad scores and a colleague's save are refused with the typed work kept; another school's teacher gets 404", async ({ page, browser }) => {
  test.setTimeout(180_000);
  await signIn(page, "wuhou-pri.t1");
  await expect(page).toHaveURL("/");
  const queueUrl = await openQueue(page);
  const counts = page.locator(".grade-counts");
  await expect(counts.locator("div.status-handedIn dd")).toHaveText("2");
  // Before the due time nothing is missing; pupils who cannot hand in (no consent, not activated) are counted apart.
  await expect(counts.locator("div.status-missing dd")).toHaveText("0");
  await expect(counts.locator("div.status-returned dd")).toHaveText("0");
  await expectAccessible(page);
  await atPhoneWidth(page);

  // The queue lists the class's students; s1 and s2 handed in, nobody is graded.
  // "Next pupil" walks only those who can hand in: the first table (those who cannot are listed apart).
  const names = await page.locator("section:not(.not-expected) > .table-wrap table.grading-queue tbody th").allTextContents();
  expect(names.length).toBeGreaterThanOrEqual(2);
  const [first, second] = await Promise.all(
    [0, 1].map(async (i) => {
      const r = page.locator("table.grading-queue tbody tr").filter({ has: page.locator(".status-handedIn") }).nth(i);
      return (await r.locator("th").textContent())!.trim();
    }),
  );
  // First student: a score above the points is refused, the typed feedback kept, the error beside the score.
  await row(page, first!).getByRole("link", { name: first! }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(first!) })).toBeVisible();
  await expect(page.getByText("回执校验码")).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);
  await page.locator("#f-score").fill("25");
  await page.locator("#f-feedback").fill("颜色找得很准，写得也清楚。");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.locator("#f-score-error")).toHaveText("得分不能超过满分 20 分。");
  await expect(page.locator("#f-feedback")).toHaveValue("颜色找得很准，写得也清楚。");
  await expect(page.locator("#f-score")).toHaveValue("25");
  await expectAccessible(page);

  // Feedback of 1 MB (past the box's maxlength, as a script could send) is refused beside the field.
  await page.locator("#f-score").fill("18");
  await page.locator("#f-feedback").evaluate((box: HTMLTextAreaElement) => {
    box.removeAttribute("maxlength");
    box.value = "好".repeat(350_000);
  });
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.locator("#f-feedback-error")).toHaveText("评语最多 5000 字。");
  await expect(page.locator("#f-score")).toHaveValue("18");

  // A draft: the page moves on to the next student and says whose grade was saved.
  await page.locator("#f-feedback").fill("颜色找得很准，写得也清楚。");
  await page.getByRole("button", { name: "保存草稿" }).click();
  await expect(page.getByText(`已保存${first}的成绩草稿。`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(first!) })).toBeHidden();
  await expect(page.getByText(`第 ${names.map((n) => n.trim()).indexOf(first!) + 2} 个，共 ${names.length} 个`).first()).toBeVisible();
  await page.goto(queueUrl);
  await row(page, second!).getByRole("link", { name: second! }).click();
  await expect(page.getByRole("heading", { level: 1, name: new RegExp(second!) })).toBeVisible();

  // Second student: score, feedback and a returned file; save and return.
  await page.locator("#f-score").fill("19.5");
  await page.locator("#f-feedback").fill("观察仔细，继续加油！");
  await page.locator("#f-files").setInputFiles({ name: "批注.txt", mimeType: "text/plain", buffer: Buffer.from("第二种颜色写得特别好。\n") });
  await page.getByRole("button", { name: "保存并发还" }).click();
  await expect(page.getByText(`已把成绩发还给${second}。`)).toBeVisible();

  // The queue: one draft, one returned; "return all" returns the draft.
  await page.goto(queueUrl);
  await expect(row(page, first!).locator(".grade-status")).toHaveText("已评草稿");
  await expect(row(page, second!).locator(".grade-status")).toHaveText("已发还");
  await expect(row(page, second!)).toContainText("19.5 / 20");
  await page.getByRole("button", { name: "发还全部草稿成绩" }).click();
  await expect(page.getByText("已发还 1 份成绩。")).toBeVisible();
  await expect(row(page, first!).locator(".grade-status")).toHaveText("已发还");
  await expect(counts.locator("div.status-returned dd")).toHaveText("2");
  await expectAccessible(page);

  // The returned file and feedback are on the second student's grading view.
  await row(page, second!).getByRole("link", { name: second! }).click();
  await expect(page.getByRole("link", { name: "批注.txt" })).toBeVisible();
  await expect(page.locator("#f-feedback")).toHaveValue("观察仔细，继续加油！");

  // Two teachers open the same student; both save; the second is told and nothing of theirs is written.
  const studentUrl = new URL(page.url()).pathname;
  const other = await browser.newContext({ locale: "zh-CN" });
  const colleague = await other.newPage();
  await signIn(colleague, "wuhou-pri.t2");
  await expect(colleague).toHaveURL("/");
  await colleague.goto(studentUrl);
  await expect(colleague.locator("#f-score")).toHaveValue("19.5");
  await page.locator("#f-score").fill("20");
  await page.getByRole("button", { name: "保存并发还" }).click();
  await expect(page.locator("p.notice")).toBeVisible();
  await colleague.locator("#f-score").fill("15");
  await colleague.locator("#f-feedback").fill("再想想第三种颜色。");
  await colleague.getByRole("button", { name: "保存草稿" }).click();
  await expect(colleague.getByRole("alert")).toContainText("在你打开本页之后保存了这份作业的成绩，你的修改没有保存。请重新载入本页");
  await expect(colleague.locator("#f-score")).toHaveValue("15");
  await expect(colleague.locator("#f-feedback")).toHaveValue("再想想第三种颜色。");
  await expectAccessible(colleague);
  await colleague.goto(studentUrl);
  await expect(colleague.locator("#f-score")).toHaveValue("20");
  await other.close();

  // A teacher of another school's class cannot open the queue, a grading view or the gradebook.
  const outsider = await browser.newContext({ locale: "zh-CN" });
  const stranger = await outsider.newPage();
  await signIn(stranger, "kangding-pri.t1");
  await expect(stranger).toHaveURL("/");
  expect((await stranger.goto(queueUrl))!.status()).toBe(404);
  expect((await stranger.goto(studentUrl))!.status()).toBe(404);
  await outsider.close();
});

test("the gradebook shows scores, status words, averages and a chart per assignment, and exports CSV and XLSX; students are refused", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, "wuhou-pri.t1");
  await expect(page).toHaveURL("/");
  const classPath = await openGradebook(page);
  const table = page.locator("table.gradebook");
  await expect(table.getByRole("columnheader", { name: new RegExp(CLOSED_TITLE) })).toBeVisible();
  await expect(table.getByRole("columnheader", { name: new RegExp(OPEN_TITLE) })).toBeVisible();
  await expect(table.locator("td.status-returned").first()).toBeVisible();
  await expect(table.getByText("92", { exact: true })).toBeVisible();
  // One chart per assignment, labelled with its counts (the closed one: 92, 78, 85 → one excellent, one good, one fair).
  const chart = page.getByRole("img", { name: new RegExp(`^${CLOSED_TITLE}的成绩分布：优秀 1 人，良好 1 人，中等 1 人`) });
  await expect(chart).toBeVisible();
  // Other specs may have set more assignments to this class on the same server: one chart for each shown.
  const shown = await table.locator("thead a").count();
  expect(shown).toBeGreaterThanOrEqual(2);
  await expect(page.locator("svg.score-chart")).toHaveCount(shown);
  await expectAccessible(page);
  await atPhoneWidth(page);

  const csvDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出 CSV" }).click();
  const csv = await csvDownload;
  expect(csv.suggestedFilename()).toMatch(new RegExp(`^${CLASS_NAME}-成绩册-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
  const text = (await readAll(await csv.createReadStream())).toString("utf8");
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain("学生,账号");
  expect(text).toContain(CLOSED_TITLE);
  expect(text).toMatch(/,92(,|\r?\n)/);
  const xlsxDownload = page.waitForEvent("download");
  await page.getByRole("link", { name: "导出 Excel（XLSX）" }).click();
  const xlsx = await readAll(await (await xlsxDownload).createReadStream());
  expect(xlsx.subarray(0, 2).toString("latin1")).toBe("PK");

  // A student of the class and a parent are refused; a teacher of another school is told it does not exist.
  const queuePath = (await page.locator("table.gradebook thead").getByRole("link", { name: OPEN_TITLE }).getAttribute("href"))!;
  // [who, the gradebook's answer, the queue's answer]: a parent is not in the class at all (404), but
  // acting as parent may not grade anything (403).
  for (const [login, bookStatus, queueStatus] of [
    ["wuhou-pri.s1", 403, 403],
    ["wuhou-pri.p1", 404, 403],
    ["kangding-pri.t1", 404, 404],
  ] as const) {
    const context = await browser.newContext({ locale: "zh-CN" });
    const someone = await context.newPage();
    await signIn(someone, login);
    await expect(someone).not.toHaveURL(/\/login/);
    expect((await someone.goto(`${classPath}/gradebook`))!.status()).toBe(bookStatus);
    expect((await someone.request.get(`${classPath}/gradebook/csv`)).status()).toBe(bookStatus);
    expect((await someone.request.get(`${classPath}/gradebook/xlsx`)).status()).toBe(bookStatus);
    expect((await someone.goto(queuePath))!.status()).toBe(queueStatus);
    await context.close();
  }
  // Nobody signed in: sent to sign in, and back here afterwards.
  const anonymous = await browser.newContext({ locale: "zh-CN" });
  const visitor = await anonymous.newPage();
  await visitor.goto(`${classPath}/gradebook`);
  await expect(visitor).toHaveURL(/\/login\?next=/);
  await visitor.goto(queuePath);
  await expect(visitor).toHaveURL(/\/login\?next=/);
  await anonymous.close();
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}
