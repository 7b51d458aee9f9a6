import { expect, test } from "@playwright/test";
import { activations, DEMO_PASSWORD, expectAccessible, expectFitsWidth, signIn } from "./support";

test("a student activates their account with the code from their slip", async ({ page }) => {
  const slip = activations().find((a) => a.loginName === "wuhou-pri.s4")!;
  await page.goto("/activate");
  await page.getByLabel("登录名").fill(slip.loginName);
  await page.getByLabel("激活码").fill(slip.code.toLowerCase());
  await page.getByLabel("真实姓名").fill("王小明");
  await page.getByLabel("新密码", { exact: true }).fill("熊猫 lives in 四川");
  await page.getByLabel("再输入一次新密码").fill("熊猫 lives in 四川");
  await page.getByRole("button", { name: "激活并登录" }).click();
  // A wrong real name: a translated message beside the field, and what was typed is kept.
  await expect(page.getByText("真实姓名与学校登记的不一致。")).toBeVisible();
  await expect(page.getByLabel("登录名")).toHaveValue(slip.loginName);
  await expect(page.getByLabel("激活码")).toHaveValue(slip.code.toLowerCase());

  await page.getByLabel("真实姓名").fill(slip.realName);
  await page.getByLabel("新密码", { exact: true }).fill("123456789");
  await page.getByLabel("再输入一次新密码").fill("123456789");
  await page.getByRole("button", { name: "激活并登录" }).click();
  await expect(page.getByText("这个密码太常见，很容易被猜到，请换一个。")).toBeVisible();

  await page.getByLabel("新密码", { exact: true }).fill("熊猫 lives in 四川");
  await page.getByLabel("再输入一次新密码").fill("熊猫 lives in 四川");
  await page.getByRole("button", { name: "激活并登录" }).click();
  await expect(page).toHaveURL(/\/\?welcome=1$/);
  await expect(page.getByRole("status")).toHaveText("账户已激活，欢迎！");
  await expect(page.locator(".site-header .name")).toHaveText(slip.realName);
  // Under 14 with no guardian consent yet: home says so instead of showing the class.
  await expect(page.getByText("正在等待监护人同意。")).toBeVisible();
  await expect(page.getByRole("heading", { name: "我的班级" })).toHaveCount(0);

  // The code was one-time.
  await page.getByRole("button", { name: "退出" }).click();
  await page.goto("/activate");
  await page.getByLabel("登录名").fill(slip.loginName);
  await page.getByLabel("激活码").fill(slip.code);
  await page.getByLabel("真实姓名").fill(slip.realName);
  await page.getByLabel("新密码", { exact: true }).fill("another fine passphrase");
  await page.getByLabel("再输入一次新密码").fill("another fine passphrase");
  await page.getByRole("button", { name: "激活并登录" }).click();
  await expect(page.getByText("这个激活码已经用过了", { exact: false })).toBeVisible();
});

test("a teacher signs in, sees their classes, and signs out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await expectAccessible(page);
  await signIn(page, "wuhou-jun.t3");
  await expect(page).toHaveURL("/");
  await expect(page.getByRole("heading", { name: "我的班级" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "七年级（3）班" })).toBeVisible();
  await expect(page.locator(".site-header .role")).toHaveText("教师");
  await expectAccessible(page);

  await page.getByRole("button", { name: "退出" }).click();
  await expect(page).toHaveURL("/login");
  await page.goto("/account");
  await expect(page).toHaveURL(/\/login\?next=%2Faccount$/);
});

test("a wrong password gives one message for wrong login and wrong password, and keeps the login name", async ({ page }) => {
  await signIn(page, "wuhou-jun.t2", "not my password");
  await expect(page.getByRole("alert")).toHaveText("登录名或密码不正确。");
  await expect(page.getByLabel("登录名")).toHaveValue("wuhou-jun.t2");
  await signIn(page, "nobody.at.all", "not my password");
  await expect(page.getByRole("alert")).toHaveText("登录名或密码不正确。");
});

test("too many wrong passwords lock the account for a minute, with a translated message", async ({ page }) => {
  for (let i = 0; i < 5; i++) {
    await signIn(page, "zhaojue-voc.t3", `wrong password ${i}`);
    await expect(page.getByRole("alert")).toHaveText("登录名或密码不正确。");
  }
  await signIn(page, "zhaojue-voc.t3", DEMO_PASSWORD);
  await expect(page.getByRole("alert")).toHaveText("尝试次数太多，请 1 分钟后再试。");
  await expect(page).toHaveURL(/\/login/);
});

test("issue 13 open redirect: a signed-in reader opening /login?next=… stays on this site, and no next= answers 500", async ({ page, baseURL }) => {
  await signIn(page, "wuhou-jun.t2");
  await expect(page).toHaveURL("/");
  await page.goto("/login?next=%2F%09%2Fevil.example%2Fphish");
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
  for (const next of ["/\t/evil.example", "/\r\n/evil.example", "/\u3000/evil.example", "/\\evil.example", "//evil.example", "https:evil.example", "/%0d%0a/x"]) {
    const response = await page.request.get(`/login?next=${encodeURIComponent(next)}`, { maxRedirects: 0 });
    expect(response.status(), JSON.stringify(next)).toBe(302);
    expect(new URL(response.headers()["location"]!, baseURL).origin, JSON.stringify(next)).toBe(new URL(baseURL!).origin);
  }
});

