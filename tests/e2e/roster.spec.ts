import { expect, test } from "@playwright/test";
import { xuejiGbkCsv, xuejiPupils } from "../support/xueji-fixtures";
import { generatedRoster, HEADER_ZH, rosterXlsx } from "./roster-fixtures";
import { expectAccessible, expectFitsWidth, signIn } from "./support";

const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CLASSES = ["三年级（1）班", "五年级（2）班"];

test("a school admin imports a 200-person XLSX roster, prints slips, and a teacher from it activates and signs in", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "wuhou-pri.admin");
  await page.goto("/school/roster");
  await expect(page.getByRole("heading", { name: "导入花名册", level: 1 })).toBeVisible();
  await expect(page.getByRole("rowheader", { name: "真实姓名 *" })).toBeVisible();
  await expectAccessible(page);

  // The template downloads in the admin's language, with the school's own class names.
  const template = await page.request.get("/school/roster/template/csv");
  expect(template.headers()["content-type"]).toContain("text/csv");
  const text = await template.text();
  expect(text.charCodeAt(0)).toBe(0xfeff);
  expect(text).toContain("真实姓名*,身份,登录名,班级");
  expect(text).toContain("三年级（1）班");
  const xlsxTemplate = await page.request.get("/school/roster/template/xlsx");
  expect(xlsxTemplate.headers()["content-type"]).toBe(XLSX);
  expect((await xlsxTemplate.body()).subarray(0, 4).toString("latin1")).toBe("PK\x03\x04");

  const roster = await rosterXlsx(generatedRoster(200, CLASSES, { firstNumber: 3000, nameOffset: 2000 }));
  await page.locator("#f-roster").setInputFiles({ name: "武侯区实验小学花名册.xlsx", mimeType: XLSX, buffer: roster });
  await page.getByRole("button", { name: "上传并核对" }).click();
  await expect(page).toHaveURL(/\/school\/roster\/[a-z0-9]+$/);
  await expect(page.getByRole("heading", { name: "核对花名册" })).toBeVisible();
  const stat = (label: string) => page.locator(".stats div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd");
  await expect(stat("总行数")).toHaveText("200");
  await expect(stat("新建")).toHaveText("200");
  await expect(stat("有问题")).toHaveText("0");
  await expect(page.getByRole("heading", { name: "全部行" })).toBeVisible();
  await expect(page.locator(".roster-rows tbody tr")).toHaveCount(100);
  await expectAccessible(page);

  await page.getByRole("button", { name: "导入" }).click();
  await expect(page.getByRole("heading", { name: "导入完成" })).toBeVisible();
  await expect(page.getByText("新建 200 人，更新 0 人，0 人不变。")).toBeVisible();
  // Issue 15 #5: the slips are read again from the server, a page of 100 at a time, until used or re-issued.
  await expect(page.getByText("再次打印；切换界面语言也不会丢失", { exact: false })).toBeVisible();
  const slips = page.locator(".slip");
  await expect(slips).toHaveCount(100);
  await expect(page.getByRole("link", { name: "下一页 →" })).toBeVisible();
  const firstCode = await slips.first().locator(".slip-code").textContent();
  await page.reload();
  await expect(slips.first().locator(".slip-code")).toHaveText(firstCode!);

  // On paper: no site header, no controls, just the slips.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".site-header")).toBeHidden();
  await expect(page.getByRole("heading", { name: "导入完成" })).toBeHidden();
  await expect(slips.first()).toBeVisible();
  await page.emulateMedia({ media: "screen" });

  // The first teacher's slip (teachers are every tenth row; 三年级（1）班 sorts first).
  const teacherSlip = slips.filter({ hasText: "wuhou-pri.t" }).first();
  const loginName = (await teacherSlip.locator(".slip-login").textContent())!.trim();
  const code = (await teacherSlip.locator(".slip-code").textContent())!.trim();
  const realName = (await teacherSlip.locator(".slip-name").textContent())!.trim();
  expect(loginName).toMatch(/^wuhou-pri\.t\d+$/);
  expect(code).toMatch(/^[A-Z2-9]{5}-[A-Z2-9]{5}$/);

  // A double submit of the same import is refused; nothing is imported twice.
  const replay = await page.request.post(page.url(), { headers: { Origin: new URL(page.url()).origin }, form: {} });
  expect(replay.status()).toBe(400);

  await page.context().clearCookies();
  await page.goto("/activate");
  await page.getByLabel("登录名").fill(loginName);
  await page.getByLabel("激活码").fill(code);
  await page.getByLabel("真实姓名").fill(realName);
  await page.getByLabel("新密码", { exact: true }).fill("熊猫 lives in 四川");
  await page.getByLabel("再输入一次新密码").fill("熊猫 lives in 四川");
  await page.getByRole("button", { name: "激活并登录" }).click();
  await expect(page).toHaveURL(/\/\?welcome=1$/);
  await expect(page.locator(".site-header .name")).toHaveText(realName);

  await page.getByRole("button", { name: "退出" }).click();
  await signIn(page, loginName, "熊猫 lives in 四川");
  await expect(page).toHaveURL("/");
  await expect(page.locator(".site-header .role")).toHaveText("教师");
});

