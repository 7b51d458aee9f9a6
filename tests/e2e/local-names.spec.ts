import { expect, test } from "@playwright/test";
import { expectAccessible, expectFitsWidth, signIn } from "./support";

// Issue 16: a school gives its class's name in Yi, and the class's Yi readers see it. Stand-alone: no
// other spec signs in as zhaojue-voc.admin or zhaojue-voc.t2 (both read Yi by their school's default).
const CLASS = "2026级彝绣工艺班";
const YI_NAME = "ꆈꌠꉌꑌ ꌶꁥ";

test("a Yi school's admin names a class in Yi; a teacher's Yi pages show that name", async ({ browser }) => {
  const adminContext = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const admin = await adminContext.newPage();
  await signIn(admin, "zhaojue-voc.admin");
  await expect(admin).toHaveURL("/");
  await admin.goto("/school/names");
  const row = admin.locator("fieldset.local-names", { hasText: CLASS });
  await expect(row).toBeVisible();

  // A name too long is refused beside its field; what was typed stays.
  await row.locator('input[lang="ii"]').fill(YI_NAME);
  await row.locator('input[lang="en"]').evaluate((input: HTMLInputElement) => {
    input.removeAttribute("maxlength");
    input.value = "y".repeat(70);
  });
  await admin.locator(".names-form button.primary").click();
  await expect(admin.locator('[role="alert"]')).toBeVisible();
  await expect(row.locator('input[lang="ii"]')).toHaveValue(YI_NAME);
  await expect(row.locator('input[lang="en"]')).toHaveAttribute("aria-invalid", "true");

  await row.locator('input[lang="en"]').fill("Yi Embroidery, class of 2026");
  await admin.locator(".names-form button.primary").click();
  await expect(admin).toHaveURL(/\/school\/names\?saved=1$/);
  await expect(admin.getByRole("status")).toBeVisible();
  await expect(row.locator('input[lang="ii"]')).toHaveValue(YI_NAME);
  await expectFitsWidth(admin);
  await expectAccessible(admin);
  await admin.screenshot({ path: test.info().outputPath("names-form-ii-360.png"), fullPage: true });
  await adminContext.close();

  // A teacher of the class, reading Yi: home and the class page name it in Yi.
  const teacherContext = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const teacher = await teacherContext.newPage();
  await signIn(teacher, "zhaojue-voc.t2");
  await expect(teacher).toHaveURL("/");
  await expect(teacher.locator("html")).toHaveAttribute("lang", "ii");
  const link = teacher.getByRole("link", { name: YI_NAME });
  await expect(link).toBeVisible();
  await expect(teacher.getByRole("link", { name: CLASS })).toHaveCount(0);
  await link.click();
  await expect(teacher.getByRole("heading", { level: 1 })).toHaveText(YI_NAME);
  await expectFitsWidth(teacher);
  await teacher.screenshot({ path: test.info().outputPath("class-ii-360.png") });
  await teacherContext.close();
});