test("issue 13 throttling: signing in leaves an HttpOnly known-device cookie", async ({ page, context }) => {
  await signIn(page, "wuhou-jun.t2");
  await expect(page).toHaveURL("/");
  const device = (await context.cookies()).find((c) => c.name === "device" || c.name === "__Host-device");
  expect(device).toMatchObject({ httpOnly: true, sameSite: "Lax" });
  expect(device!.expires * 1000).toBeGreaterThan(Date.now() + 300 * 86_400_000);
});

test("the language switcher works without JavaScript: Tibetan, Yi, English and back", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/login");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-Hans");
  expect(await page.locator("script").count()).toBe(0);

  await page.getByRole("button", { name: "བོད་ཡིག" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "bo");
  await expect(page.locator("h1")).toHaveText(/[\u0F00-\u0FFF]/);
  await expect(page.getByRole("button", { name: "བོད་ཡིག" })).toHaveAttribute("aria-pressed", "true");

  await page.getByRole("button", { name: "ꆈꌠꉙ" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "ii");
  await expect(page.locator("h1")).toHaveText(/[\uA000-\uA4CF]/);

  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("h1")).toHaveText("Sign in");
  await page.getByRole("button", { name: "中文" }).click();
  await expect(page.locator("h1")).toHaveText("登录");
  await context.close();
});

test("a signed-in person's language follows them; the school's default applies until they choose", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // 昭觉 schools default to Yi: a teacher who never chose sees Yi after signing in.
  await signIn(page, "zhaojue-pri.t1");
  await expect(page.locator("html")).toHaveAttribute("lang", "ii");
  await expect(page.locator("h1")).toHaveText(/[\uA000-\uA4CF]/);
  await expectAccessible(page);
  await page.getByRole("button", { name: "བོད་ཡིག" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "bo");
  await context.clearCookies();
  // A new browser: the saved preference comes back at sign-in.
  await signIn(page, "zhaojue-pri.t1");
  await expect(page.locator("html")).toHaveAttribute("lang", "bo");
  await expectAccessible(page);
  await context.close();
});

test("a teacher who is also a parent switches role and sees their child", async ({ page }) => {
  await signIn(page, "wuhou-pri.t1");
  await expect(page.getByRole("heading", { name: "我的班级" })).toBeVisible();
  await page.getByLabel("当前身份").selectOption("parent");
  await page.getByRole("button", { name: "切换" }).click();
  await expect(page.locator(".site-header .role")).toHaveText("家长");
  await expect(page.getByRole("heading", { name: "我的孩子" })).toBeVisible();
  await expect(page.locator(".card h2")).toHaveCount(1);
  // A role not held is refused with the translated page, not a server error.
  const refused = await page.request.post("/role", { form: { role: "platform_admin", next: "/" }, headers: { Origin: new URL(page.url()).origin } });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("你没有权限进行这个操作。");
});

test("changing the password signs out the other devices", async ({ browser }) => {
  const phone = await browser.newContext();
  const laptop = await browser.newContext();
  const phonePage = await phone.newPage();
  const laptopPage = await laptop.newPage();
  await signIn(phonePage, "wuhou-voc.t2");
  await signIn(laptopPage, "wuhou-voc.t2");
  await laptopPage.goto("/account");
  await laptopPage.getByLabel("当前密码").fill(DEMO_PASSWORD);
  await laptopPage.getByLabel("新密码", { exact: true }).fill("格桑花 in the spring");
  await laptopPage.getByLabel("再输入一次新密码").fill("格桑花 in the spring");
  await laptopPage.getByRole("button", { name: "修改密码" }).click();
  await expect(laptopPage.getByRole("status")).toHaveText("密码已修改。其他设备上的登录都已退出。");
  await expect(laptopPage.locator(".sessions li")).toHaveCount(1);
  await phonePage.goto("/");
  await expect(phonePage).toHaveURL(/\/login/);
  await phone.close();
  await laptop.close();
});

test("pages fit a 360-pixel phone screen", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto("/login");
  await expectFitsWidth(page);
  await signIn(page, "sichuan.edu");
  await expect(page.locator("table")).toBeVisible();
  await expectFitsWidth(page);
  await context.close();
});

test("a cross-site POST is refused with 403, and an unknown page is a translated 404", async ({ page, request }) => {
  const crossSite = await request.post("/login", { headers: { Origin: "https://evil.example" }, form: { loginName: "x", password: "y" } });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).toContain("这个请求来自其他网站");
  const noOrigin = await request.post("/logout", { headers: { Origin: "" } });
  expect(noOrigin.status()).toBe(403);

  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
  await expectAccessible(page);
});

test("a server error shows a translated page without the error's details", async ({ request, baseURL }) => {
  // A form body that cannot be parsed makes the action fail on the server.
  const response = await request.post("/login", {
    headers: { Origin: baseURL!, "Content-Type": "multipart/form-data" },
    data: "not multipart at all",
  });
  expect(response.status()).toBe(500);
  const html = await response.text();
  expect(html).toContain("出错了");
  expect(html).not.toMatch(/TypeError|at .*\.js:\d+|node_modules/);
});