test("an upload with problems shows every one of them and writes nothing", async ({ page }) => {
  await signIn(page, "wuhou-pri.admin");
  const roster = await rosterXlsx([
    HEADER_ZH,
    ["沈一", "学生", null, "三年级（1）班", "9001", new Date(Date.UTC(2018, 1, 3)), "女", null, null, null, null],
    ["沈二", "学生", null, "八年级（8）班", "9002", "2018/2/4", "男", null, null, null, null],
    ["沈三", "学生", null, "三年级（1）班", "9001", "2018-02-30", null, null, null, null, null],
    [null, "学生", null, "三年级（1）班", "9004", null, null, null, null, null, null],
    ["沈五", "校长", null, null, null, null, null, null, null, null, null],
  ]);
  await page.goto("/school/roster");
  await page.locator("#f-roster").setInputFiles({ name: "有问题的花名册.xlsx", mimeType: XLSX, buffer: roster });
  await page.getByRole("button", { name: "上传并核对" }).click();
  await expect(page.getByRole("heading", { name: "需要修改的行" })).toBeVisible();
  // One line per row with problems (沈三 has two), the class ones also grouped by class above.
  const problems = page.locator(".roster-rows tbody tr");
  await expect(problems).toHaveCount(4);
  await expect(page.getByText("八年级（8）班（1 名学生）")).toBeVisible();
  await expect(page.getByText("本校没有“八年级（8）班”这个班级。", { exact: false })).toBeVisible();
  await expect(page.getByText("学号与第 2 行重复。")).toBeVisible();
  await expect(page.getByText("出生日期“2018-02-30”无法识别", { exact: false })).toBeVisible();
  await expect(page.getByText("没有填写真实姓名。")).toBeVisible();
  await expect(page.getByText("身份“校长”无法识别", { exact: false })).toBeVisible();
  await expect(page.getByText("请修改文件后重新上传。尚未写入任何内容。")).toBeVisible();
  await expect(page.getByRole("button", { name: "导入" })).toHaveCount(0);
  await expectAccessible(page);

  // Posting the import anyway is refused and creates nobody: 沈一 has no account to re-issue for.
  const refused = await page.request.post(page.url(), { headers: { Origin: new URL(page.url()).origin }, form: {} });
  expect(refused.status()).toBe(400);
  await page.goto("/school/slips");
  await page.locator("#t-person").check();
  await page.locator("#f-loginName").fill("wuhou-pri.9001");
  await page.getByRole("button", { name: "补发并显示激活单" }).click();
  await expect(page.getByText("本校没有登录名为“wuhou-pri.9001”的人。")).toBeVisible();
  await expect(page.locator("#f-loginName")).toHaveValue("wuhou-pri.9001");
  await expectAccessible(page);

  // Re-issuing for one class gives printable slips only for those not yet activated.
  await page.locator("#t-class").check();
  // (The test above may have filled the class with people not yet activated.)
  const option = page.locator("#f-classId option", { hasText: "五年级（2）班" });
  await page.locator("#f-classId").selectOption((await option.getAttribute("value"))!);
  await page.getByRole("button", { name: "补发并显示激活单" }).click();
  await expect(page.locator(".slip .slip-login", { hasText: /^wuhou-pri\.s8$/ })).toHaveCount(1);
  await expect(page.locator(".slip .slip-login", { hasText: /^wuhou-pri\.s5$/ })).toHaveCount(0);
  await expectAccessible(page);
});

