import { expect, test, type Page } from "@playwright/test";
import { atPhoneWidth, DEMO_PASSWORD, expectAccessible, signIn } from "./support";

const TEACHER = "wuhou-pri.t1";
const CLASS_NAME = "三年级（1）班";
const PARENT_NAME = "杨丽华";
const PHONE = "13800001234";
const PASSWORD = "秋天的雨是一把钥匙";


/** On the class's link-code page: issues a code for the nth student (by login order) and returns name and code. */
async function issueFor(page: Page, nth: number): Promise<{ name: string; code: string }> {
  const boxes = page.locator(".link-code-students input[type=checkbox]");
  // The page streams: wait for the button under the list, so every box is there before unticking.
  await expect(page.getByRole("button", { name: "生成绑定码" })).toBeVisible();
  for (const box of await boxes.all()) await box.uncheck();
  await boxes.nth(nth).check();
  const name = (await page.locator(".link-code-students li").nth(nth).locator("strong").textContent())!.trim();
  await page.getByRole("button", { name: "生成绑定码" }).click();
  await expect(page.locator(".link-slip")).toHaveCount(1);
  await expect(page.locator(".link-slip-name")).toHaveText(name);
  return { name, code: (await page.locator(".link-slip-code").textContent())!.trim() };
}

test("a teacher prints a link code; a parent joins with it; reuse and mistakes are refused; a teacher-parent adds a child; the admin removes a link", async ({ page, browser }) => {
  test.setTimeout(120_000);
  await signIn(page, TEACHER);
  await page.getByRole("link", { name: CLASS_NAME }).first().click();
  await expect(page).toHaveURL(/\/classes\/[a-z0-9]+$/);
  const classId = new URL(page.url()).pathname.split("/")[2]!;
  await page.getByRole("link", { name: "家长绑定码" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "家长绑定码" })).toBeVisible();
  await expectAccessible(page);
  await atPhoneWidth(page);

  // Nothing chosen: the error says so beside the list.
  for (const box of await page.locator(".link-code-students input[type=checkbox]").all()) await box.uncheck();
  await page.getByRole("button", { name: "生成绑定码" }).click();
  await expect(page.getByText("请至少选择一名学生。")).toBeVisible();

  // wuhou-pri.s2 is the second student of the class.
  const child = await issueFor(page, 1);
  await expect(page.locator(".link-slip")).toContainText(`${new URL(page.url()).host}/parent/join`);
  await expect(page.locator(".link-slip")).toContainText("武侯区实验小学");
  await expect(page.locator(".link-slip")).toContainText(CLASS_NAME);
  await expectAccessible(page);
  await atPhoneWidth(page);

  // A new parent joins at /parent/join.
  const parentContext = await browser.newContext({ locale: "zh-CN" });
  const parent = await parentContext.newPage();
  await parent.goto("/parent/join");
  await expectAccessible(parent);
  await atPhoneWidth(parent);
  await parent.locator("#f-code").fill(child.code);
  await parent.locator("#f-realName").fill(PARENT_NAME);
  await parent.locator("#f-phone").fill("138 0000 123");
  await parent.locator("#f-password").fill(PASSWORD);
  await parent.locator("#f-confirm").fill(PASSWORD);
  await parent.locator("form button.primary").click();
  // A short phone number comes back with what was typed and the reason beside the field.
  await expect(parent.locator("#f-phone-error")).toHaveText("请输入 11 位手机号码（以 1 开头）。");
  await expect(parent.locator("#f-realName")).toHaveValue(PARENT_NAME);
  await parent.locator("#f-phone").fill(PHONE);
  await parent.locator("#f-password").fill(PASSWORD);
  await parent.locator("#f-confirm").fill(PASSWORD);
  await parent.locator("form button.primary").click();
  await expect(parent).toHaveURL(/\/parent\/join\?added=/);
  await expect(parent.getByRole("status")).toHaveText(`已绑定 ${child.name}。`);
  await expect(parent.locator(".site-header .role")).toHaveText("家长");
  await expect(parent.locator(".linked-children")).toContainText(child.name);
  await expectAccessible(parent);
  await parentContext.close();

  // The same code again, and a wrong code: refused, each with its message.
  const otherContext = await browser.newContext({ locale: "zh-CN" });
  const other = await otherContext.newPage();
  const tryCode = async (code: string) => {
    await other.goto("/parent/join");
    await other.locator("#f-code").fill(code);
    await other.locator("#f-realName").fill("李国强");
    await other.locator("#f-phone").fill("13900004321");
    await other.locator("#f-password").fill(PASSWORD);
    await other.locator("#f-confirm").fill(PASSWORD);
    await other.locator("form button.primary").click();
  };
  await tryCode(child.code);
  await expect(other.locator("#f-code-error")).toContainText("这个绑定码已经用过了");
  await tryCode("ABCDE-FGHJK");
  await expect(other.locator("#f-code-error")).toHaveText("绑定码不正确，请对照通知单再输一次。");
  await expect(other.locator("#f-realName")).toHaveValue("李国强");
  await expectAccessible(other);
  await otherContext.close();

  // The teacher, already a parent, adds a child with a fresh code on the same page, signed in.
  await page.goto(`/classes/${classId}/link-codes`);
  const own = await issueFor(page, 2);
  await page.goto("/parent/join");
  await expect(page.locator("#f-realName")).toHaveCount(0);
  await page.locator("#f-code").fill(own.code);
  await page.locator("form button.primary").click();
  await expect(page.getByRole("status")).toHaveText(`已绑定 ${own.name}。`);
  await expect(page.locator(".site-header .role")).toHaveText("家长");
  await expect(page.locator(".linked-children li")).toHaveCount(2);

  // The school admin sees the new parent on the class page and removes the link.
  const adminContext = await browser.newContext({ locale: "zh-CN" });
  const admin = await adminContext.newPage();
  await signIn(admin, "wuhou-pri.admin");
  await admin.goto(`/school/classes/${classId}`);
  const row = admin.locator("tr", { hasText: child.name });
  await expect(row.locator(".guardian-links")).toContainText(PARENT_NAME);
  await expect(admin.getByRole("link", { name: "家长绑定码" })).toHaveAttribute("href", `/classes/${classId}/link-codes`);
  await expectAccessible(admin);
  await atPhoneWidth(admin);
  await row.getByRole("button", { name: `解除 ${PARENT_NAME} 的绑定` }).click();
  await expect(admin.getByRole("status")).toHaveText("已解除家长绑定。");
  await expect(admin.locator("tr", { hasText: child.name }).locator(".guardian-links")).not.toContainText(PARENT_NAME);
  await adminContext.close();

  // The child sees who is linked on their account page.
  const studentContext = await browser.newContext({ locale: "zh-CN" });
  const student = await studentContext.newPage();
  await signIn(student, "wuhou-pri.s1", DEMO_PASSWORD);
  await student.goto("/account");
  await expect(student.getByRole("heading", { name: "已绑定的家长" })).toBeVisible();
  await expect(student.locator(".guardian-links li")).not.toHaveCount(0);
  await expectAccessible(student);
  await studentContext.close();
});