test("a file that is not a roster gets a clear message; the page works at 360 px and without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 800 }, locale: "zh-CN" });
  const page = await context.newPage();
  await signIn(page, "wuhou-pri.admin");
  await page.goto("/school/roster");
  await expectFitsWidth(page);
  await page.locator("#f-roster").setInputFiles({ name: "照片.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]) });
  await page.getByRole("button", { name: "上传并核对" }).click();
  await expect(page.getByRole("alert")).toHaveText("无法读取这种文件。请上传 CSV 或 Excel（.xlsx）文件。");
  const gbkLike = Buffer.concat([Buffer.from("真实姓名,身份\r\n", "utf8"), Buffer.from([0xff, 0x41, 0xff])]);
  await page.locator("#f-roster").setInputFiles({ name: "花名册.csv", mimeType: "text/csv", buffer: gbkLike });
  await page.getByRole("button", { name: "上传并核对" }).click();
  await expect(page.getByRole("alert")).toContainText("CSV UTF-8");

  await page.goto("/school/slips");
  await expectFitsWidth(page);
  await page.locator("#t-class").check();
  await page.getByRole("button", { name: "补发并显示激活单" }).click();
  await expect(page.getByText("请选择一个班级。")).toBeVisible();
  await page.locator("#f-classId").selectOption({ index: 1 });
  await page.getByRole("button", { name: "补发并显示激活单" }).click();
  await expect(page.locator(".slip").first()).toBeVisible();
  await expectFitsWidth(page);
  await context.close();
});

test("teachers, parents and region admins are refused the roster pages", async ({ page }) => {
  for (const login of ["wuhou-pri.t2", "wuhou-pri.p1", "sichuan.edu"]) {
    await signIn(page, login);
    for (const path of ["/school/roster", "/school/slips", "/school/roster/template/csv"]) {
      const response = await page.goto(path);
      expect(response?.status(), `${login} ${path}`).toBe(403);
    }
    await page.context().clearCookies();
  }
  const anonymous = await page.goto("/school/roster");
  await expect(page).toHaveURL(/\/login\?next=%2Fschool%2Froster$/);
  expect(anonymous?.status()).toBe(200);
});

test("issue 15: a GBK 学籍 export imports as it is, with its missing classes created in one step, and reads at 360 px", async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, "wuhou-pri.admin");
  const pupils = xuejiPupils(40, [[5, 2], [6, 7]], { nameOffset: 9000 });
  await page.goto("/school/roster");
  await page.locator("#f-roster").setInputFiles({ name: "学籍导出.csv", mimeType: "text/csv", buffer: Buffer.from(xuejiGbkCsv(pupils)) });
  await page.getByRole("button", { name: "上传并核对" }).click();
  await expect(page.getByRole("heading", { name: "核对花名册" })).toBeVisible();
  await expect(page.getByText("表头取自第 3 行", { exact: false })).toBeVisible();
  await expect(page.getByText("民族：不需要，不保存")).toBeVisible();
  await expect(page.getByText("6年级(7)班（20 名学生）")).toBeVisible();

  // 9b: the caption "共 20 行有问题" stays on one line on a 360 px phone.
  await page.setViewportSize({ width: 360, height: 740 });
  const caption = page.locator(".roster-rows caption");
  await expect(caption).toHaveText("共 20 行有问题");
  const box = (await caption.boundingBox())!;
  expect(box.width).toBeGreaterThan(box.height * 3);
  await page.screenshot({ path: test.info().outputPath("roster-preview-360.png"), fullPage: false });
  await expectFitsWidth(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expectAccessible(page);

  await page.getByRole("button", { name: "全部新建" }).click();
  await expect(page.getByText("已新建 1 个班级", { exact: false })).toBeVisible();
  const stat = (label: string) => page.locator(".stats div").filter({ has: page.getByText(label, { exact: true }) }).locator("dd");
  await expect(stat("有问题")).toHaveText("0");
  await expect(stat("新建")).toHaveText("40");
  await page.getByRole("button", { name: "导入" }).click();
  await expect(page.getByRole("heading", { name: "导入完成" })).toBeVisible();
});
